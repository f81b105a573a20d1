"""The second-factor pages live inside the admin URL space, under ``/admin/mfa/``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks

from accounts import views
from accounts.invitations import SetupError, send_setup_link
from accounts.models import SetupLink


@hooks.register("register_admin_urls")
def register_mfa_urls() -> list[Any]:
    return [
        path("mfa/verify/", views.verify, name="accounts_mfa_verify"),
        path("mfa/enrol/", views.enrol, name="accounts_mfa_enrol"),
        path("mfa/recovery-codes/", views.recovery_codes, name="accounts_mfa_recovery_codes"),
        path("mfa/password/", views.change_password, name="accounts_change_password"),
        path("mfa/email/", views.change_email, name="accounts_change_email"),
    ]


@hooks.register("register_account_menu_item")
def recovery_codes_menu_item(request: Any) -> dict[str, str]:
    return {
        "url": reverse("accounts_mfa_recovery_codes"),
        "label": "Recovery codes and authenticator",
        "help_text": "See how many recovery codes you have left, make new ones, or move "
        "two-step sign-in to a new phone.",
    }


@hooks.register("register_account_menu_item")
def change_password_menu_item(request: Any) -> dict[str, str]:
    return {
        "url": reverse("accounts_change_password"),
        "label": "Change password",
        "help_text": "Asks for your current password and a code first.",
    }


@hooks.register("register_account_menu_item")
def change_email_menu_item(request: Any) -> dict[str, str]:
    return {
        "url": reverse("accounts_change_email"),
        "label": "Change email address",
        "help_text": "Asks for your current password and a code first.",
    }


@hooks.register("after_create_user")
def invite_new_user(request: Any, user: Any) -> None:
    """Staff create accounts without a password; the owner is emailed a set-up link."""

    if user.password == "" or not user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    try:
        send_setup_link(user=user, purpose=SetupLink.Purpose.INVITATION, request=request)
    except SetupError as exc:
        messages.error(request, str(exc))
        return
    messages.success(request, f"A set-up link has been emailed to {user.email}.")


@hooks.register("insert_global_admin_js")
def csp_widget_starter() -> str:
    """Starts the widgets whose inline scripts our templates replaced (CSP script-src 'self')."""
    return format_html('<script src="{}"></script>', static("accounts/js/csp-init.js"))
