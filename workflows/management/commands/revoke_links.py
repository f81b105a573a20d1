"""``manage.py revoke_links EMAIL``: every emailed link of an address stops working (audited)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from workflows.services.tokens import revoke_links


class Command(BaseCommand):
    help = "Revoke every live supervisee link (portal and record) of an email address."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", help="The supervisee's email address.")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        try:
            validate_email(email.strip())
        except ValidationError as exc:
            raise CommandError(f"'{email}' is not an email address.") from exc
        count = revoke_links(email=email, actor_label="manage.py revoke_links")
        self.stdout.write(f"Revoked {count} live link{'s' if count != 1 else ''} of {email}.")
