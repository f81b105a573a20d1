from typing import Any

from django.core.management.base import BaseCommand

from insights.defaults import install_insights_defaults


class Command(BaseCommand):
    help = (
        "Give the Service staff group the 'Can view service insights' permission and count "
        "submitted records not yet in the topic and signposting tallies. Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counted = install_insights_defaults()
        self.stdout.write(self.style.SUCCESS(f"Insights ready: {counted} record(s) newly counted."))
