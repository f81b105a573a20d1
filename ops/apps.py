from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the site at scale: health, logs, the shared cache, page caching, job upkeep."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from ops import receivers  # noqa: F401  (purges cached pages on publish and price edits)
