"""The second-factor pages inside the Wagtail admin: enrol, verify, recovery codes.

They are registered through ``register_admin_urls`` (so Wagtail's ``require_admin_access``
sends anonymous visitors to its login page) and look like Wagtail's own sign-in page. Each
validates a form, calls one service in ``accounts.mfa`` and renders or redirects. Responses are
``never_cache``: the enrolment secret and the recovery codes must not sit in any cache.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.admin.views.account import PasswordResetView

from accounts import mfa
from accounts.forms import CodeForm
from accounts.ratelimit import over_limit
from audit.services import client_ip, log_event

WRONG_CODE = "That code did not work. Check the time on your phone and try the newest code."
THROTTLED = "Too many wrong codes. Wait a minute, then try again with a new code."


def safe_next(request: HttpRequest) -> str:
    """Where to go after the second factor: a same-site path, else the admin dashboard."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    if request.user.is_verified():
        return HttpResponseRedirect(next_url)
    if not mfa.is_enrolled(request.user):
        return redirect(_with_next("accounts_mfa_enrol", next_url))
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            result = mfa.verify_second_factor(request=request, token=form.cleaned_data["code"])
            if result.ok:
                if result.method == "recovery_code":
                    messages.warning(
                        request,
                        f"You signed in with a recovery code; {result.recovery_codes_left} "
                        "left. Each works once: make new ones from Account → Recovery codes.",
                    )
                return HttpResponseRedirect(next_url)
            error = THROTTLED if result.throttled else WRONG_CODE
        else:
            error = WRONG_CODE
    return render(
        request,
        "accounts/mfa_verify.html",
        {"form": form, "error": error, "next": next_url},
        status=200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app; on success show the recovery codes once."""
    next_url = safe_next(request)
    user = request.user
    if mfa.is_enrolled(user) and not user.is_verified():
        # Replacing an app needs the old one (or a recovery code) first.
        return redirect(_with_next("accounts_mfa_verify", next_url))
    device = mfa.pending_totp_device(user)
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST":
        codes = (
            mfa.confirm_totp_device(request=request, device=device, token=form.cleaned_data["code"])
            if form.is_valid()
            else []
        )
        if codes:
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": next_url, "first_time": True},
            )
        error = WRONG_CODE
    return render(
        request,
        "accounts/mfa_enrol.html",
        {
            "form": form,
            "error": error,
            "next": next_url,
            "qr_svg": mfa.qr_code_svg(device),
            "secret": mfa.secret_for_display(device),
            "replacing": mfa.is_enrolled(user),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many codes are left; POST replaces them all with ten new ones."""
    if request.method == "POST":
        codes = mfa.issue_recovery_codes(user=request.user, request=request)
        return render(
            request,
            "accounts/recovery_codes.html",
            {"codes": codes, "next": reverse("wagtailadmin_home"), "first_time": False},
        )
    return render(
        request,
        "accounts/recovery_codes_status.html",
        {"left": mfa.recovery_codes_left(request.user)},
    )


RESET_THROTTLED = (
    "Too many password reset requests. Wait an hour and try again, or ask the service team."
)


class ThrottledPasswordResetView(PasswordResetView):
    """Wagtail's password reset, limited per client address and per email address.

    Each valid request counts against both; past ``PASSWORD_RESET_LIMIT_PER_HOUR`` the form
    answers 429 and sends nothing. The answer is the same whether or not the address belongs
    to an account, so the limit tells an attacker nothing either.
    """

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        parts = [f"ip:{client_ip(self.request) or 'unknown'}", f"email:{email}"]
        limit = settings.PASSWORD_RESET_LIMIT_PER_HOUR
        if over_limit(scope="password-reset", parts=parts, limit=limit):
            log_event(action="accounts.password_reset.throttled", request=self.request)
            form.add_error(None, RESET_THROTTLED)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)
