"""``manage.py reset_mfa USERNAME``: remove a user's authenticator and recovery codes.

For someone who lost both their phone and their recovery codes, once their identity has been
checked out of band. They are emailed a new set-up link (choose a password, connect a new app);
older links stop working. The reset is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.invitations import SetupError, send_setup_link
from accounts.models import EncryptedTOTPDevice, SetupLink
from audit.services import log_event


class Command(BaseCommand):
    help = "Remove a user's second factor and email them a new set-up link."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called {options['username']!r}.")
        apps_removed, _ = EncryptedTOTPDevice.objects.filter(user=user).delete()
        codes_removed, _ = StaticDevice.objects.filter(user=user).delete()
        log_event(
            action="accounts.mfa.reset",
            target=user,
            actor_label="manage.py reset_mfa",
            data={"devices_removed": apps_removed + codes_removed},
        )
        try:
            send_setup_link(
                user=user,
                purpose=SetupLink.Purpose.SECOND_FACTOR,
                actor_label="manage.py reset_mfa",
            )
        except SetupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{user.get_username()} has been emailed a link to set up two-step sign-in again."
            )
        )
