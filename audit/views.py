"""The audit log screen: search, filter and export (CSV, Excel) for staff allowed to see it.

Read-only by construction: the permission policy grants nothing but "view" (not even to
superusers), the viewset publishes only the listing and the inspect page, and every export is
itself written to the log. Exports hold the event metadata columns only.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.models import AbstractBaseUser
from django.urls import path
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from audit.models import AuditEvent
from audit.services import log_event

EXPORT_COLUMNS = [
    "timestamp",
    "action",
    "actor_label",
    "target_type",
    "target_id",
    "target_label",
    "ip_address",
]
# A spreadsheet opens a cell starting with one of these as a formula (CSV injection); the
# labels come partly from users (e.g. the username typed at a failed sign-in).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class AuditLogPermissionPolicy(ModelPermissionPolicy):
    """Only ``audit.view_auditevent`` means anything; add/change/delete are never granted."""

    def user_has_permission(self, user: AbstractBaseUser, action: str) -> bool:
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions: Any) -> Any:
        return super().users_with_any_permission([a for a in actions if a == "view"])


class AuditEventFilterSet(WagtailFilterSet):
    action = django_filters.CharFilter(
        lookup_expr="istartswith", label="Action starts with", help_text="e.g. accounts.login"
    )
    actor_label = django_filters.CharFilter(lookup_expr="icontains", label="Who")
    target_type = django_filters.CharFilter(lookup_expr="iexact", label="Object type")
    timestamp = django_filters.DateFromToRangeFilter(label="Date", widget=DateRangePickerWidget)

    class Meta:
        model = AuditEvent
        fields = ["action", "actor_label", "target_type", "timestamp"]


class AuditEventIndexView(IndexView):
    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> Any:
        if self.is_export:
            log_event(
                action="audit.log.exported",
                request=self.request,
                data={
                    "format": self.request.GET.get("export"),
                    "filters": {k: v[:200] for k, v in self.request.GET.items() if k != "export"},
                    "rows": context["object_list"].count(),
                },
            )
        return super().render_to_response(context, **response_kwargs)

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        return neutralise_formula(super().preprocess_field_value(field, value, export_format))


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    icon = "history"
    menu_label = "Audit log"
    menu_order = 900
    add_to_admin_menu = True
    url_prefix = "audit-log"
    index_view_class = AuditEventIndexView
    list_display = ["timestamp", "action", "actor_label", "target_type", "target_label"]
    list_export = EXPORT_COLUMNS
    export_filename = "audit-log"
    filterset_class = AuditEventFilterSet
    search_fields = ["action", "actor_label", "target_label", "target_id"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add", "edit", "delete", "history", "usage", "copy"):
            view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self) -> list[Any]:
        # Listing, its AJAX results and the read-only detail; no add, edit, delete, history.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<str:pk>/", self.inspect_view, name="inspect"),
        ]
