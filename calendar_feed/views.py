"""Pages where people get, copy and rotate their feed URLs.

The URL is shown once, on the page that made it (the database keeps only a hash), with copy
buttons driven by ``calendar_feed/js/copy.js`` (CSP ``script-src 'self'``: no inline script).
Every response is ``never_cache``: a page showing a secret URL must not sit in any cache.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from calendar_feed.enums import FeedKind
from calendar_feed.models import FeedToken
from calendar_feed.services import (
    FeedError,
    feed_url,
    revoke_feed,
    rotate_feed,
    webcal_url,
)
from cms.models import SupervisorPage
from workflows.models import Booking
from workflows.permissions import is_service_staff
from workflows.services.tokens import resolve_token


def _links(token: str) -> dict[str, str]:
    return {"https": feed_url(token), "webcal": webcal_url(token)}


def _may_have_supervisor_feed(user: Any) -> bool:
    return bool(user.is_active and SupervisorPage.objects.filter(user=user).exists())


@never_cache
@require_http_methods(["GET", "POST"])
def my_feed(request: HttpRequest) -> HttpResponse:
    """``/admin/calendar-feed/``: a supervisor's (and a staff member's team) feed."""
    user = request.user
    kinds = []
    if _may_have_supervisor_feed(user):
        kinds.append(FeedKind.SUPERVISOR)
    if is_service_staff(user):
        kinds.append(FeedKind.TEAM)
    if not kinds:
        raise PermissionDenied
    new_links: dict[str, dict[str, str]] = {}
    error = ""
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in kinds:
            raise PermissionDenied
        try:
            token = rotate_feed(kind=kind, user=user, request=request)
        except FeedError as exc:
            error = str(exc)
        else:
            new_links[kind] = _links(token)
    existing = {f.kind: f for f in FeedToken.objects.filter(user=user)}
    feeds = [
        {
            "kind": kind,
            "label": "My sessions" if kind == FeedKind.SUPERVISOR else "Team: every session",
            "existing": existing.get(kind),
            "links": new_links.get(kind),
        }
        for kind in kinds
    ]
    return render(
        request,
        "calendar_feed/my_feed.html",
        {"feeds": feeds, "error": error},
        status=400 if error else 200,
    )


@never_cache
def staff_feed_list(request: HttpRequest) -> HttpResponse:
    """``/admin/calendar-feed/all/``: every live feed URL (not the secrets), for staff."""
    if not is_service_staff(request.user):
        raise PermissionDenied
    feeds = FeedToken.objects.select_related("user").order_by("kind", "created_at")
    return render(request, "calendar_feed/staff_feeds.html", {"feeds": feeds})


@never_cache
@require_POST
def staff_revoke(request: HttpRequest, feed_id: int) -> HttpResponse:
    """Staff stop someone's feed now; the owner makes a new one from their page."""
    if not is_service_staff(request.user):
        raise PermissionDenied
    feed = get_object_or_404(FeedToken, pk=feed_id)
    revoke_feed(feed=feed, actor=request.user, request=request)
    messages.success(request, f"Stopped: {feed}. The old address no longer works.")
    return redirect("calendar_feed_staff_list")


@never_cache
@require_http_methods(["GET", "POST"])
def supervisee_feed(request: HttpRequest, token: str) -> HttpResponse:
    """``/b/<token>/calendar/``: the supervisee's own feed, reached from their emailed link."""
    access = resolve_token(token)
    if access is None:
        return render(request, "invalid_link.html", status=404)
    booking = Booking.objects.for_supervisee(access.email).order_by("-created_at").first()
    if booking is None:
        return render(request, "invalid_link.html", status=404)
    links = None
    existing = FeedToken.objects.filter(kind=FeedKind.SUPERVISEE, email=access.email).first()
    if request.method == "POST":
        if request.POST.get("action") == "stop" and existing is not None:
            revoke_feed(feed=existing, actor=None, request=request)
            existing = None
        else:
            feed_token = rotate_feed(
                kind=FeedKind.SUPERVISEE,
                email=access.email,
                actor_label=f"{booking.supervisee_name} (supervisee)",
                request=request,
            )
            links = _links(feed_token)
            existing = FeedToken.objects.filter(
                kind=FeedKind.SUPERVISEE, email=access.email
            ).first()
    return render(
        request,
        "calendar_feed/supervisee_feed.html",
        {"token": token, "existing": existing, "links": links},
    )
