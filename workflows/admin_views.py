"""Admin screens for a case: its subject, history and the steps the viewer may take."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from workflows.definition import WorkflowDefinition
from workflows.diagram import diagram_context
from workflows.enums import InputKind, Role, SessionStatus, WorkflowSubject
from workflows.errors import TransitionError
from workflows.forms import MoveSessionFormSet, SessionSlotFormSet, TransitionForm
from workflows.models import Case, Session
from workflows.registry import needs_chosen_session
from workflows.services.engine import apply_transition, available_transitions, case_roles
from workflows.subjects import booking_of


def _case_for(request: HttpRequest, case_id: int) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related("state", "workflow"), pk=case_id
    )


def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """A case with its booking, agreement (full text), sessions, records and history.

    An agreement's own steps (countersigning) are offered here too, beside its text, so the
    supervisor reads what they sign on the booking's case the emails link to.
    """
    case = _case_for(request, case_id)
    roles = case_roles(request.user, case)
    booking = booking_of(case)
    related = []
    agreements = []
    session_steps: list[Any] = []
    if booking is not None:
        family = case.parent or case
        related = list(
            Case.objects.visible_to(request.user)
            .filter(Q(pk=family.pk) | Q(parent=family))
            .exclude(pk=case.pk)
            .select_related("state", "workflow")
        )
        for agreement in booking.agreements.select_related("policy_page"):
            agreement_case = next(
                (c for c in related if c.subject_id == agreement.pk and _is_agreement(c)), None
            )
            if agreement_case is None and case.subject == agreement:
                agreement_case = case
            steps = []
            if agreement_case is not None and agreement_case.pk != case.pk:
                steps = available_transitions(
                    agreement_case, case_roles(request.user, agreement_case)
                )
            agreements.append({"agreement": agreement, "case": agreement_case, "steps": steps})
        if case.subject == booking:
            session_steps = [
                t for t in available_transitions(case, roles) if needs_chosen_session(t)
            ]
    transitions = [t for t in available_transitions(case, roles) if t not in session_steps]
    sessions = booking.sessions.select_related("record").order_by("start") if booking else []
    return TemplateResponse(
        request,
        "workflows/admin/case_detail.html",
        {
            "case": case,
            "subject": case.subject,
            "booking": booking,
            "sessions": sessions,
            "session_steps": session_steps,
            "upcoming": (SessionStatus.PROVISIONAL, SessionStatus.CONFIRMED),
            "agreements": agreements,
            "events": case.events.all(),
            "transitions": transitions,
            "related": related,
            "extra_answers": json.loads(booking.extra_answers)
            if booking and booking.extra_answers
            else {},
            "diagram": diagram_context(
                WorkflowDefinition.from_workflow(case.workflow),
                current=case.state.key,
                id_prefix="case",
            ),
        },
    )


def _is_agreement(case: Case) -> bool:
    return case.workflow.subject == WorkflowSubject.AGREEMENT


def _chosen_session(request: HttpRequest, case: Case) -> Session:
    """The session a per-session step acts on: one of this case's booking's upcoming sessions."""
    booking = booking_of(case)
    value = request.POST.get("session") or request.GET.get("session") or ""
    if booking is None or not value.isdigit():
        raise Http404("Choose a session of this booking.")
    return get_object_or_404(
        booking.sessions.filter(status__in=(SessionStatus.PROVISIONAL, SessionStatus.CONFIRMED)),
        pk=int(value),
    )


def case_transition(request: HttpRequest, case_id: int, transition_key: str) -> HttpResponse:
    case = _case_for(request, case_id)
    roles = case_roles(request.user, case)
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
    session = _chosen_session(request, case) if needs_chosen_session(transition) else None
    booking = booking_of(case)
    needs_sessions = InputKind.SESSIONS in transition.inputs
    data = request.POST if request.method == "POST" else None
    form = TransitionForm(data, inputs=transition.inputs)
    formset = None
    if needs_sessions:
        formset_class = MoveSessionFormSet if session is not None else SessionSlotFormSet
        formset = formset_class(
            data, prefix="sessions", form_kwargs={"booking": booking, "session": session}
        )
    error = ""
    if request.method == "POST":
        valid = form.is_valid() and (formset is None or formset.is_valid())
        if valid:
            inputs = dict(form.cleaned_data)
            if session is not None:
                inputs["session_id"] = session.pk
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
    agreement = case.subject if _is_agreement(case) else None
    return TemplateResponse(
        request,
        "workflows/admin/case_transition.html",
        {
            "case": case,
            "transition": transition,
            "form": form,
            "formset": formset,
            "error": error,
            "session": session,
            "agreement": agreement,
            "booking": booking,
            "error_links": _error_links(form, formset),
        },
        status=400 if request.method == "POST" else 200,
    )


def _error_links(form: Any, formset: Any) -> list[tuple[str, str]]:
    """(anchor, message) for every error on the page, for the error summary at its top."""
    links: list[tuple[str, str]] = []
    if formset is not None:
        links += [("sessions", str(e)) for e in formset.non_form_errors()]
        for number, row in enumerate(formset, start=1):
            anchor = f"session-{number}"
            links += [(anchor, f"Session {number}: {e}") for e in row.non_field_errors()]
            for field in row:
                label = f"Session {number}, {field.label}"
                links += [(field.auto_id, f"{label}: {e}") for e in field.errors]
    if form.is_bound:
        links += [("", str(e)) for e in form.non_field_errors()]
        for field in form:
            links += [(field.auto_id, f"{field.label}: {e}") for e in field.errors]
    return links
