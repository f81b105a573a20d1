"""The Exports screen's form: which export, a date range (required) and optional filters."""

from __future__ import annotations

from typing import Any

from django import forms
from wagtail.admin.widgets import AdminDateInput

from cms.models import ServicePage, SupervisorPage
from exports.exporters import EXPORTERS, ExportParams
from exports.permissions import bookings_for, exports_everything
from workflows.models import School

MAX_RANGE_DAYS = 3 * 366


class ExportForm(forms.Form):
    export = forms.ChoiceField(label="Export")
    date_from = forms.DateField(label="From", widget=AdminDateInput)
    date_to = forms.DateField(label="To", widget=AdminDateInput)
    supervisor = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any")
    school = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any")
    service = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any")
    state = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.exporters = [e for e in EXPORTERS.values() if e.allowed_for(user)]
        self.fields["export"].choices = [(e.identifier, e.verbose_name) for e in self.exporters]
        supervisors = SupervisorPage.objects.order_by("title")
        schools = School.objects.order_by("name")
        if not exports_everything(user):
            # A supervisor's choices are their own: their page, the schools they work with.
            supervisors = supervisors.filter(user=user)
            schools = schools.filter(bookings__in=bookings_for(user)).distinct()
        self.fields["supervisor"].queryset = supervisors
        self.fields["school"].queryset = schools
        self.fields["service"].queryset = ServicePage.objects.live().order_by("title")
        groups: list[Any] = [("", "Any")]
        for exporter in self.exporters:
            options = list(exporter.state_choices())
            if options:
                groups.append((exporter.verbose_name, options))
        self.fields["state"].choices = groups
        self.fields["state"].help_text = "Each export understands the states listed under it."

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", "The end date must be on or after the start date.")
            elif (end - start).days > MAX_RANGE_DAYS:
                self.add_error("date_to", "Choose a range of at most three years.")
        identifier, state = data.get("export"), data.get("state")
        if identifier and state:
            exporter = EXPORTERS[identifier]
            if state not in dict(exporter.state_choices()):
                self.add_error(
                    "state",
                    f"That state does not apply to the {exporter.verbose_name} export; "
                    "choose one listed under it, or Any.",
                )
        return data

    def params(self) -> ExportParams:
        data = self.cleaned_data
        return ExportParams(
            date_from=data["date_from"],
            date_to=data["date_to"],
            supervisor_id=data["supervisor"].pk if data.get("supervisor") else None,
            school_id=data["school"].pk if data.get("school") else None,
            service_id=data["service"].pk if data.get("service") else None,
            state=data.get("state") or "",
        )


class AuditLogFilterForm(forms.Form):
    """The Audit log listing's own filters, as its download button passes them on."""

    action = forms.CharField(required=False, max_length=100)
    actor_label = forms.CharField(required=False, max_length=255)
    target_type = forms.CharField(required=False, max_length=100)
    q = forms.CharField(required=False, max_length=255)
    timestamp_from = forms.DateField(required=False)
    timestamp_to = forms.DateField(required=False)

    def params(self) -> ExportParams:
        data = self.cleaned_data
        return ExportParams(
            date_from=data.get("timestamp_from"),
            date_to=data.get("timestamp_to"),
            extra={k: data[k] for k in ("action", "actor_label", "target_type", "q") if data[k]},
        )
