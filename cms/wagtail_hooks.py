"""Admin menus for the content tables editors pick from, and Settings → Supervisor accounts."""

from typing import Any

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms import admin_views
from cms.admin_views import may_link_accounts
from cms.chooser import limit_page_chooser
from cms.models import AudienceRole, Rate, SignpostRoute, Topic


class RateViewSet(SnippetViewSet):
    model = Rate
    icon = "tag"
    menu_label = "Prices"
    list_display = ["service", "duration_minutes", "price", "valid_from"]
    list_filter = ["duration_minutes"]
    ordering = ["service__title", "duration_minutes", "-valid_from"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "list-ul"
    menu_label = "Topics discussed"
    list_display = ["name", "sort_order"]


class SignpostRouteViewSet(SnippetViewSet):
    model = SignpostRoute
    icon = "arrow-right"
    menu_label = "Signposting routes"
    list_display = ["topic", "destination", "sort_order"]


class AudienceRoleViewSet(SnippetViewSet):
    model = AudienceRole
    icon = "group"
    menu_label = "Roles supported"
    list_display = ["name", "slug", "sort_order"]


class ServiceContentGroup(SnippetViewSetGroup):
    items = (RateViewSet, TopicViewSet, SignpostRouteViewSet, AudienceRoleViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Service content"
    menu_name = "service-content"


register_snippet(ServiceContentGroup)


# --- Settings → Supervisor accounts (user administration, not content) -------------------------


class SupervisorAccountsMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return may_link_accounts(request.user)


@hooks.register("register_settings_menu_item")
def register_supervisor_accounts_menu_item() -> MenuItem:
    return SupervisorAccountsMenuItem(
        "Supervisor accounts",
        reverse("cms_supervisor_accounts:list"),
        icon_name="user",
        order=610,
    )


@hooks.register("register_admin_urls")
def register_supervisor_accounts_urls() -> list[Any]:
    urls = [
        path("", admin_views.account_list, name="list"),
        path("<int:page_id>/", admin_views.account_edit, name="edit"),
    ]
    return [
        path(
            "supervisor-accounts/",
            include((urls, "cms_supervisor_accounts"), namespace="cms_supervisor_accounts"),
        )
    ]


@hooks.register("register_permissions")
def register_supervisor_account_permission() -> Any:
    """Offer the permission on Settings → Groups, so it can be granted to a user-admin group."""
    return Permission.objects.filter(
        content_type__app_label="cms", codename="link_supervisor_account"
    )


# --- The page chooser offers only pages the user may edit or anyone may read (cms/chooser.py) --
hooks.register("construct_page_chooser_queryset", limit_page_chooser)
