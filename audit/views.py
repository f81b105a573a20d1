"""The audit log screen: search and filter for staff allowed to see it; downloads via exports.

Read-only by construction: the permission policy grants nothing but "view" (not even to
superusers), and the viewset publishes only the listing and the inspect page. Downloads (Excel,
CSV) are written by the exports app, which audits each one; they hold metadata columns only.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.functional import cached_property
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy

from audit.models import AuditEvent


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
    """The listing. Its downloads are written by the exports app (typed, titled, audited):
    the header buttons carry the listing's filters there, and an old ``?export=`` link is
    redirected the same way. The URL is looked up by name, so audit imports nothing above it.
    """

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        fmt = request.GET.get("export")
        if fmt:
            url = self.download_url("csv" if fmt == "csv" else "xlsx")
            if url is None:
                raise Http404("Exports are not installed.")
            return redirect(url)
        return super().get(request, *args, **kwargs)

    def download_url(self, fmt: str) -> str | None:
        try:
            base = reverse("exports_admin:audit_log")
        except NoReverseMatch:
            return None
        params = self.request.GET.copy()
        for key in ("export", "p"):
            params.pop(key, None)
        params["format"] = fmt
        return f"{base}?{params.urlencode()}"

    @cached_property
    def header_more_buttons(self) -> list[Any]:
        buttons = list(super().header_more_buttons)
        for fmt, label in (("xlsx", "Download Excel"), ("csv", "Download CSV")):
            url = self.download_url(fmt)
            if url:
                buttons.append(Button(label, url=url, icon_name="download", priority=90))
        return buttons


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    icon = "history"
    menu_label = "Audit log"
    menu_order = 900
    add_to_admin_menu = True
    url_prefix = "audit-log"
    index_view_class = AuditEventIndexView
    list_display = ["timestamp", "action", "actor_label", "target_type", "target_label"]
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
