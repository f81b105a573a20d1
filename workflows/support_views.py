"""Staff screens that keep supervisees' mail and links safe: Reports → Outgoing emails (what
was sent, what is waiting, what failed and why) and Settings → Supervisee links (revoke
every link of an address, audited). Both are for service staff only.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from workflows.models import OutboundEmail
from workflows.permissions import is_service_staff
from workflows.services.tokens import revoke_links
from workflows.validators import validate_single_line

PAGE_SIZE = 50
EMAIL_FILTERS = {
    "failed": "Failed",
    "pending": "Waiting to send",
    "sent": "Sent",
    "all": "All",
}


def _require_staff(request: HttpRequest) -> None:
    if not is_service_staff(request.user):
        raise PermissionDenied


@never_cache
def email_list(request: HttpRequest) -> HttpResponse:
    """Outgoing emails, newest first. The only filter is ``status``; failed ones come first."""
    _require_staff(request)
    show = request.GET.get("status", "failed")
    if show not in EMAIL_FILTERS:
        show = "failed"
    emails = OutboundEmail.objects.select_related("case").order_by("-created_at", "-pk")
    if show != "all":
        emails = getattr(emails, show)()
    page = Paginator(emails, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "workflows/admin/email_list.html",
        {
            "emails": page.object_list,
            "page": page,
            "show": show,
            "filters": EMAIL_FILTERS,
            "failed_count": OutboundEmail.objects.failed().count(),
        },
    )


@never_cache
@require_http_methods(["POST"])
def email_retry(request: HttpRequest, email_id: int) -> HttpResponse:
    """Try a failed email again: a fresh set of tries, sent by the queue (audited)."""
    from django.shortcuts import get_object_or_404

    from audit.services import log_event
    from workflows.services.notifications import retry_failed_email

    if not is_service_staff(request.user):
        raise Http404  # an id in the path: others learn nothing, not even that it exists
    email = get_object_or_404(OutboundEmail, pk=email_id)
    if email.status != "failed":
        messages.error(request, "Only a failed email can be tried again.")
        return redirect("workflows_support:emails")
    with transaction.atomic():
        retry_failed_email(email=email)
        log_event(
            action="workflows.email.retried",
            request=request,
            target=email,
            data={"template": email.template_key, "attempts_before": email.attempts},
        )
    messages.success(request, f"The email to {email.to} will be tried again.")
    return redirect("workflows_support:emails")


class RevokeLinksForm(forms.Form):
    email = forms.EmailField(
        label="Supervisee's email address",
        validators=[validate_single_line],
        help_text="Every emailed link of this address stops working at once: portal and "
        "record links alike. They can ask for a new link from the website.",
    )


@never_cache
@require_http_methods(["GET", "POST"])
def revoke_links_view(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = RevokeLinksForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        count = revoke_links(email=email, actor=request.user, request=request)
        messages.success(
            request,
            f"Revoked {count} live link{'s' if count != 1 else ''} of {email.strip().lower()}.",
        )
        return redirect("workflows_support:links")
    return TemplateResponse(
        request,
        "workflows/admin/revoke_links.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
