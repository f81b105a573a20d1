"""The "My calendar feed" account menu item and page, and the staff list of live feeds."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from calendar_feed import views
from workflows.permissions import is_service_staff


@hooks.register("register_admin_urls")
def register_calendar_feed_urls() -> list[Any]:
    return [
        path("calendar-feed/", views.my_feed, name="calendar_feed_mine"),
        path("calendar-feed/all/", views.staff_feed_list, name="calendar_feed_staff_list"),
        path(
            "calendar-feed/all/<int:feed_id>/stop/",
            views.staff_revoke,
            name="calendar_feed_staff_revoke",
        ),
    ]


@hooks.register("register_account_menu_item")
def my_feed_account_item(request: Any) -> dict[str, str]:
    return {
        "url": reverse("calendar_feed_mine"),
        "label": "My calendar feed",
        "help_text": "Subscribe to your supervision sessions in Outlook, Google or Apple "
        "Calendar; make a new address if the old one may have been shared.",
    }


class StaffOnlyMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return is_service_staff(request.user)


@hooks.register("register_settings_menu_item")
def staff_feeds_menu_item() -> MenuItem:
    return StaffOnlyMenuItem(
        "Calendar feeds", reverse("calendar_feed_staff_list"), icon_name="date", order=900
    )
