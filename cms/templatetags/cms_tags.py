from __future__ import annotations

from typing import Any

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("includes/site_nav.html", takes_context=True)
def site_menu(context: dict[str, Any]) -> dict[str, Any]:
    """Top-level pages ticked "show in menus", with the current one marked."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items: list[Page] = []
    if site is not None:
        items = list(site.root_page.get_children().live().public().in_menu().specific(defer=True))
    page = context.get("page")
    return {"items": items, "current_id": getattr(page, "id", None), "request": request}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context: dict[str, Any]) -> dict[str, Any]:
    """Ancestors below the site root, for the breadcrumb trail."""
    page = context.get("page")
    ancestors: list[Page] = []
    if page is not None and page.depth > 2:
        ancestors = list(page.get_ancestors().filter(depth__gte=2))
    return {"ancestors": ancestors, "page": page, "request": context.get("request")}
