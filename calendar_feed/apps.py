from django.apps import AppConfig


class CalendarFeedConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "calendar_feed"
    verbose_name = "Calendar feeds"
