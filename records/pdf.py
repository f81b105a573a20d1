"""The PDF copy of a submitted record: the same document for supervisee and supervisor.

Built with fpdf2 (pure Python, no system libraries). Text is drawn with a Unicode TrueType font
when ``RECORD_PDF_FONT`` points at one (by default DejaVu Sans where the system has it);
otherwise with the built-in Helvetica, which only covers Latin-1, so other characters are
folded to their nearest Latin-1 form (curly quotes to straight, accents kept where Latin-1 has
them, anything else to '?'). The document is generated on request and never stored.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from records.enums import ActionOwner
from records.models import SessionRecord
from records.services import long_date

_FOLD = str.maketrans(
    {
        "\u2018": "'",  # curly single quotes and the low one
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',  # curly double quotes and the low one
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",  # en and em dashes
        "\u2014": "-",
        "\u2026": "...",
        "\u2192": "->",
        "\u2022": "*",
        "\u00a0": " ",  # no-break, thin and en spaces
        "\u2009": " ",
        "\u2002": " ",
    }
)


def fold_to_latin1(text: str) -> str:
    """Text the built-in PDF fonts can draw: Latin-1 kept, the rest folded or replaced."""
    out = []
    for char in text.translate(_FOLD):
        if ord(char) < 256:
            out.append(char)
            continue
        base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
        out.append(base or "?")
    return "".join(out)


class _RecordPDF(FPDF):
    def __init__(self, reference: str) -> None:
        super().__init__(format="A4")
        self.reference = reference
        self._record_family, self._record_unicode = "helvetica", False
        font = Path(settings.RECORD_PDF_FONT) if settings.RECORD_PDF_FONT else None
        if font is not None and font.is_file():
            bold = font.with_name(font.stem + "-Bold" + font.suffix)
            self.add_font("record", "", str(font))
            self.add_font("record", "B", str(bold if bold.is_file() else font))
            self._record_family, self._record_unicode = "record", True
        self.set_title(f"Supervision session record {reference}")
        self.set_author(settings.WAGTAIL_SITE_NAME)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)

    def text_of(self, value: str) -> str:
        return value if self._record_unicode else fold_to_latin1(value)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self._record_family, "", 8)
        self.cell(
            0,
            5,
            self.text_of(
                f"Confidential: {self.reference}. Keep securely. Page {self.page_no()}/{{nb}}"
            ),
            align="C",
        )

    def heading(self, text: str, size: int = 12) -> None:
        self.ln(2)
        self.set_font(self._record_family, "B", size)
        self.multi_cell(0, 7, self.text_of(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(self._record_family, "", 10)

    def para(self, text: str) -> None:
        self.set_font(self._record_family, "", 10)
        self.multi_cell(
            0, 5.5, self.text_of(text or "(none)"), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def fact(self, label: str, value: str) -> None:
        self.set_font(self._record_family, "B", 10)
        self.cell(48, 6, self.text_of(label))
        self.set_font(self._record_family, "", 10)
        self.multi_cell(0, 6, self.text_of(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render_record_pdf(record: SessionRecord) -> bytes:
    """The record as a PDF document. Only for submitted records whose content still exists."""
    session = record.session
    booking = session.booking
    pdf = _RecordPDF(record.reference)
    pdf.add_page()
    pdf.heading("Supervision session record", size=16)
    pdf.fact("Reference", record.reference)
    pdf.fact("School", booking.school.name)
    pdf.fact("Supervisee", booking.supervisee_name)
    pdf.fact("Supervisor", session.supervisor.title)
    pdf.fact("Date", f"{long_date(session.start)}, {timezone.localtime(session.start):%H:%M}")
    pdf.fact("Length", f"{session.duration_minutes} minutes")
    if record.submitted_at:
        pdf.fact("Submitted", f"{timezone.localtime(record.submitted_at):%d %B %Y %H:%M}")

    pdf.heading("Who attended (by role)")
    attendees = [*record.attendee_list] + (
        [record.other_attendees] if record.other_attendees else []
    )
    pdf.para("; ".join(attendees))
    pdf.heading("Topics discussed")
    pdf.para("\n".join(f"- {t}" for t in record.topic_list))
    pdf.heading("Signposting given")
    pdf.para("\n".join(f"- {s}" for s in record.signposting_list))
    pdf.heading("Reflections")
    pdf.para(record.reflections)
    for answer in record.answer_list:
        pdf.heading(answer["label"], size=11)
        pdf.para(answer["answer"])
    pdf.heading("Actions agreed")
    actions = list(record.actions.all())
    pdf.para(
        "\n".join(
            f"{n}. {a.description} (owner: {ActionOwner(a.owner).label.lower()}; "
            f"by {a.due_date:%d %B %Y})"
            for n, a in enumerate(actions, start=1)
        )
    )
    pdf.heading("Next session")
    pdf.para(long_date(record.next_session_date) if record.next_session_date else "Not yet set")
    for addendum in record.addenda.all():
        when = timezone.localtime(addendum.created_at)
        pdf.heading(f"Addendum, {when:%d %B %Y %H:%M}, by {addendum.author_label}", size=11)
        pdf.para(addendum.text)
    return bytes(pdf.output())


def pdf_response(record: SessionRecord) -> HttpResponse:
    """The PDF as a download; ``never_cache`` on the views keeps it out of shared caches."""
    response = HttpResponse(render_record_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{record.reference}.pdf"'
    return response
