"""The TOTP authenticator device, with its shared secret encrypted at rest.

django-otp's own ``TOTPDevice`` keeps the secret as plain hex: anyone holding a database dump
could then mint valid codes for every account, which would reduce the second factor to the
password hash. This device is the same model with the ``key`` column an ``EncryptedCharField``
(keys from ``FIELD_ENCRYPTION_KEYS``, rotated by ``rotate_encryption_keys``). The verification
logic is django-otp's, borrowed method by method rather than copied, so fixes upstream (drift,
replay protection through ``last_t``, throttling) apply here too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key, key_validator

from config.encryption import EncryptedCharField


class EncryptedTOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (RFC 6238 TOTP) registered to one user.

    ``confirmed`` is False between showing the QR code and the user typing their first code;
    an unconfirmed device can never verify a sign-in.
    """

    key = EncryptedCharField(
        max_length=80,
        validators=[key_validator],
        default=default_key,
        help_text="The shared secret as hex, encrypted at rest.",
    )
    step = models.PositiveSmallIntegerField(default=30, help_text="The time step in seconds.")
    t0 = models.BigIntegerField(default=0, help_text="The Unix time at which counting starts.")
    digits = models.PositiveSmallIntegerField(
        choices=[(6, 6), (8, 8)], default=6, help_text="The number of digits in a code."
    )
    tolerance = models.PositiveSmallIntegerField(
        default=1, help_text="How many time steps either side of now are accepted."
    )
    drift = models.SmallIntegerField(
        default=0, help_text="Time steps the user's clock is known to be off by."
    )
    last_t = models.BigIntegerField(
        default=-1,
        help_text="The time step of the last accepted code; a code is never accepted twice.",
    )

    class Meta(Device.Meta):
        verbose_name = "authenticator app"

    # django-otp's implementation, unchanged: these only read the fields declared above.
    bin_key = TOTPDevice.bin_key
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings


class SetupLink(models.Model):
    """A one-time, expiring emailed link to choose a password and enrol an authenticator.

    Staff create accounts without a password and the owner gets one of these by email
    (``invitation``); an account that has a password but no authenticator (a reset, or one
    made before invitations) gets one too (``second_factor``). Only a SHA-256 of the token is
    stored; a new link retires the user's older ones; ``used_at`` makes it work once.
    """

    class Purpose(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        SECOND_FACTOR = "second_factor", "Second-factor set-up"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="setup_links"
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "set-up link"

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} for {self.user}"
