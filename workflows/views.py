"""Public views for supervisees: asking for a link, and the pages behind it.

Every object is looked up through the link's email address, so a valid link for one person
never reaches another person's booking: a guessed id is simply not found.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from workflows.decorators import supervisee_link_required
from workflows.enums import Role, SessionStatus
from workflows.errors import WorkflowError
from workflows.forms import RequestLinkForm, SessionChangeForm, SignAgreementForm
from workflows.models import AccessToken, Agreement, Booking, Case, Session
from workflows.services.agreements import request_review, sign_as_supervisee
from workflows.services.engine import apply_transition
from workflows.services.portal import send_portal_link
from workflows.services.ratelimit import RateLimited, check_submission_rate
from workflows.subjects import booking_case


@never_cache
@require_http_methods(["GET", "POST"])
def request_link(request: HttpRequest) -> HttpResponse:
    """Send a fresh link to an address. The answer is the same whether or not we know it."""
    form = RequestLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_submission_rate(request, email=form.cleaned_data["email"], scope="link")
        except RateLimited as exc:
            return render(
                request,
                "workflows/portal/request_link.html",
                {"form": form, "error": str(exc)},
                status=429,
            )
        send_portal_link(email=form.cleaned_data["email"])
        return render(request, "workflows/portal/link_sent.html")
    return render(request, "workflows/portal/request_link.html", {"form": form})


@supervisee_link_required
def portal(request: HttpRequest, token: str, *, access: AccessToken) -> HttpResponse:
    bookings = (
        Booking.objects.for_supervisee(access.email)
        .select_related("school", "supervisor", "service")
        .prefetch_related("sessions", "agreements")
        .order_by("-created_at")
    )
    cases = {
        c.subject_id: c
        for c in Case.objects.for_subjects(Booking, [b.pk for b in bookings]).select_related(
            "state"
        )
    }
    rows = [(b, cases.get(b.pk)) for b in bookings]
    return render(request, "workflows/portal/portal.html", {"token": token, "rows": rows})


def _agreement_for(access: AccessToken, agreement_id: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.select_related("booking__school", "booking__supervisor"),
        pk=agreement_id,
        booking__supervisee_email=access.email,
    )


@supervisee_link_required(methods=("GET", "POST"))
def agreement(
    request: HttpRequest, token: str, agreement_id: int, *, access: AccessToken
) -> HttpResponse:
    item = _agreement_for(access, agreement_id)
    form = SignAgreementForm(request.POST or None, expected_name=item.booking.supervisee_name)
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "review":
            try:
                request_review(
                    agreement=item,
                    requested_by=item.booking.supervisee_name,
                    actor=f"{item.booking.supervisee_name} (supervisee)",
                    role=Role.SUPERVISEE,
                    link=access,
                    request=request,
                )
            except WorkflowError as exc:
                error = str(exc)
            else:
                return redirect("workflows:agreement", token=token, agreement_id=item.pk)
        elif form.is_valid():
            try:
                sign_as_supervisee(
                    agreement=item,
                    typed_name=form.cleaned_data["typed_name"],
                    link=access,
                    request=request,
                )
            except WorkflowError as exc:
                error = str(exc)
            else:
                return redirect("workflows:agreement", token=token, agreement_id=item.pk)
    return render(
        request,
        "workflows/portal/agreement.html",
        {"token": token, "agreement": item, "form": form, "error": error},
        status=400 if error or (request.method == "POST" and not form.is_valid()) else 200,
    )


@supervisee_link_required(methods=("GET", "POST"))
def session_change(
    request: HttpRequest, token: str, session_id: int, *, access: AccessToken
) -> HttpResponse:
    session = get_object_or_404(
        Session.objects.select_related("booking"),
        pk=session_id,
        booking__supervisee_email=access.email,
        status__in=[SessionStatus.PROVISIONAL, SessionStatus.CONFIRMED],
    )
    form = SessionChangeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        case = booking_case(session.booking)
        if case is None:
            raise Http404
        key = (
            "supervisee_cancels_session"
            if form.cleaned_data["action"] == "cancel"
            else "supervisee_asks_reschedule"
        )
        try:
            with transaction.atomic():
                apply_transition(
                    case=case,
                    transition_key=key,
                    actor=f"{session.booking.supervisee_name} (supervisee)",
                    role=Role.SUPERVISEE,
                    inputs={"reason": form.cleaned_data["reason"], "session_id": session.pk},
                    request=request,
                    link=access,
                )
        except WorkflowError as exc:
            error = str(exc)
        else:
            return redirect("workflows:portal", token=token)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workflows/portal/session_change.html",
        {"token": token, "session": session, "form": form, "error": error},
        status=status,
    )
