from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workflows"
    verbose_name = "Bookings and workflows"

    def ready(self) -> None:
        # Imported for their side effects: registering into the engine's registries and
        # Django's system checks (they import models, so they cannot load before apps are ready).
        from workflows import actions, checks, subjects  # noqa: F401
