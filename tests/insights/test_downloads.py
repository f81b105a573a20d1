"""The Excel download and the termly PDF: the page's figures, the same suppression, audited."""

from __future__ import annotations

import io
import re
import zlib

import pytest
from openpyxl import load_workbook

from audit.models import AuditEvent
from tests.helpers.insights import AUTUMN
from tests.helpers.service import login

pytestmark = pytest.mark.django_db


def test_excel_download_has_the_figures_and_suppressed_schools(client, autumn):
    login(client, autumn.site.staff)
    response = client.get("/admin/insights/download.xlsx", AUTUMN)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="insights-20260901')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Summary",
        "Sessions per month",
        "Hours per supervisor",
        "Cancellations",
        "Schools by service",
        "Request to first session",
        "Topics discussed",
        "Topics discussed by month",
        "Signposting given",
        "Signposting given by month",
    ]
    summary = {row[0]: row[1:] for row in book["Summary"].iter_rows(min_row=3, values_only=True)}
    assert summary["Sessions held"] == (5, None)
    assert summary["Hours of supervision"] == (5.5, None)
    assert summary["Schools served"] == (None, "fewer than 5")
    assert summary["Records written on time"] == (2, None)
    assert summary["Share of records written on time"] == (0.5, None)
    supervisors = list(book["Hours per supervisor"].iter_rows(min_row=3, values_only=True))
    assert supervisors == [("Amira Hussain", 3, 3.5), ("Daniel Okafor", 2, 2)]
    schools = list(book["Schools by service"].iter_rows(min_row=3, values_only=True))
    assert schools[-1] == ("All services", None, "fewer than 5", None, "fewer than 5")
    event = AuditEvent.objects.get(action="insights.download.xlsx")
    assert event.actor == autumn.site.staff
    assert event.data["period"].startswith("Autumn term 2026")


def _pdf_text(pdf: bytes) -> str:
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        try:
            out.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out)


def test_termly_summary_pdf(client, autumn, settings):
    settings.RECORD_PDF_FONT = ""  # built-in font: text is stored as plain strings
    login(client, autumn.site.staff)
    response = client.get("/admin/insights/summary.pdf", AUTUMN)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    for expected in (
        "Safeguarding supervision: Autumn term 2026",
        "5.5 hours",
        "fewer than 5 new",
        "Amira Hussain",
        "Request to first session",
    ):
        assert expected in text, expected
    # Nothing names a school or a supervisee.
    assert "School 1" not in text and "Supervisee" not in text
    assert AuditEvent.objects.filter(action="insights.download.pdf").count() == 1


def test_supervisors_may_not_download(client, autumn):
    login(client, autumn.site.user_a)
    for url in ("/admin/insights/download.xlsx", "/admin/insights/summary.pdf"):
        assert client.get(url, AUTUMN).status_code == 302
    assert not AuditEvent.objects.filter(action__startswith="insights.download").exists()
