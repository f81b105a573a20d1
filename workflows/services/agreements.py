"""The supervision agreement: drafted from the published policy, signed by both sides."""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cms.models import PolicyPage
from workflows.actions import ActionError
from workflows.enums import Role
from workflows.models import Agreement, Booking, Case, Workflow
from workflows.services.engine import apply_transition, start_case
from workflows.services.scheduling import confirm_sessions
from workflows.services.wording import issue_wording

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


def create_agreement(*, booking: Booking, actor: Any, review_date: Any = None) -> Agreement:
    policy = PolicyPage.objects.live().order_by("-effective_from").first()
    if policy is None:
        raise ActionError("Publish the supervision policy before accepting bookings.")
    workflow = Workflow.objects.filter(slug=AGREEMENT_WORKFLOW).first()
    if workflow is None:
        raise ActionError(f"The '{AGREEMENT_WORKFLOW}' workflow is missing.")
    existing = booking.agreements.first()
    if existing is not None:
        return existing
    review_date = review_date or _default_review_date()
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
        workflow=workflow, subject=agreement, actor=actor, reference=f"{booking.reference}-A"
    )
    return agreement


def agreement_case(agreement: Agreement) -> Case:
    return Case.objects.for_subject(agreement).select_related("state").get()


@transaction.atomic
def sign_as_supervisee(*, agreement: Agreement, typed_name: str, request: Any = None) -> Agreement:
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
    )
    return agreement


@transaction.atomic
def sign_as_supervisor(*, agreement: Agreement, user: Any, request: Any = None) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    apply_transition(
        case=agreement_case(agreement),
        transition_key="supervisor_signs",
        actor=user,
        role=Role.SUPERVISOR,
        request=request,
    )
    agreement.refresh_from_db()
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
    case = Case.objects.for_subject(booking).select_related("state", "workflow").first()
    if case is None:
        return
    activate = case.workflow.transitions.filter(key="activate").first()
    if activate is not None and activate.applies_to(case.state):
        apply_transition(case=case, transition_key="activate", actor=None, role=Role.SYSTEM)


@transaction.atomic
def request_review(*, agreement: Agreement, requested_by: str, actor: Any, role: str) -> Agreement:
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
    )
    return agreement
