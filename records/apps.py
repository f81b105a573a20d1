from django.apps import AppConfig


class RecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "records"
    verbose_name = "Session records"

    def ready(self) -> None:
        # Connects to workflows' signals (sessions marked held → records requested) and
        # registers the session record's subject type with the workflow engine.
        from records import receivers, subjects  # noqa: F401
