"""Admin screens for a case: its subject, history and the steps the viewer may take."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from workflows.enums import InputKind, Role
from workflows.forms import SessionSlotFormSet, TransitionForm
from workflows.models import Booking, Case
from workflows.permissions import is_service_staff
from workflows.services.engine import (
    TransitionError,
    apply_transition,
    available_transitions,
    booking_of,
    staff_roles,
)


def cases_visible_to(user: Any) -> Any:
    """Cases whose booking the user may see; the single scoping rule for the admin."""
    bookings = Booking.objects.visible_to(user).values("pk")
    if is_service_staff(user):
        return Case.objects.all()
    from django.db.models import Q

    from workflows.models import Agreement

    agreements = Agreement.objects.filter(booking__in=bookings).values("pk")
    return Case.objects.filter(
        Q(subject_type__model="booking", subject_id__in=bookings)
        | Q(subject_type__model="agreement", subject_id__in=agreements)
    )


def _case_for(request: HttpRequest, case_id: int) -> Case:
    return get_object_or_404(
        cases_visible_to(request.user).select_related("state", "workflow"), pk=case_id
    )


def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_for(request, case_id)
    roles = staff_roles(request.user, case)
    booking = booking_of(case)
    related = []
    if booking is not None:
        related = list(
            cases_visible_to(request.user)
            .filter(reference__startswith=booking.reference)
            .exclude(pk=case.pk)
            .select_related("state")
        )
    return TemplateResponse(
        request,
        "workflows/admin/case_detail.html",
        {
            "case": case,
            "subject": case.subject,
            "booking": booking,
            "sessions": booking.sessions.all() if booking else [],
            "agreements": booking.agreements.all() if booking else [],
            "events": case.events.all(),
            "transitions": available_transitions(case, roles),
            "related": related,
            "extra_answers": json.loads(booking.extra_answers)
            if booking and booking.extra_answers
            else {},
        },
    )


def case_transition(request: HttpRequest, case_id: int, transition_key: str) -> HttpResponse:
    case = _case_for(request, case_id)
    roles = staff_roles(request.user, case)
    options = [t for t in available_transitions(case, roles) if t.key == transition_key]
    if not options:
        raise Http404("That step is not available on this case.")
    transition = options[0]
    role = (
        Role.SERVICE_STAFF
        if Role.SERVICE_STAFF in roles.intersection(transition.roles_allowed)
        else Role.SUPERVISOR
    )
    if role not in transition.roles_allowed:
        raise PermissionDenied
    needs_sessions = InputKind.SESSIONS in transition.inputs
    data = request.POST if request.method == "POST" else None
    form = TransitionForm(data, inputs=transition.inputs)
    formset = SessionSlotFormSet(data, prefix="sessions") if needs_sessions else None
    error = ""
    if request.method == "POST":
        valid = form.is_valid() and (formset is None or formset.is_valid())
        if valid:
            inputs = dict(form.cleaned_data)
            if formset is not None:
                inputs["sessions"] = [
                    {
                        "start": f.cleaned_data["start"],
                        "duration_minutes": f.cleaned_data["duration_minutes"],
                        "location": f.cleaned_data["location"],
                    }
                    for f in formset
                    if f.cleaned_data
                ]
            try:
                with transaction.atomic():
                    apply_transition(
                        case=case,
                        transition_key=transition.key,
                        actor=request.user,
                        role=role,
                        inputs=inputs,
                        request=request,
                    )
            except TransitionError as exc:
                error = str(exc)
            else:
                messages.success(request, f"Done: {transition.label}.")
                return redirect("workflows_admin:case", case_id=case.pk)
    return TemplateResponse(
        request,
        "workflows/admin/case_transition.html",
        {"case": case, "transition": transition, "form": form, "formset": formset, "error": error},
        status=400 if request.method == "POST" else 200,
    )
