"""Settings → Supervisor accounts: which sign-in account each supervisor profile belongs to.

Linking decides whose bookings and records an account reaches, so it needs its own
permission (``cms.link_supervisor_account``), is audited, and is not part of the page editor.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms.models import SupervisorPage
from cms.services import SupervisorAccountError, link_supervisor_account

PERMISSION = "cms.link_supervisor_account"


def may_link_accounts(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(PERMISSION))


class SupervisorAccountForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Sign-in account",
        help_text="The supervisor's own account. Leave empty to unlink: the account then sees "
        "none of this supervisor's bookings or records.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        field.label_from_instance = lambda u: f"{u.get_full_name() or u.get_username()} ({u})"


def _require_permission(request: HttpRequest) -> None:
    if not may_link_accounts(request.user):
        raise PermissionDenied


@never_cache
def account_list(request: HttpRequest) -> HttpResponse:
    _require_permission(request)
    profiles = SupervisorPage.objects.select_related("user").order_by("title")
    return TemplateResponse(
        request, "cms/admin/supervisor_account_list.html", {"profiles": profiles}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, page_id: int) -> HttpResponse:
    _require_permission(request)
    supervisor = get_object_or_404(SupervisorPage.objects.select_related("user"), pk=page_id)
    form = SupervisorAccountForm(request.POST or None, initial={"user": supervisor.user_id})
    if request.method == "POST" and form.is_valid():
        try:
            link_supervisor_account(
                supervisor=supervisor,
                user=form.cleaned_data["user"],
                actor=request.user,
                request=request,
            )
        except SupervisorAccountError as exc:
            form.add_error("user", str(exc))
        else:
            messages.success(request, f"Sign-in account of {supervisor.title} saved.")
            return redirect("cms_supervisor_accounts:list")
    return TemplateResponse(
        request,
        "cms/admin/supervisor_account_form.html",
        {"supervisor": supervisor, "form": form},
        status=400 if request.method == "POST" else 200,
    )
