from typing import Any

from django.core.management.base import BaseCommand

from records.defaults import install_record_defaults


class Command(BaseCommand):
    help = (
        "Install the Session record workflow, its email templates, the reminder and retention "
        "schedules, the role permissions and the starter reflective questions. Idempotent: "
        "never overwrites what staff have changed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = install_record_defaults()
        questions = result["form"].questions.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Session records ready: workflow '{result['workflow']}', "
                f"{questions} reflective question(s)."
            )
        )
