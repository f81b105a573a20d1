"""Admin menus for the content tables editors pick from."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

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
