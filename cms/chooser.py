"""Which pages the admin's page chooser offers a user (issue 13, finding 11).

Wagtail's page chooser lists and searches every page, so a supervisor without any page
permission could read the titles of draft and private pages through its search box. The
chooser now offers the pages the user may edit, and pages anyone may read anyway (live and
without a view restriction): a link to a public page reveals nothing, and editors need it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy


def pages_choosable_by(user: Any) -> QuerySet[Page]:
    """Pages ``user`` may edit, plus live public pages; the site root is navigable for all."""
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])
    public = Page.objects.live().public()
    return Page.objects.filter(
        Q(pk__in=editable.values("pk")) | Q(pk__in=public.values("pk")) | Q(depth=1)
    )


def limit_page_chooser(pages: QuerySet[Page], request: Any) -> QuerySet[Page]:
    """The ``construct_page_chooser_queryset`` hook: browse and search alike."""
    return pages.filter(pk__in=pages_choosable_by(request.user).values("pk"))
