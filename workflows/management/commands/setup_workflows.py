from typing import Any

from django.core.management.base import BaseCommand

from workflows.defaults import install_defaults


class Command(BaseCommand):
    help = (
        "Install the default workflows, email templates, booking form page and reminder "
        "schedules. Idempotent: never overwrites what staff have changed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = install_defaults()
        self.stdout.write(
            self.style.SUCCESS(
                f"Workflows ready: {result['booking']}, {result['agreement']}; "
                f"booking form: {result['form'].url if result['form'] else 'no home page yet'}."
            )
        )
