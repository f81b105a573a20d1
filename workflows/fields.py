"""A multiple-choice model field editors tick in the admin, stored as a JSON list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class ChoiceListField(models.JSONField):
    """A list of choice values, edited as checkboxes. Works on SQLite and PostgreSQL alike."""

    def __init__(self, *args: Any, choice_list: Any = None, **kwargs: Any) -> None:
        self.choice_list = choice_list
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choice_list", None)
        return name, path, args, kwargs

    def _option_pairs(self) -> list[tuple[str, str]]:
        if self.choice_list is None:
            return []
        return list(self.choice_list.choices)

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        allowed = {key for key, _ in self._option_pairs()}
        if not isinstance(value, list) or any(item not in allowed for item in value):
            raise ValidationError(f"Choose from: {', '.join(sorted(allowed))}.")

    def formfield(self, **kwargs: Any) -> Any:
        return forms.TypedMultipleChoiceField(
            choices=self._option_pairs(),
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=kwargs.get("label", self.verbose_name.capitalize()),
            help_text=self.help_text,
        )
