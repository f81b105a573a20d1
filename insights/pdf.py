"""The termly summary PDF for governors and the local authority (fpdf2, like records/pdf.py).

The same figures as the page and the workbook, with the same suppression, for one term (or
any period chosen). No names of supervisees, children or schools appear; supervisors are named
with their hours, as on the page.
"""

from __future__ import annotations

from django.conf import settings

from insights.services import LATENESS, Insights

# The record PDF's page set-up and font handling (Unicode font when configured).
from records.pdf import _RecordPDF


class _SummaryPDF(_RecordPDF):
    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.set_title(title)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self._record_family, "", 8)
        self.cell(0, 5, self.text_of(f"{self.reference}. Page {self.page_no()}/{{nb}}"), align="C")

    def grid(self, header: list[str], rows: list[list[object]], first: float = 70) -> None:
        """A simple ruled table: the first column wide, the rest shared equally."""
        rest = (self.epw - first) / max(len(header) - 1, 1)
        widths = [first] + [rest] * (len(header) - 1)
        self.set_font(self._record_family, "B", 9)
        for width, text in zip(widths, header, strict=True):
            self.cell(width, 6, self.text_of(text), border="B")
        self.ln(6)
        self.set_font(self._record_family, "", 9)
        for row in rows:
            for width, text in zip(widths, row, strict=True):
                self.cell(width, 5.5, self.text_of(str(text)))
            self.ln(5.5)
        self.ln(2)


def render_summary_pdf(result: Insights) -> bytes:
    title = f"Safeguarding supervision: {result.period.label}"
    pdf = _SummaryPDF(title)
    pdf.set_author(settings.WAGTAIL_SITE_NAME)
    pdf.add_page()
    pdf.heading(title, size=16)
    scope = ", ".join(
        x.title for x in (result.filters.service, result.filters.supervisor) if x is not None
    )
    pdf.para(
        f"{result.period.start:%d %B %Y} to {result.period.end:%d %B %Y}. "
        f"{scope or 'All services and supervisors'}. Counts below 5 in breakdowns of topics, "
        "signposting and schools show as 'fewer than 5'; 'withheld' marks a count hidden so "
        "that it cannot be worked out from other figures."
    )
    pdf.heading("At a glance")
    pdf.fact("Sessions held", f"{result.sessions_held} ({result.hours_held:g} hours)")
    pdf.fact("Sessions cancelled", str(result.cancellations_total))
    if result.schools_shown:
        pdf.fact("Schools served", f"{result.schools_served} ({result.new_schools} new)")
    pdf.fact("Requests received", str(result.requests))
    pdf.fact(
        "Agreements",
        f"{result.agreements_signed} signed; {result.agreements_waiting} waiting at the end",
    )
    pdf.fact(
        "Records",
        f"{result.records_due} due; {result.on_time_percent} of those finished were on time",
    )

    pdf.heading("From request to first session (median days)")
    pdf.grid(
        ["Step", "Requests", "Median days"],
        [[m.label, m.count, "-" if m.days is None else f"{m.days:g}"] for m in result.pipeline],
    )
    pdf.heading("Hours per supervisor")
    pdf.grid(
        ["Supervisor", "Sessions", "Hours"],
        [[name, n, f"{hours:g}"] for name, n, hours in result.hours_by_supervisor]
        or [["None held", "", ""]],
    )
    pdf.heading("Cancellations")
    pdf.grid(
        ["Cancelled by", *[label for _, label in LATENESS], "All"],
        [[label, *buckets, n] for label, buckets, n in result.cancellation_rows]
        or [["None", "", "", "", "", ""]],
        first=34,
    )
    if result.schools_shown:
        pdf.heading("Schools by service")
        pdf.grid(
            ["Service", "Schools served", "New schools"],
            [[name, served, new] for name, served, new in result.schools_by_service]
            + [["All services", result.schools_served, result.new_schools]],
        )
    if result.breakdowns_note:
        pdf.para(result.breakdowns_note)
    for _key, breakdown in result.breakdowns:
        pdf.heading(breakdown.title)
        pdf.grid(
            ["", "Records in the period"],
            [[row["label"], row["total"]] for row in breakdown.rows] or [["None recorded", ""]],
            first=120,
        )
    return bytes(pdf.output())
