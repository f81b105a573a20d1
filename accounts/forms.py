"""The one form of the second-factor pages: a code field."""

from __future__ import annotations

from django import forms


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
