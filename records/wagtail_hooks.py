"""Admin wiring: the records menu item and screens, and the overdue records dashboard panel."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from records import admin_views
from records.models import SessionRecord
from workflows.enums import SessionStatus, WorkflowSubject
from workflows.models import Agreement, Case, Session

DASHBOARD_LIMIT = 10


class RecordsMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return request.user.has_perm("records.view_sessionrecord")


@hooks.register("register_admin_menu_item")
def register_records_menu_item() -> MenuItem:
    return RecordsMenuItem(
        "Session records", reverse("records_admin:list"), icon_name="doc-full", order=160
    )


@hooks.register("register_admin_urls")
def register_records_urls() -> list[Any]:
    urls = [
        path("", admin_views.record_list, name="list"),
        path("<int:record_id>/", admin_views.record_detail, name="detail"),
        path("<int:record_id>/write/", admin_views.record_edit, name="edit"),
        path("<int:record_id>/addendum/", admin_views.record_addendum, name="addendum"),
        path("<int:record_id>/pdf/", admin_views.record_pdf, name="pdf"),
        path("start/<int:session_id>/", admin_views.record_start, name="start"),
    ]
    return [path("records/", include((urls, "records_admin"), namespace="records_admin"))]


class OverdueRecordsPanel(Component):
    """Dashboard panel: records past their due date, for staff (all) and supervisors (own)."""

    name = "overdue_session_records"
    template_name = "records/panels/overdue_records.html"
    order = 50

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        user = parent_context["request"].user
        overdue = (
            SessionRecord.objects.visible_to(user).overdue().for_listing().order_by("due_date")
        )
        rows = list(overdue[: DASHBOARD_LIMIT + 1])
        return {
            "records": rows[:DASHBOARD_LIMIT],
            "more": len(rows) > DASHBOARD_LIMIT,
            "list_url": reverse("records_admin:list") + "?show=overdue",
        }


class WaitingForYouPanel(Component):
    """Dashboard panel: what is waiting for this user, each row linking to where to act.

    New requests, agreements to countersign, records due and rearrangement requests, scoped
    with the same rules as the listings (the querysets' ``visible_to``): a supervisor
    sees their own, service staff see every booking's. Lives here because records is the app
    that may read both bookings and records. Five queries whatever the number of rows.
    """

    name = "waiting_for_you"
    template_name = "records/panels/waiting_for_you.html"
    order = 10

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        user = parent_context["request"].user
        cases = Case.objects.visible_to(user).filter(workflow__subject=WorkflowSubject.BOOKING)
        requests = list(
            cases.filter(state__key="submitted")
            .select_related("state")
            .order_by("created_at")[: DASHBOARD_LIMIT + 1]
        )
        agreements = list(
            Agreement.objects.filter(
                booking__supervisor__user=user,
                supervisee_signed_at__isnull=False,
                supervisor_signed_at__isnull=True,
            ).select_related("booking__school")[: DASHBOARD_LIMIT + 1]
        )
        records = list(
            SessionRecord.objects.visible_to(user)
            .filter(submitted_at__isnull=True, content_removed_at__isnull=True)
            .for_listing()
            .order_by("due_date")[: DASHBOARD_LIMIT + 1]
        )
        rearrange = list(
            Session.objects.visible_to(user)
            .filter(
                reschedule_requested_at__isnull=False,
                status__in=(SessionStatus.PROVISIONAL, SessionStatus.CONFIRMED),
            )
            .select_related("booking__school")
            .order_by("start")[: DASHBOARD_LIMIT + 1]
        )
        case_ids = dict(
            cases.filter(
                reference__in=[a.booking.reference for a in agreements]
                + [s.booking.reference for s in rearrange]
            ).values_list("reference", "pk")
        )
        return {
            "requests": requests[:DASHBOARD_LIMIT],
            "agreements": [(a, case_ids.get(a.booking.reference)) for a in agreements][
                :DASHBOARD_LIMIT
            ],
            "records": records[:DASHBOARD_LIMIT],
            "rearrange": [(s, case_ids.get(s.booking.reference)) for s in rearrange][
                :DASHBOARD_LIMIT
            ],
            "nothing": not (requests or agreements or records or rearrange),
        }


@hooks.register("construct_homepage_panels")
def add_waiting_for_you_panel(request: Any, panels: list[Any]) -> None:
    panels.insert(0, WaitingForYouPanel())


@hooks.register("construct_homepage_panels")
def add_overdue_records_panel(request: Any, panels: list[Any]) -> None:
    if request.user.has_perm("records.view_sessionrecord"):
        panels.append(OverdueRecordsPanel())
