from django.apps import AppConfig


class RecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "records"
    verbose_name = "Session records"

    def ready(self) -> None:
        # Connects to workflows' signals (sessions marked held → records requested).
        from records import receivers  # noqa: F401
