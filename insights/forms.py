"""The Insights filter: which period, and optionally which service and supervisor.

Only the fields declared here are read from the query string; anything else is ignored. A bad
value is reported and the page falls back to the current term, changing nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from cms.models import ServicePage, SupervisorPage
from insights.periods import (
    MAX_CUSTOM_DAYS,
    TERMS,
    Period,
    academic_year_of,
    custom_period,
    month_period,
    term_choices,
    term_of,
    term_period,
    year_period,
)

PERIOD_KINDS = [
    ("month", "A month"),
    ("term", "A term"),
    ("year", "An academic year"),
    ("custom", "Dates I choose"),
]


def current_term(today: datetime.date) -> Period:
    found = term_of(today)
    if found is None:  # August: the summer term just ended
        return term_period(today.year, "summer")
    return term_period(*found)


class InsightsFilterForm(forms.Form):
    period = forms.ChoiceField(label="Period", choices=PERIOD_KINDS, initial="term")
    month = forms.CharField(
        label="Month",
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text="For a month, e.g. 2026-10.",
    )
    term = forms.ChoiceField(label="Term", required=False)
    year = forms.ChoiceField(label="Academic year", required=False)
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    service = forms.ModelChoiceField(
        label="Service",
        queryset=ServicePage.objects.order_by("title"),
        required=False,
        empty_label="All services",
    )
    supervisor = forms.ModelChoiceField(
        label="Supervisor",
        queryset=SupervisorPage.objects.order_by("title"),
        required=False,
        empty_label="All supervisors",
    )

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["term"].choices = term_choices(self.today)
        current = academic_year_of(self.today)
        self.fields["year"].choices = [
            (str(y), year_period(y).label) for y in range(current, current - 5, -1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("period")
        try:
            data["resolved"] = self._resolve(kind, data)
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        return data

    def _resolve(self, kind: str | None, data: dict[str, Any]) -> Period:
        if kind == "month":
            raw = (data.get("month") or "").strip()
            try:
                first = datetime.datetime.strptime(raw, "%Y-%m").date()
            except ValueError:
                raise forms.ValidationError("Choose a month, e.g. 2026-10.") from None
            return month_period(first)
        if kind == "term":
            raw = data.get("term") or ""
            year, _, key = raw.partition("-")
            if key not in TERMS or not year.isascii() or not year.isdigit():
                raise forms.ValidationError("Choose a term.")
            return term_period(int(year), key)
        if kind == "year":
            raw = data.get("year") or ""
            if not raw.isascii() or not raw.isdigit():
                raise forms.ValidationError("Choose an academic year.")
            return year_period(int(raw))
        if kind == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError("Give both dates of the range.")
            if end < start:
                raise forms.ValidationError("The end date is before the start date.")
            if (end - start).days > MAX_CUSTOM_DAYS:
                raise forms.ValidationError("Choose a range of at most three years.")
            return custom_period(start, end)
        raise forms.ValidationError("Choose a period.")

    @property
    def resolved_period(self) -> Period:
        """The chosen period if the form is valid, else the current term."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["resolved"]
        return current_term(self.today)
