"""Formatting for Insights: hours without trailing zeros (5.5, 2, 1.25)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def hours(value: float | int | None) -> str:
    return f"{float(value or 0):,.2f}".rstrip("0").rstrip(".")
