from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign-in security: second factor, sessions, lockout, headers, key rotation, backups."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts and sign-in security"

    def ready(self) -> None:
        # Audit receivers for sign-in and permission changes (see accounts/receivers.py).
        from accounts import receivers  # noqa: F401
