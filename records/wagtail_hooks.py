"""Admin wiring: the records menu item and screens, and the overdue records dashboard panel."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from records import admin_views
from records.models import SessionRecord

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


@hooks.register("construct_homepage_panels")
def add_overdue_records_panel(request: Any, panels: list[Any]) -> None:
    if request.user.has_perm("records.view_sessionrecord"):
        panels.append(OverdueRecordsPanel())
