"""Forms of the sign-in pages: a code, asking again (password + code), and account changes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation


class CodeForm(forms.Form):
    """A six-digit app code or a recovery code; the service decides which."""

    code = forms.CharField(
        label="Code",
        max_length=64,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
    )


class ReauthForm(CodeForm):
    """Asked again before any change to how the account signs in (the view checks both)."""

    password = forms.CharField(
        label="Your current password",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "code"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.pop("autofocus", None)
        self.fields["password"].widget.attrs["autofocus"] = True


class NewPasswordMixin(forms.Form):
    new_password1 = forms.CharField(
        label="New password",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters; not a common password; not like your username.",
    )
    new_password2 = forms.CharField(
        label="New password again",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_password2(self) -> str:
        first = self.cleaned_data.get("new_password1")
        second = self.cleaned_data.get("new_password2", "")
        if first and first != second:
            raise forms.ValidationError("The two passwords are different.")
        password_validation.validate_password(second, self.user)
        return second


class SetupPasswordForm(NewPasswordMixin):
    """Step one of a set-up link: the password the owner chooses."""


class ChangePasswordForm(NewPasswordMixin, ReauthForm):
    field_order = ["password", "code", "new_password1", "new_password2"]


class ChangeEmailForm(ReauthForm):
    email = forms.EmailField(label="New email address", max_length=254)
    field_order = ["password", "code", "email"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
