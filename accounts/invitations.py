"""Set-up links: how an account gets its password and its authenticator, by email only.

Nobody binds a second factor with a password alone. Staff create an account without a
password (Wagtail's user admin) and its owner is emailed a one-time link; an account with a
password but no authenticator (``reset_mfa``, or made before invitations) is emailed one when
it signs in. The link opens one flow: choose a password, scan a QR code, confirm a code, see
the recovery codes. The pending authenticator belongs to the browser session that made it
(its id is kept only in that session) and its secret is shown in one response, never again.

The email is sent on commit straight from this process, not through the task queue: only a
hash of the token is stored, and a queued task would write the raw token into the queue's
table.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accounts import mfa
from accounts.models import EncryptedTOTPDevice, SetupLink
from audit.services import log_event
from config.links import absolute_url

SETUP_SESSION_KEY = "_accounts_setup"
# A sign-in without an authenticator sends a new link at most this often.
RESEND_AFTER = datetime.timedelta(minutes=10)


class SetupError(Exception):
    """The set-up cannot go on; the message says why, in words for the person."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def setup_url(token: str) -> str:
    return absolute_url(f"/account/setup/{token}/")


def _email_link(*, user: AbstractBaseUser, token: str, purpose: str) -> None:
    hours = settings.ACCOUNT_SETUP_LINK_HOURS
    site = settings.WAGTAIL_SITE_NAME
    if purpose == SetupLink.Purpose.INVITATION:
        subject = f"Your account for {site}"
        opening = f"An account has been made for you on {site} (username: {user.get_username()})."
    else:
        subject = f"Set up two-step sign-in for {site}"
        opening = (
            f"Your account on {site} (username: {user.get_username()}) needs two-step sign-in "
            "set up before it can be used."
        )
    body = (
        f"{opening}\n\n"
        "Open this link to choose a password and connect an authenticator app on your phone:\n"
        f"{setup_url(token)}\n\n"
        f"The link works once and expires in {hours} hours. If you did not expect this email, "
        "ignore it and tell the service team."
    )
    recipient = user.email  # type: ignore[attr-defined]
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))


@transaction.atomic
def send_setup_link(
    *,
    user: AbstractBaseUser,
    purpose: str,
    request: Any = None,
    actor_label: str = "",
) -> SetupLink:
    """Email ``user`` a new set-up link; their older unused links stop working.

    Raises ``SetupError`` when the account has no email address. Audited without the token.
    """
    if not getattr(user, "email", ""):
        raise SetupError(f"{user.get_username()} has no email address to send a set-up link to.")
    now = timezone.now()
    SetupLink.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    token = secrets.token_urlsafe(32)
    link = SetupLink.objects.create(
        user=user,
        purpose=purpose,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + datetime.timedelta(hours=settings.ACCOUNT_SETUP_LINK_HOURS),
    )
    _email_link(user=user, token=token, purpose=purpose)
    log_event(
        action="accounts.setup_link.sent",
        target=user,
        request=request,
        actor_label=actor_label,
        data={"purpose": purpose},
    )
    return link


def send_setup_link_after_password(*, request: Any) -> None:
    """A password-only session of an account without an authenticator: email a link, sign out.

    The session never sees a set-up page; at most one link per ``RESEND_AFTER``, so repeated
    sign-ins do not flood the owner's inbox.
    """
    user = request.user
    recent = SetupLink.objects.filter(
        user=user, used_at__isnull=True, created_at__gt=timezone.now() - RESEND_AFTER
    ).exists()
    if not recent and getattr(user, "email", ""):
        send_setup_link(user=user, purpose=SetupLink.Purpose.SECOND_FACTOR, request=request)
    logout(request)


def resolve_setup_link(token: str) -> SetupLink | None:
    """The live link for ``token``, or None (unknown, used, expired, or account inactive)."""
    if not token or len(token) > 128:
        return None
    return (
        SetupLink.objects.select_related("user")
        .filter(
            token_hash=hash_token(token),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


def start_enrolment(*, request: Any, link: SetupLink, password_hash: str) -> EncryptedTOTPDevice:
    """Remember the chosen password (hashed) and a new pending authenticator in this session.

    Any earlier pending authenticator of the user is deleted, so a secret shown before (in
    this session or another) can never be confirmed.
    """
    EncryptedTOTPDevice.objects.filter(user=link.user, confirmed=False).delete()
    device = EncryptedTOTPDevice.objects.create(
        user=link.user, name=mfa.TOTP_DEVICE_NAME, confirmed=False
    )
    request.session[SETUP_SESSION_KEY] = {
        "link": link.pk,
        "device": device.pk,
        "password": password_hash,
    }
    return device


def pending_setup(request: Any, link: SetupLink) -> dict[str, Any] | None:
    state = request.session.get(SETUP_SESSION_KEY)
    if not state or state.get("link") != link.pk:
        return None
    return state


@transaction.atomic
def complete_setup(*, request: Any, link: SetupLink, code: str) -> list[str]:
    """Confirm the session's pending authenticator with ``code`` and finish the set-up.

    In one transaction: the link is used up, the password set, the authenticator confirmed
    (replacing any other), the user signed in with both factors and given recovery codes,
    which are returned (shown once). Raises ``SetupError`` for a wrong code or a stale flow.
    """
    state = pending_setup(request, link)
    link = SetupLink.objects.select_for_update().select_related("user").get(pk=link.pk)
    if state is None or link.used_at is not None or link.expires_at <= timezone.now():
        raise SetupError("This set-up has expired. Open the link from your email again.")
    user = link.user
    device = (
        EncryptedTOTPDevice.objects.select_for_update()
        .filter(pk=state["device"], user=user, confirmed=False)
        .first()
    )
    if device is None:
        raise SetupError("This set-up has expired. Open the link from your email again.")
    if not mfa.code_matches_device(device=device, token=code):
        log_event(
            action="accounts.mfa.failed", actor=user, request=request, data={"stage": "setup"}
        )
        raise SetupError(mfa.WRONG_CODE)
    now = timezone.now()
    link.used_at = now
    link.save(update_fields=["used_at"])
    SetupLink.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    user.password = state["password"]
    user.save(update_fields=["password"])
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    EncryptedTOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    del request.session[SETUP_SESSION_KEY]
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    mfa.sign_in_second_factor(request, device)
    log_event(
        action="accounts.setup.completed",
        actor=user,
        target=user,
        request=request,
        data={"purpose": link.purpose},
    )
    log_event(action="accounts.mfa.enrolled", actor=user, target=user, request=request)
    return mfa.issue_recovery_codes(user=user, request=request)
