"""Supervisees' emailed links: random, stored only as a hash, expiring, bound to one address."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from workflows.enums import TokenPurpose
from workflows.models import AccessToken

TOKEN_BYTES = 32


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(*, email: str, purpose: str = TokenPurpose.PORTAL) -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    AccessToken.objects.create(
        token_hash=_hash(token),
        purpose=purpose,
        email=email.strip().lower(),
        expires_at=timezone.now() + datetime.timedelta(days=settings.MAGIC_LINK_DAYS),
    )
    return token


def issue_portal_link(*, email: str) -> str:
    token = issue_token(email=email)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("workflows:portal", args=[token])


def resolve_token(token: str, *, purpose: str = TokenPurpose.PORTAL) -> AccessToken | None:
    """The live token for this string, or None if unknown, expired, revoked or malformed."""
    if not token or len(token) > 100:
        return None
    found = AccessToken.objects.filter(token_hash=_hash(token), purpose=purpose).first()
    if found is None or not found.usable:
        return None
    AccessToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found


def revoke_tokens(*, email: str) -> int:
    return AccessToken.objects.filter(email=email.strip().lower(), revoked_at=None).update(
        revoked_at=timezone.now()
    )
