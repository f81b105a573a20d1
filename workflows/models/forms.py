"""The booking form page: editor-built questions on top of the fields the process needs."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import AbstractFormField, FormMixin
from wagtail.fields import RichTextField
from wagtail.models import Page

from workflows.enums import WorkflowSubject
from workflows.errors import BookingError
from workflows.forms import BookingRequestForm
from workflows.models.engine import Workflow
from workflows.services.bookings import request_booking
from workflows.services.ratelimit import RateLimited, check_submission_rate
from workflows.validators import validate_single_line


class BookingFormField(AbstractFormField):
    """A question an editor added to the booking form (any Wagtail field type)."""

    page = ParentalKey("BookingFormPage", on_delete=models.CASCADE, related_name="form_fields")


class BookingFormBuilder(FormBuilder):
    """Builds editor questions; names that clash with the fixed fields are prefixed."""

    @property
    def formfields(self) -> dict[str, forms.Field]:
        fixed = set(BookingRequestForm.base_fields)
        fields = {}
        for name, field in super().formfields.items():
            fields[f"extra_{name}" if name in fixed else name] = field
        return fields

    def _one_line(self, field: forms.Field) -> forms.Field:
        """Editors' single-line questions refuse line breaks like the fixed fields do."""
        field.validators.append(validate_single_line)
        return field

    def create_singleline_field(self, field: Any, options: dict[str, Any]) -> forms.Field:
        return self._one_line(super().create_singleline_field(field, options))

    def create_email_field(self, field: Any, options: dict[str, Any]) -> forms.Field:
        return self._one_line(super().create_email_field(field, options))

    def create_url_field(self, field: Any, options: dict[str, Any]) -> forms.Field:
        return self._one_line(super().create_url_field(field, options))


class BookingFormPage(FormMixin, Page):
    """Where schools request supervision. Each submission starts a case in ``workflow``."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text="Shown above the form: what happens after a school submits it.",
    )
    thank_you_text = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text="Shown after submission, under the booking reference.",
    )
    workflow = models.ForeignKey(
        Workflow,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"subject": WorkflowSubject.BOOKING},
        help_text="The workflow every request from this form follows.",
    )

    form_builder = BookingFormBuilder
    content_panels = [
        *Page.content_panels,
        # No FormSubmissionsPanel: requests become cases (Bookings → Cases), not submissions.
        FieldPanel("intro"),
        InlinePanel(
            "form_fields",
            label="Extra question",
            heading="Extra questions",
            help_text="The form always asks for the school, supervisee, supervisor, service, "
            "format, length, frequency, preferred times and location. Add any other "
            "questions here; answers are stored with the case.",
        ),
        FieldPanel("thank_you_text"),
        MultiFieldPanel([FieldPanel("workflow")], heading="Process"),
    ]

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    template = "workflows/booking_form_page.html"
    landing_page_template = "workflows/booking_form_page_landing.html"

    def get_form_class(self) -> type[forms.Form]:
        extra = self.form_builder(self.get_form_fields()).formfields
        return type("BookingForm", (BookingRequestForm,), dict(extra))

    def extra_field_names(self) -> list[str]:
        return [
            n for n in self.get_form_class().base_fields if n not in BookingRequestForm.base_fields
        ]

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form_class = self.get_form_class()
        error = ""
        if request.method == "POST":
            form = form_class(request.POST)
            if form.is_valid():
                try:
                    check_submission_rate(request, email=form.cleaned_data["work_email"])
                    booking = request_booking(
                        form_page=self,
                        data=form.cleaned_data,
                        extra={
                            n: _jsonable(form.cleaned_data.get(n)) for n in self.extra_field_names()
                        },
                        request=request,
                    )
                except RateLimited as exc:
                    error = str(exc)
                except BookingError as exc:
                    form.add_error(None, str(exc))
                else:
                    return TemplateResponse(
                        request,
                        self.landing_page_template,
                        {**self.get_context(request), "booking": booking},
                    )
        else:
            form = form_class(initial=_initial_from_query(request))
        context = self.get_context(request)
        context.update(form=form, rate_limit_error=error)
        status = 429 if error else 200
        return TemplateResponse(request, self.get_template(request), context, status=status)

    def clean(self) -> None:
        super().clean()
        if self.workflow_id and self.workflow.subject != WorkflowSubject.BOOKING:
            raise ValidationError({"workflow": "Choose a booking request workflow."})


def _initial_from_query(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for name in ("supervisor", "service"):
        value = request.GET.get(name, "")
        if re.fullmatch(r"[0-9]{1,9}", value):
            initial[name] = int(value)
    return initial


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
    except TypeError:
        return str(value)
    return value
