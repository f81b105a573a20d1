"""The supervision agreement: drafted from the published policy, signed by both sides."""

from __future__ import annotations

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cms.models import PolicyPage
from workflows.enums import Role
from workflows.errors import ActionError
from workflows.models.domain import AccessToken, Agreement, Booking
from workflows.models.engine import Case, Workflow
from workflows.services.engine import apply_transition, start_case
from workflows.services.scheduling import confirm_sessions
from workflows.services.wording import issue_wording
from workflows.subjects import booking_case

AGREEMENT_WORKFLOW = "supervision-agreement"


def agreement_terms(*, booking: Booking, policy: PolicyPage, review_date: Any = None) -> str:
    """The agreement text as it would be issued today, from the published agreement wording.

    Pages show it under their own "Supervision agreement" heading with a link to the policy,
    so the wording repeats neither the heading nor the policy's summary.
    """
    return issue_wording(
        booking=booking, policy=policy, review_date=review_date or _default_review_date()
    ).text


def _default_review_date() -> Any:
    return timezone.localdate() + relativedelta(months=settings.AGREEMENT_REVIEW_MONTHS)


def create_agreement(*, booking: Booking, actor: Any) -> Agreement:
    """The booking's agreement (made once) and its case, a child of the booking's case."""
    policy = PolicyPage.objects.live().order_by("-effective_from").first()
    if policy is None:
        raise ActionError("Publish the supervision policy before accepting bookings.")
    workflow = Workflow.objects.filter(slug=AGREEMENT_WORKFLOW).first()
    if workflow is None:
        raise ActionError(f"The '{AGREEMENT_WORKFLOW}' workflow is missing.")
    existing = booking.agreements.first()
    if existing is not None:
        return existing
    review_date = _default_review_date()
    issued = issue_wording(booking=booking, policy=policy, review_date=review_date)
    agreement = Agreement.objects.create(
        booking=booking,
        policy_page=policy,
        policy_revision_id=policy.live_revision_id,
        policy_version=policy.version,
        terms=issued.text,
        wording_revision=issued.revision,
        review_date=review_date,
    )
    start_case(
        workflow=workflow,
        subject=agreement,
        actor=actor,
        reference=f"{booking.reference}-A",
        parent=booking_case(booking),
    )
    return agreement


def agreement_case(agreement: Agreement) -> Case:
    return Case.objects.for_subject(agreement).select_related("state").get()


@transaction.atomic
def sign_as_supervisee(
    *, agreement: Agreement, typed_name: str, link: AccessToken, request: Any = None
) -> Agreement:
    """The supervisee signs through their emailed ``link`` (which the engine checks)."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.supervisee_signed_at:
        raise ActionError("You have already signed this agreement.")
    agreement.supervisee_signed_name = typed_name
    agreement.supervisee_signed_at = timezone.now()
    agreement.save(update_fields=["supervisee_signed_name", "supervisee_signed_at"])
    apply_transition(
        case=agreement_case(agreement),
        transition_key="supervisee_signs",
        actor=f"{typed_name} (supervisee)",
        role=Role.SUPERVISEE,
        inputs={"comment": f"Signed as '{typed_name}'"},
        request=request,
        link=link,
    )
    return agreement


def record_supervisor_signature(*, agreement: Agreement, user: Any) -> None:
    if not agreement.supervisee_signed_at:
        raise ActionError("The supervisee signs first.")
    if agreement.supervisor_signed_at:
        raise ActionError("The supervisor has already signed.")
    agreement.supervisor_signed_by = user if getattr(user, "is_authenticated", False) else None
    agreement.supervisor_signed_at = timezone.now()
    agreement.save(update_fields=["supervisor_signed_by", "supervisor_signed_at"])


def activate_booking(*, agreement: Agreement, actor: Any) -> None:
    """Both have signed: provisional sessions become confirmed and the booking goes active."""
    if not agreement.fully_signed:
        raise ActionError("Both the supervisee and the supervisor must sign first.")
    booking = agreement.booking
    confirm_sessions(booking=booking)
    case = booking_case(booking)
    if case is None:
        return
    activate = case.workflow.transitions.filter(key="activate").first()
    if activate is not None and activate.applies_to(case.state):
        apply_transition(case=case, transition_key="activate", actor=None, role=Role.SYSTEM)


@transaction.atomic
def request_review(
    *,
    agreement: Agreement,
    requested_by: str,
    actor: Any,
    role: str,
    link: AccessToken | None = None,
    request: Any = None,
) -> Agreement:
    """Ask for the agreement to be reviewed early; the supervisee asks through their ``link``."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    agreement.review_requested_at = timezone.now()
    agreement.review_requested_by = requested_by
    agreement.save(update_fields=["review_requested_at", "review_requested_by"])
    apply_transition(
        case=agreement_case(agreement),
        transition_key="request_review",
        actor=actor,
        role=role,
        inputs={"comment": f"Review requested by {requested_by}"},
        request=request,
        link=link,
    )
    return agreement


def set_review_date(*, agreement: Agreement, review_date: datetime.date | None) -> None:
    """Move the agreement's next review date (after a review); its reminder is sent again."""
    if review_date is None or review_date <= timezone.localdate():
        raise ActionError("The next review date must be in the future.")
    Agreement.objects.filter(pk=agreement.pk).update(
        review_date=review_date, review_reminded_at=None
    )
    agreement.review_date, agreement.review_reminded_at = review_date, None
