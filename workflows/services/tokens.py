"""Supervisees' emailed links: random, stored only as a hash, expiring, bound to one address.

Each link opens only what it was sent for: a portal link the supervisee's bookings, records
and data downloads; a record link that one record (and its PDF). A new link retires the
older live links of the same purpose (and object) for the address, so a forwarded or leaked
old email stops working. Links issued within ``RETIRE_GRACE`` of each other all stay live:
one workflow step may send the same person two emails at once.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import log_event
from config.links import reverse_absolute
from workflows.enums import TokenPurpose
from workflows.models.domain import AccessToken

TOKEN_BYTES = 32
RETIRE_GRACE = datetime.timedelta(minutes=2)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _normalise(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def issue_token(
    *, email: str, purpose: str = TokenPurpose.PORTAL, object_id: int | None = None
) -> str:
    """A new link's secret; older live links of the same purpose and object are retired."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    email = _normalise(email)
    AccessToken.objects.filter(
        email=email,
        purpose=purpose,
        object_id=object_id,
        revoked_at=None,
        created_at__lt=now - RETIRE_GRACE,
    ).update(revoked_at=now)
    AccessToken.objects.create(
        token_hash=_hash(token),
        purpose=purpose,
        object_id=object_id,
        email=email,
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.MAGIC_LINK_DAYS),
    )
    return token


def issue_portal_link(*, email: str) -> str:
    token = issue_token(email=email)
    return reverse_absolute("workflows:portal", token)


def _usable(token: str) -> AccessToken | None:
    if not token or len(token) > 100:
        return None
    found = AccessToken.objects.filter(token_hash=_hash(token)).first()
    if found is None or not found.usable:
        return None
    return found


def _touch(found: AccessToken) -> AccessToken:
    AccessToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found


def resolve_token(token: str, *, purpose: str = TokenPurpose.PORTAL) -> AccessToken | None:
    """The live link of this purpose, or None if unknown, expired, revoked, malformed or
    sent for something else (a record link never opens the portal)."""
    found = _usable(token)
    if found is None or found.purpose != purpose:
        return None
    return _touch(found)


def resolve_record_link(token: str, *, record_id: int) -> AccessToken | None:
    """A live portal link (which opens all its owner's records) or a link sent for this record."""
    found = _usable(token)
    if found is None:
        return None
    if found.purpose == TokenPurpose.PORTAL or (
        found.purpose == TokenPurpose.RECORD and found.object_id == record_id
    ):
        return _touch(found)
    return None


def revoke_tokens(*, email: str) -> int:
    return AccessToken.objects.filter(email=_normalise(email), revoked_at=None).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def revoke_links(
    *, email: str, actor: Any = None, actor_label: str = "", request: Any = None
) -> int:
    """Revoke every live link of an address (staff action or command); audited. Returns how
    many were live. Revoking an address with no links is still logged: someone asked."""
    email = _normalise(email)
    now = timezone.now()
    count = AccessToken.objects.filter(email=email, revoked_at=None, expires_at__gt=now).update(
        revoked_at=now
    )
    AccessToken.objects.filter(email=email, revoked_at=None).update(revoked_at=now)
    log_event(
        action="workflows.links.revoked",
        actor=actor,
        actor_label=actor_label,
        request=request,
        target_label=email,
        data={"email": email, "live_links_revoked": count},
    )
    return count


def purge_expired_links(*, now: datetime.datetime | None = None) -> int:
    """Delete emailed links (supervisees' links, staff set-up links) that stopped working
    over ``LINK_PURGE_DAYS`` ago: expired, revoked or used.

    Dead links already open nothing (an expired link and an unknown one get the same answer);
    only hashes are stored, but the rows still say which address had a link when, so they
    are kept a while for support questions and then deleted. Idempotent; returns how many.
    """
    from django.db.models import Q

    from accounts.models import SetupLink

    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.LINK_PURGE_DAYS)
    links, _ = AccessToken.objects.filter(
        Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)
    ).delete()
    setup, _ = SetupLink.objects.filter(Q(expires_at__lt=cutoff) | Q(used_at__lt=cutoff)).delete()
    return links + setup
