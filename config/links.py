"""Absolute addresses for links in emails, feeds and invites: the one helper. A leaf module.

Emails and calendar files are read outside the site, so their links carry the site's public
base address (``BASE_URL``, read into ``WAGTAILADMIN_BASE_URL``), never the request's host.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """``path`` (starting with '/') on the site's public base address."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def reverse_absolute(viewname: str, *args: Any) -> str:
    """``reverse(viewname, args)`` as an absolute address."""
    return absolute_url(reverse(viewname, args=args))
