from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign-in security: second factor, sessions, lockout, headers, key rotation, backups."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts and sign-in security"

    def ready(self) -> None:
        # Audit receivers for sign-in and permission changes (see accounts/receivers.py), and
        # Wagtail's chooser widgets started from data attributes, not inline scripts (CSP).
        from accounts import csp_widgets, receivers  # noqa: F401

        csp_widgets.install()
