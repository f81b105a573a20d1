"""Calendar feed fixtures; readers and booking helpers are in tests/helpers/calendar_feed.py."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def feed_for():
    """``feed_for(kind, user=..., email=...)`` issues a feed and returns its URL path."""
    from django.urls import reverse

    from calendar_feed.services import rotate_feed

    def issue(kind: str, **owner: Any) -> str:
        token = rotate_feed(kind=kind, **owner)
        return reverse("calendar_feed:feed", args=[token])

    return issue
