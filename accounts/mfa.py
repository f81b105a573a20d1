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
from django.contrib.auth.base_user import AbstractBaseUser
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


def pending_totp_device(user: AbstractBaseUser) -> EncryptedTOTPDevice:
    """The unconfirmed device whose QR code the enrolment page shows (one per user).

    Reusing it across page loads keeps the QR code stable while the user fetches their phone;
    it can verify nothing until ``confirm_totp_device`` accepts a code from it.
    """
    device = EncryptedTOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = EncryptedTOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, confirmed=False
        )
    return device


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


def _sign_in_second_factor(request: Any, device: Any) -> None:
    otp_login(request, device)
    # A new session key once the session is fully trusted: a key planted before sign-in
    # (session fixation) is worth nothing afterwards.
    request.session.cycle_key()
    clear_failed_sign_ins(request.user)


@transaction.atomic
def confirm_totp_device(*, request: Any, device: EncryptedTOTPDevice, token: str) -> list[str]:
    """Accept the first code from a newly scanned app; returns fresh recovery codes.

    Returns an empty list (and audits the failure) when the code is wrong. On success the new
    device replaces any earlier authenticator of the user and the session counts as verified.
    """
    user = request.user
    device = EncryptedTOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    code = normalise_code(token)
    if not _TOTP_RE.match(code) or not device.verify_token(code):
        log_event(
            action="accounts.mfa.failed", actor=user, request=request, data={"stage": "enrol"}
        )
        return []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    EncryptedTOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    _sign_in_second_factor(request, device)
    log_event(action="accounts.mfa.enrolled", actor=user, target=user, request=request)
    return issue_recovery_codes(user=user, request=request)


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
        _sign_in_second_factor(request, device)
        left = recovery_codes_left(user) if method == "recovery_code" else None
        log_event(
            action="accounts.mfa.verified",
            actor=user,
            request=request,
            data={"method": method} | ({"recovery_codes_left": left} if left is not None else {}),
        )
        return Verification(ok=True, method=method, recovery_codes_left=left)
