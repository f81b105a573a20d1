"""The PDF copy: a real PDF with the record in it, with or without a Unicode font."""

from __future__ import annotations

import re
import zlib

import pytest

from records.pdf import fold_to_latin1, render_record_pdf
from records.services import add_addendum, submit_record
from tests.helpers.records import content, make_record

pytestmark = pytest.mark.django_db


def _text_streams(pdf: bytes) -> str:
    """The page content streams, inflated (Helvetica text is stored as plain strings)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        try:
            out.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out)


def test_fold_to_latin1_keeps_accents_and_plain_quotes():
    curly = "Siobh\u00e1n\u2019s \u201cnotes\u201d \u2013 done\u2026"
    assert fold_to_latin1(curly) == 'Siobh\u00e1n\'s "notes" - done...'
    # No Latin-1 form and no decomposition: replaced, so the PDF can always be drawn.
    assert fold_to_latin1("\u0141\u00f3d\u017a \u2192") == "?\u00f3dz ->"
    assert fold_to_latin1("\u2713") == "?"


def test_pdf_with_builtin_font_contains_the_record(records_site, settings):
    settings.RECORD_PDF_FONT = ""
    record = make_record(records_site)
    record = submit_record(
        record=record,
        content=content(
            reflections="Supervisee\u2019s reflections on \u201ccapacity\u201d \u2013 and workload."
        ),
        confirmed=set(),
        actor=records_site.user_a,
    )
    add_addendum(
        record=record, text="A small correction.", confirmed=set(), actor=records_site.user_a
    )
    pdf = render_record_pdf(record)
    assert pdf.startswith(b"%PDF")
    text = _text_streams(pdf)
    assert record.reference in text
    assert 'Supervisee\'s reflections on "capacity" - and workload.' in text
    assert "Risk management" in text
    assert "Share the threshold guidance" in text
    assert "A small correction." in text


def test_pdf_with_a_unicode_font_when_configured(records_site, settings):
    from pathlib import Path

    font = Path(settings.RECORD_PDF_FONT)
    record = make_record(records_site)
    record = submit_record(
        record=record,
        content=content(reflections="\u0141\u00f3d\u017a exchange visit \u2013 reflections."),
        confirmed=set(),
        actor=records_site.user_a,
    )
    pdf = render_record_pdf(record)
    assert pdf.startswith(b"%PDF")
    # With the font present it is embedded; without it the built-in font is used instead.
    assert (b"/FontFile2" in pdf) == font.is_file()
