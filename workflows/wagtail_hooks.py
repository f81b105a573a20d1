"""Admin menus: workflows and email templates (snippets); cases, bookings, sessions, schools."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from workflows import admin_views, support_views
from workflows.admin_forms import workflow_edit_handler
from workflows.modeladmin import ReadOnlyPermissionHelper, ScopedModelAdmin
from workflows.models import (
    AgreementWording,
    Booking,
    BookingFormPage,
    Case,
    EmailTemplate,
    School,
    Session,
    Workflow,
)
from workflows.permissions import is_service_staff


class WorkflowViewSet(SnippetViewSet):
    model = Workflow
    icon = "tasks"
    # Not "Workflows": staff must not confuse these with Wagtail's page moderation (switched
    # off by WAGTAIL_WORKFLOW_ENABLED = False, but the word is Wagtail's in its docs and help).
    menu_label = "Booking processes"
    list_display = ["name", "subject", "slug"]
    # The editor in the service's words, with the diagram (workflows/admin_forms.py).
    edit_handler = workflow_edit_handler


class EmailTemplateViewSet(SnippetViewSet):
    model = EmailTemplate
    icon = "mail"
    menu_label = "Email templates"
    list_display = ["name", "key", "subject"]


class AgreementWordingViewSet(SnippetViewSet):
    """The agreement's wording, with drafts, history and a preview (workflows.models.wording)."""

    model = AgreementWording
    icon = "doc-full"
    menu_label = "Agreement wording"
    list_display = ["name", "live", "last_published_at"]


class ProcessGroup(SnippetViewSetGroup):
    items = (WorkflowViewSet, EmailTemplateViewSet, AgreementWordingViewSet)
    menu_icon = "cogs"
    menu_label = "Processes"
    menu_name = "processes"


register_snippet(ProcessGroup)


class CaseAdmin(ScopedModelAdmin):
    model = Case
    menu_label = "Cases"
    menu_icon = "tasks"
    list_display = ["reference_link", "workflow", "state", "created_at", "state_entered_at"]
    list_filter = ["workflow", "state__label", "created_at"]
    search_fields = ["reference"]
    ordering = ["-created_at"]

    def scope(self, user: Any, qs: Any) -> Any:
        return qs.filter(pk__in=Case.objects.visible_to(user).values("pk")).select_related(
            "workflow", "state"
        )

    @staticmethod
    def reference_link(obj: Case) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("workflows_admin:case", args=[obj.pk]), obj.reference
        )

    reference_link.short_description = "Reference"  # type: ignore[attr-defined]


class BookingAdmin(ScopedModelAdmin):
    model = Booking
    export_identifier = "bookings"
    menu_label = "Bookings"
    menu_icon = "date"
    list_display = [
        "reference_link",
        "school",
        "supervisor",
        "service",
        "duration_minutes",
        "created_at",
    ]
    list_filter = ["supervisor", "service", "created_at"]
    search_fields = ["reference", "school__name", "school__urn", "supervisee_name"]

    def scope(self, user: Any, qs: Any) -> Any:
        case_pk = Case.objects.filter(reference=OuterRef("reference")).values("pk")[:1]
        return (
            Booking.objects.visible_to(user)
            .select_related("school", "supervisor", "service")
            .annotate(case_pk=Subquery(case_pk))
        )

    @staticmethod
    def reference_link(obj: Booking) -> str:
        if getattr(obj, "case_pk", None) is None:
            return obj.reference
        return format_html(
            '<a href="{}">{}</a>',
            reverse("workflows_admin:case", args=[obj.case_pk]),
            obj.reference,
        )

    reference_link.short_description = "Reference"  # type: ignore[attr-defined]


class SessionAdmin(ScopedModelAdmin):
    model = Session
    export_identifier = "sessions"
    menu_label = "Sessions"
    menu_icon = "time"
    list_display = ["start", "supervisor", "booking", "status", "price", "invoiced_at"]
    list_filter = ["status", "supervisor", "start"]
    search_fields = ["booking__reference", "booking__school__name"]

    def scope(self, user: Any, qs: Any) -> Any:
        return Session.objects.visible_to(user).select_related(
            "supervisor", "booking__school", "booking__supervisor"
        )


class SchoolPermissionHelper(ReadOnlyPermissionHelper):
    """Service staff may edit a school's billing details (its purchase order); nobody adds or
    deletes schools here (they come from booking requests)."""

    def user_can_edit_obj(self, user: Any, obj: Any) -> bool:
        return is_service_staff(user)


class SchoolAdmin(ScopedModelAdmin):
    model = School
    menu_label = "Schools"
    menu_icon = "home"
    list_display = ["name", "urn", "contact_email", "purchase_order"]
    search_fields = ["name", "urn"]
    permission_helper_class = SchoolPermissionHelper
    panels = [FieldPanel("purchase_order")]

    def scope(self, user: Any, qs: Any) -> Any:
        return qs.filter(bookings__in=Booking.objects.visible_to(user)).distinct()


class BookingsGroup(ModelAdminGroup):
    menu_label = "Bookings"
    menu_icon = "date"
    menu_order = 150
    items = (CaseAdmin, BookingAdmin, SessionAdmin, SchoolAdmin)


modeladmin_register(BookingsGroup)


@hooks.register("register_admin_urls")
def register_case_urls() -> list[Any]:
    urls = [
        path("<int:case_id>/", admin_views.case_detail, name="case"),
        path(
            "<int:case_id>/do/<str:transition_key>/",
            admin_views.case_transition,
            name="case_transition",
        ),
    ]
    return [path("cases/", include((urls, "workflows_admin"), namespace="workflows_admin"))]


# --- Reports → Outgoing emails; Settings → Supervisee links (service staff only) -------------


class _ServiceStaffMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return is_service_staff(request.user)


@hooks.register("register_reports_menu_item")
def register_outgoing_emails_menu_item() -> MenuItem:
    return _ServiceStaffMenuItem(
        "Outgoing emails", reverse("workflows_support:emails"), icon_name="mail", order=900
    )


@hooks.register("register_settings_menu_item")
def register_supervisee_links_menu_item() -> MenuItem:
    return _ServiceStaffMenuItem(
        "Supervisee links", reverse("workflows_support:links"), icon_name="link", order=620
    )


@hooks.register("register_admin_urls")
def register_support_urls() -> list[Any]:
    urls = [
        path("emails/", support_views.email_list, name="emails"),
        path("emails/<int:email_id>/retry/", support_views.email_retry, name="email_retry"),
        path("supervisee-links/", support_views.revoke_links_view, name="links"),
    ]
    return [path("support/", include((urls, "workflows_support"), namespace="workflows_support"))]


@hooks.register("filter_form_submissions_for_user")
def booking_form_not_in_forms(user: Any, editable_forms: Any) -> Any:
    """Keep the booking form out of Admin → Forms.

    Its requests are stored as cases (Bookings → Cases), not as Wagtail form submissions, so
    Forms would always say "no submissions". With no other form pages the menu item is hidden.
    """
    return editable_forms.not_type(BookingFormPage)
