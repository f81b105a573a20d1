"""The supervision agreement's wording: content staff edit, with placeholders and a preview.

The wording was once a Python string. It is the service's promise to schools, so editors own
it: Admin → Processes → Agreement wording. It is a Wagtail snippet with drafts and revisions
(a saved draft changes nothing; publishing does) and a live preview filled with an example
booking. Each agreement copies the text as issued into ``Agreement.terms`` and points at the
revision it came from, so a later edit never rewrites an agreement already sent.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin
from wagtail.search import index

from workflows.templating import placeholders_in, render

#: Placeholders the wording may use, with what each becomes (shown to editors).
AGREEMENT_PLACEHOLDERS: dict[str, str] = {
    "reference": "the booking reference, e.g. SUP-7K3QXD",
    "school": "the school's name",
    "urn": "the school's URN",
    "supervisee": "the supervisee's name",
    "supervisor": "the supervisor's name",
    "supervisor_job_title": "the supervisor's job title",
    "service": "the service booked",
    "format": "individual or group (with the number of people)",
    "length_and_price": "the session length and price, e.g. £60 per 60 minutes",
    "frequency": "how often sessions are held, as the school asked",
    "location": "the place the supervisee chose on the booking form",
    "sessions": "the sessions booked, one per line",
    "review_date": "the date the agreement is reviewed",
    "policy": "the supervision policy's title",
    "policy_version": "the policy's version",
    "policy_effective_from": "the date the policy applies from",
}

PLACEHOLDER_HELP = "Placeholders, filled in for each booking: " + "; ".join(
    f"{{{{ {name} }}}} ({meaning})" for name, meaning in AGREEMENT_PLACEHOLDERS.items()
)


class AgreementWording(
    PreviewableMixin, DraftStateMixin, RevisionMixin, index.Indexed, models.Model
):
    """The text every new supervision agreement is made from (the published one is used)."""

    name = models.CharField(
        max_length=120,
        default="Supervision agreement",
        verbose_name="Name",
        help_text="For staff only, e.g. 'Supervision agreement (2026)'.",
    )
    body = models.TextField(
        verbose_name="Wording",
        help_text="Plain text; blank lines separate paragraphs. " + PLACEHOLDER_HELP + ".",
    )

    panels = [FieldPanel("name"), FieldPanel("body")]
    search_fields = [index.SearchField("name")]

    class Meta:
        verbose_name = "agreement wording"
        verbose_name_plural = "agreement wording"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        unknown = placeholders_in(self.body) - set(AGREEMENT_PLACEHOLDERS)
        if unknown:
            raise ValidationError(
                {
                    "body": f"Unknown placeholder(s): {', '.join(sorted(unknown))}. "
                    f"Use: {', '.join(AGREEMENT_PLACEHOLDERS)}."
                }
            )

    # --- preview: the wording filled in for an example booking --------------------------

    def get_preview_template(self, request: Any, mode_name: str) -> str:
        return "workflows/agreement_wording_preview.html"

    def get_preview_context(self, request: Any, mode_name: str) -> dict[str, Any]:
        context = super().get_preview_context(request, mode_name)
        context["terms"] = render(self.body, example_values())
        return context


def example_values() -> dict[str, str]:
    """Made-up values for the editor's preview: no real school or person."""
    return {
        "reference": "SUP-EXAMPL",
        "school": "Example Primary School",
        "urn": "100000",
        "supervisee": "Sam Example",
        "supervisor": "Alex Example",
        "supervisor_job_title": "Safeguarding supervisor",
        "service": "DSL supervision",
        "format": "Individual",
        "length_and_price": f"£{Decimal('60')} per 60 minutes",
        "frequency": "Once each half term",
        "location": "The school's quiet room",
        "sessions": "- Monday 12 January 2027, 14:00 for 60 minutes at The school's quiet room "
        "(provisional)",
        "review_date": "12 July 2027",
        "policy": "Supervision policy",
        "policy_version": "2026.1",
        "policy_effective_from": "01 September 2026",
    }
