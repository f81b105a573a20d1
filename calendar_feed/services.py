"""Issuing, rotating, revoking and resolving secret feed URLs, and choosing a feed's sessions.

A token is 32 bytes from ``secrets`` (256 bits, never derived from an id), shown once and
stored only as its SHA-256 hash. A lookup finds the row by hash and then compares the hashes
again with ``hmac.compare_digest``, so the comparison in Python takes the same time whatever
the input. Every issue, rotation and revocation is one transaction with its audit event.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from audit.services import log_event
from calendar_feed.enums import FeedKind
from calendar_feed.models import FeedToken
from config.links import reverse_absolute
from workflows.enums import SessionStatus
from workflows.models import Session
from workflows.permissions import is_service_staff

TOKEN_BYTES = 32
#: Sessions that ended longer ago than this are left out of feeds.
PAST_DAYS = 90
#: Cancelled sessions stay (as STATUS:CANCELLED) this long after cancelling, so clients drop them.
CANCELLED_DAYS = 30


class FeedError(Exception):
    """A feed cannot be issued as asked; the message says why."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(token: str) -> str:
    """The https (or http, locally) address of a feed."""
    return reverse_absolute("calendar_feed:feed", token)


def webcal_url(token: str) -> str:
    """The same address with the ``webcal:`` scheme, which calendar apps open as a subscription."""
    return "webcal://" + feed_url(token).split("://", 1)[1]


def _owner_filter(*, kind: str, user: Any = None, email: str = "") -> dict[str, Any]:
    if kind == FeedKind.SUPERVISEE:
        if not email:
            raise FeedError("A supervisee's feed needs their email address.")
        return {"kind": kind, "email": email.strip().lower(), "user": None}
    if user is None or not user.is_active:
        raise FeedError("Only an active account can have a calendar feed.")
    if kind == FeedKind.TEAM and not is_service_staff(user):
        raise FeedError("Only service staff can have the team calendar feed.")
    return {"kind": kind, "user": user, "email": ""}


def rotate_feed(
    *,
    kind: str,
    user: Any = None,
    email: str = "",
    actor: Any = None,
    actor_label: str = "",
    request: Any = None,
) -> str:
    """Issue a new feed URL for this owner, replacing any old one (which 404s from now on).

    Returns the token: the only time it exists outside the requester's calendar app.
    Audited as ``calendar_feed.token.created`` or ``calendar_feed.token.rotated``.
    """
    owner = _owner_filter(kind=kind, user=user, email=email)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        deleted, _ = FeedToken.objects.filter(**owner).delete()
        feed = FeedToken.objects.create(token_hash=hash_token(token), **owner)
        log_event(
            action="calendar_feed.token.rotated" if deleted else "calendar_feed.token.created",
            actor=actor,
            actor_label=actor_label,
            target=feed,
            request=request,
            data={"kind": kind},
        )
    return token


def revoke_feed(*, feed: FeedToken, actor: Any = None, request: Any = None) -> None:
    """Delete a feed URL now (staff, or the owner stopping it). Audited."""
    with transaction.atomic():
        label = str(feed)
        FeedToken.objects.filter(pk=feed.pk).delete()
        log_event(
            action="calendar_feed.token.revoked",
            actor=actor,
            target_label=label,
            request=request,
            data={"kind": feed.kind, "feed_id": feed.pk},
        )


def revoke_feeds_of_user(*, user: Any) -> int:
    """Called when an account is deactivated: all its feeds stop at once."""
    with transaction.atomic():
        feeds = list(FeedToken.objects.filter(user=user))
        for feed in feeds:
            FeedToken.objects.filter(pk=feed.pk).delete()
            log_event(
                action="calendar_feed.token.revoked",
                actor_label="system (account deactivated)",
                target_label=str(feed),
                data={"kind": feed.kind, "feed_id": feed.pk},
            )
    return len(feeds)


def resolve_feed(token: str) -> FeedToken | None:
    """The live feed for a token, or None (unknown, malformed, or its owner lost the right).

    A supervisor's or team feed works only while the account is active, and a team feed only
    while its owner still counts as service staff: calendar apps cannot do two-factor sign-in,
    so the permission is checked on every fetch rather than when the URL was made.
    """
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    feed = FeedToken.objects.select_related("user").filter(token_hash=digest).first()
    if feed is None or not hmac.compare_digest(feed.token_hash, digest):
        return None
    if feed.kind != FeedKind.SUPERVISEE and (feed.user is None or not feed.user.is_active):
        return None
    if feed.kind == FeedKind.TEAM and not is_service_staff(feed.user):
        return None
    return feed


def feed_sessions(feed: FeedToken, *, now: datetime.datetime | None = None) -> QuerySet[Session]:
    """The sessions a feed shows: its owner's, ended within ``PAST_DAYS`` or ahead, and
    cancelled ones only for ``CANCELLED_DAYS`` after they were cancelled.

    No ``select_related`` or column list here: callers add what they read, so the
    fingerprint query stays an index-only aggregate.
    """
    now = now or timezone.now()
    sessions = Session.objects.filter(end__gte=now - datetime.timedelta(days=PAST_DAYS)).filter(
        ~Q(status=SessionStatus.CANCELLED)
        | Q(changed_at__gte=now - datetime.timedelta(days=CANCELLED_DAYS))
    )
    if feed.kind == FeedKind.SUPERVISOR:
        return sessions.filter(supervisor__user_id=feed.user_id)
    if feed.kind == FeedKind.SUPERVISEE:
        return sessions.filter(booking__supervisee_email=feed.email)
    return sessions


def feed_fingerprint(feed: FeedToken) -> tuple[str, datetime.datetime]:
    """An ETag and Last-Modified for a feed from one aggregate query, without rendering.

    Any change to a session's calendar fields moves ``changed_at`` (see ``Session.save`` and
    ``SessionQuerySet.update``); a session entering or leaving the window changes the count.
    """
    stats = feed_sessions(feed).aggregate(latest=Max("changed_at"), count=Count("pk"))
    latest = max(filter(None, [stats["latest"], feed.created_at]))
    raw = f"{FEED_FORMAT_VERSION}:{feed.pk}:{stats['count']}:{latest.timestamp():.6f}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32], latest


#: Bump when the rendered output changes for the same data, so cached copies are not reused.
FEED_FORMAT_VERSION = 1
