from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workflows"
    verbose_name = "Bookings and workflows"

    def ready(self) -> None:
        from workflows import checks  # noqa: F401  (registers the system check)
