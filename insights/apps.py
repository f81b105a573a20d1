from django.apps import AppConfig


class InsightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "insights"
    verbose_name = "Service insights"

    def ready(self) -> None:
        # Counts a record's topics and signposting into the monthly tallies when it is submitted.
        from insights import receivers  # noqa: F401
