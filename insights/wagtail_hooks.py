"""Admin wiring: the Insights menu item and its screens, for holders of insights.view_insights."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from insights import views


class InsightsMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return request.user.has_perm(views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_insights_menu_item() -> MenuItem:
    return InsightsMenuItem(
        "Insights", reverse("insights_admin:index"), icon_name="table", order=170
    )


@hooks.register("register_admin_urls")
def register_insights_urls() -> list[Any]:
    urls = [
        path("", views.insights_index, name="index"),
        path("download.xlsx", views.insights_xlsx, name="xlsx"),
        path("summary.pdf", views.insights_pdf, name="pdf"),
    ]
    return [path("insights/", include((urls, "insights_admin"), namespace="insights_admin"))]
