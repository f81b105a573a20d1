"""Public pages served from the shared cache, purged when their content changes.

Cached: anonymous ``GET``/``HEAD`` requests for Wagtail pages of the types in
``PAGE_CACHE_MODELS`` (home, services, supervisor index and profiles, policy and standard
pages) that answer 200 without using a CSRF token, setting a cookie or saying ``private``.
A visitor with a session or messages cookie always gets a fresh page (it may show their
messages). The key holds the host, path and query string, so each filter of the supervisor
index is its own entry.

Purging is by generation: every key includes a number kept in the cache, and
``purge_public_pages`` replaces it, so every cached page is re-rendered on its next request.
It runs after the transaction that published, unpublished, moved or deleted a page, or
changed any content model of ``cms`` (prices, topics, roles, signposting, site settings)
commits (``ops.receivers``). Every public page shows prices, lists or footers from several
of those, so "what it touches" is, safely, all of them; edits are rare next to page views.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "page-cache:generation"
HIT_HEADER = "X-Page-Cache"


def purge_public_pages() -> None:
    """Make every cached public page stale (new generation)."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def _key(request: HttpRequest, generation: Any) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}"
    return f"page-cache:{generation}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _may_use_cache(request: HttpRequest) -> bool:
    if request.method not in {"GET", "HEAD"} or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    cookies = request.COOKIES
    return not (settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies)


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
        return False
    control = response.get("Cache-Control", "")
    if any(word in control for word in ("private", "no-cache", "no-store")):
        return False
    page = (getattr(response, "context_data", None) or {}).get("page")
    if page is None or page._meta.label not in settings.PAGE_CACHE_MODELS:
        return False
    return not page.get_view_restrictions().exists()


class PublicPageCacheMiddleware:
    """Sits after ``AuthenticationMiddleware``; outer middleware still adds its headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _may_use_cache(request):
            return self.get_response(request)
        generation = cache.get(GENERATION_KEY, 0)
        key = _key(request, generation)
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response[HIT_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
            cache.set(
                key, (response.status_code, headers, response.content), settings.PAGE_CACHE_SECONDS
            )
            response[HIT_HEADER] = "miss"
        return response
