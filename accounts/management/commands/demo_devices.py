"""``manage.py demo_devices``: give the local demo accounts an authenticator (not in production).

`make run` calls it after ``seed_demo`` so the demo stays two commands: demo accounts sign in
with their password and a code from ``manage.py demo_totp USERNAME``. It enrols only active
accounts that have a password and no authenticator, so an account invited locally still goes
through its emailed set-up link (the console email backend prints it). Idempotent.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.mfa import TOTP_DEVICE_NAME, is_enrolled
from accounts.models import EncryptedTOTPDevice


class Command(BaseCommand):
    help = "Enrol an authenticator for each local demo account without one (not in production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("demo_devices is for local demos only; it is off in production.")
        enrolled = []
        for user in get_user_model().objects.filter(is_active=True).order_by("username"):
            if not user.has_usable_password() or not user.password or is_enrolled(user):
                continue
            EncryptedTOTPDevice.objects.filter(user=user, confirmed=False).delete()
            EncryptedTOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
            enrolled.append(user.get_username())
        if enrolled:
            self.stdout.write(f"Authenticator enrolled for: {', '.join(enrolled)}")
