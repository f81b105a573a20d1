from django.apps import AppConfig


class CalendarFeedConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "calendar_feed"
    verbose_name = "Calendar feeds"

    def ready(self) -> None:
        from calendar_feed import receivers  # noqa: F401  (connects the signal receivers)
