"""Second-factor services: enrol an authenticator app, verify a code, issue recovery codes.

Every Wagtail admin user must pass one of these after their password (the middleware in
``accounts.middleware`` enforces it). Views call these functions and nothing else touches the
devices, so each outcome is audited in exactly one place.

Recovery codes are django-otp static tokens, but the database holds a hash of each code, never
the code: a code is 16 base32 characters (80 random bits) shown once, and ``StaticToken.token``
stores the first 16 base32 characters of its SHA-256. A leaked table therefore gives nobody a
usable code, and django-otp's single-use and throttling logic still applies unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from accounts.models import EncryptedTOTPDevice
from audit.services import log_event

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Recovery codes"
TOTP_DEVICE_NAME = "Authenticator app"
_TOTP_RE = re.compile(r"^\d{6}$")
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


@dataclass(frozen=True)
class Verification:
    """What happened to one code the user typed."""

    ok: bool
    method: str = ""  # "totp" or "recovery_code"
    throttled: bool = False
    recovery_codes_left: int | None = None


def normalise_code(raw: str) -> str:
    """Codes are typed with spaces or dashes and in any case; compare them without."""
    return re.sub(r"[\s\-]", "", raw or "").lower()[:64]


def hash_recovery_code(code: str) -> str:
    digest = hashlib.sha256(normalise_code(code).encode()).digest()
    return base64.b32encode(digest).decode().lower()[:16]


def format_recovery_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def confirmed_totp_device(user: AbstractBaseUser) -> EncryptedTOTPDevice | None:
    return EncryptedTOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def is_enrolled(user: AbstractBaseUser) -> bool:
    return EncryptedTOTPDevice.objects.filter(user=user, confirmed=True).exists()


REPLACE_SESSION_KEY = "_accounts_mfa_replacement"
REAUTH_FAILURES_SESSION_KEY = "_accounts_reauth_failures"
REAUTH_MAX_FAILURES = 5
WRONG_CODE = "That code did not work. Check the time on your phone and try the newest code."


def code_matches_device(*, device: EncryptedTOTPDevice, token: str) -> bool:
    """True if ``token`` is a current code of ``device`` (django-otp's check, single use)."""
    code = normalise_code(token)
    return bool(_TOTP_RE.match(code)) and device.verify_token(code)


def start_replacement(*, request: Any) -> EncryptedTOTPDevice:
    """A new pending authenticator for a re-authenticated user, bound to this session only.

    Any other pending authenticator of the user is deleted, so a secret shown earlier can never
    be confirmed; the caller shows this one's secret in one response only.
    """
    user = request.user
    EncryptedTOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = EncryptedTOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    request.session[REPLACE_SESSION_KEY] = device.pk
    return device


def session_pending_device(request: Any) -> EncryptedTOTPDevice | None:
    """The pending authenticator this session created (never another session's)."""
    pk = request.session.get(REPLACE_SESSION_KEY)
    if pk is None:
        return None
    return EncryptedTOTPDevice.objects.filter(pk=pk, user=request.user, confirmed=False).first()


def secret_for_display(device: EncryptedTOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: EncryptedTOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG: no script, no style attribute, so CSP-safe."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=15
    )
    return image.to_string(encoding="unicode")


def _new_recovery_code() -> str:
    return "".join(secrets.choice(_BASE32) for _ in range(16))


@transaction.atomic
def issue_recovery_codes(*, user: AbstractBaseUser, request: Any = None) -> list[str]:
    """Replace the user's recovery codes with ten new ones and return them (shown once).

    Old codes stop working in the same transaction, so a printed sheet that was lost is
    useless after regenerating.
    """
    device, _ = StaticDevice.objects.select_for_update().get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=hash_recovery_code(code)) for code in codes]
    )
    log_event(
        action="accounts.mfa.recovery_codes_issued",
        actor=user,
        target=user,
        request=request,
        data={"count": len(codes)},
    )
    return [format_recovery_code(code) for code in codes]


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(
        device__user=user, device__name=RECOVERY_DEVICE_NAME, device__confirmed=True
    ).count()


def clear_failed_sign_ins(user: AbstractBaseUser) -> int:
    """Forget the failed sign-ins of this one username (django-axes), nobody else's.

    Called only once the second factor has passed: a correct password alone proves too little
    to wipe a count an attacker may be building, and clearing by address (axes' own reset on
    success) would let one valid account reset the guesses against every other.
    """
    return AxesProxyHandler.reset_attempts(username=user.get_username())


def sign_in_second_factor(request: Any, device: Any) -> None:
    otp_login(request, device)
    # A new session key once the session is fully trusted: a key planted before sign-in
    # (session fixation) is worth nothing afterwards.
    request.session.cycle_key()
    clear_failed_sign_ins(request.user)


@transaction.atomic
def confirm_totp_device(*, request: Any, token: str) -> list[str]:
    """Confirm the session's pending authenticator with its first code; returns recovery codes.

    For a user replacing their app after re-authenticating. Returns an empty list (and audits
    the failure) when the code is wrong or the session has no pending authenticator. On
    success the new app replaces the old one, the recovery codes are renewed and the owner is
    emailed.
    """
    user = request.user
    pending = session_pending_device(request)
    device = (
        EncryptedTOTPDevice.objects.select_for_update().filter(pk=pending.pk).first()
        if pending is not None
        else None
    )
    if device is None or not code_matches_device(device=device, token=token):
        log_event(
            action="accounts.mfa.failed", actor=user, request=request, data={"stage": "enrol"}
        )
        return []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    EncryptedTOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    del request.session[REPLACE_SESSION_KEY]
    sign_in_second_factor(request, device)
    log_event(action="accounts.mfa.enrolled", actor=user, target=user, request=request)
    notify_owner(
        user=user,
        subject="Two-step sign-in moved to a new app",
        change="Two-step sign-in on your account was moved to a new authenticator app, and "
        "new recovery codes were made. Your old app and old codes no longer work.",
    )
    return issue_recovery_codes(user=user, request=request)


def notify_owner(*, user: AbstractBaseUser, subject: str, change: str, also: str = "") -> None:
    """Email the account's owner (and ``also``, e.g. a previous address) about a change.

    Sent on commit, so a change that rolls back tells nobody. The email holds no secret.
    """
    site = settings.WAGTAIL_SITE_NAME
    body = (
        f"{change}\n\nAccount: {user.get_username()} on {site}.\n"
        "If this was not you, tell the service team at once: someone may have your password "
        "and your phone or recovery codes."
    )
    recipients = [a for a in dict.fromkeys([getattr(user, "email", ""), also]) if a]
    if recipients:
        transaction.on_commit(lambda: send_mail(f"{site}: {subject}", body, None, recipients))


def reauthenticate(*, request: Any, password: str, code: str) -> bool:
    """Ask again: the account's password and a current code (or a recovery code).

    Guards every change to how the account signs in. Both are always checked and a failure
    does not say which was wrong; a wrong code counts against django-otp's throttle like any
    other, and after ``REAUTH_MAX_FAILURES`` failures in a row the session is signed out.
    """
    user = request.user
    code = normalise_code(code)
    with transaction.atomic():
        if _TOTP_RE.match(code):
            device: Any = (
                EncryptedTOTPDevice.objects.select_for_update()
                .filter(user=user, confirmed=True)
                .order_by("-id")
                .first()
            )
            candidate = code
        else:
            device = (
                StaticDevice.objects.select_for_update()
                .filter(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
                .first()
            )
            candidate = hash_recovery_code(code) if code else ""
        allowed = device is not None and device.verify_is_allowed()[0]
        code_ok = bool(candidate) and allowed and device.verify_token(candidate)
        password_ok = user.check_password(password or "")
        if code_ok and password_ok:
            request.session.pop(REAUTH_FAILURES_SESSION_KEY, None)
            log_event(action="accounts.reauth.succeeded", actor=user, request=request)
            return True
        log_event(
            action="accounts.reauth.failed",
            actor=user,
            request=request,
            data={"throttled": not allowed},
        )
    failures = request.session.get(REAUTH_FAILURES_SESSION_KEY, 0) + 1
    request.session[REAUTH_FAILURES_SESSION_KEY] = failures
    if failures >= REAUTH_MAX_FAILURES:
        logout(request)
    return False


def verify_second_factor(*, request: Any, token: str) -> Verification:
    """Check a code typed at sign-in against the user's app, or else their recovery codes.

    Six digits go to the authenticator; anything else is tried as a recovery code, so a wrong
    guess only counts against (and throttles) the device it was meant for. django-otp's
    throttling doubles the wait after each failure on a device.
    """
    user = request.user
    code = normalise_code(token)
    with transaction.atomic():
        if _TOTP_RE.match(code):
            method = "totp"
            device: Any = (
                EncryptedTOTPDevice.objects.select_for_update()
                .filter(user=user, confirmed=True)
                .order_by("-id")
                .first()
            )
            candidate = code
        else:
            method = "recovery_code"
            device = (
                StaticDevice.objects.select_for_update()
                .filter(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
                .first()
            )
            candidate = hash_recovery_code(code) if code else ""
        throttled = device is not None and not device.verify_is_allowed()[0]
        ok = bool(candidate) and device is not None and not throttled
        ok = ok and device.verify_token(candidate)
        if not ok:
            log_event(
                action="accounts.mfa.failed",
                actor=user,
                request=request,
                data={"stage": "verify", "method": method, "throttled": throttled},
            )
            return Verification(ok=False, method=method, throttled=throttled)
        sign_in_second_factor(request, device)
        left = recovery_codes_left(user) if method == "recovery_code" else None
        log_event(
            action="accounts.mfa.verified",
            actor=user,
            request=request,
            data={"method": method} | ({"recovery_codes_left": left} if left is not None else {}),
        )
        return Verification(ok=True, method=method, recovery_codes_left=left)
