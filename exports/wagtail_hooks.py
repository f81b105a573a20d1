"""Admin → Exports (menu, screens) and the "Can export" permission in group editing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from exports import views
from exports.permissions import may_export


class ExportsMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return may_export(request.user)


@hooks.register("register_admin_menu_item")
def register_exports_menu_item() -> MenuItem:
    return ExportsMenuItem(
        "Exports", reverse("exports_admin:index"), icon_name="download", order=170
    )


@hooks.register("register_admin_urls")
def register_exports_urls() -> list[Any]:
    urls = [
        path("", views.index, name="index"),
        path("jobs/<int:job_id>/", views.job_detail, name="job"),
        path("jobs/<int:job_id>/download/", views.download, name="download"),
        path("audit-log/", views.audit_log, name="audit_log"),
    ]
    return [path("exports/", include((urls, "exports_admin"), namespace="exports_admin"))]


@hooks.register("register_permissions")
def register_export_permission() -> Any:
    return Permission.objects.filter(content_type__app_label="exports", codename="export_all")
