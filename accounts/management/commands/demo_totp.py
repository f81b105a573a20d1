"""``manage.py demo_totp USERNAME``: the current sign-in code, for local demos without a phone.

Refused when ``DJANGO_ENV=production``: there, codes come only from the user's own app.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from accounts.mfa import confirmed_totp_device, secret_for_display


class Command(BaseCommand):
    help = "Print the current authenticator code of a user (local development only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("demo_totp is for local demos only; it is off in production.")
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called {options['username']!r}.")
        device = confirmed_totp_device(user)
        if device is None:
            # A pending secret belongs to the browser session that is setting it up; it is
            # never printed here. `make run` (demo_devices) enrols the demo accounts.
            raise CommandError(
                f"{user.get_username()} has no authenticator yet: set it up from the emailed "
                "set-up link (printed by the console email backend), or run "
                "`manage.py demo_devices`."
            )
        state = "enrolled"
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        left = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{user.get_username()} ({state})")
        self.stdout.write(f"Code: {totp.token():0{device.digits}d}  (valid for {left} more s)")
        self.stdout.write(f"Secret for an authenticator app: {secret_for_display(device)}")
