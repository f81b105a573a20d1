"""Sign-in pages: the code page, set-up links, and changes that ask again.

The admin ones (verify, move to a new app, recovery codes, change password or email) are
registered through ``register_admin_urls`` (so Wagtail's ``require_admin_access`` sends
anonymous visitors to its login page); the set-up link and the throttled password reset are in
``accounts/urls.py``. Each validates a form, calls services in ``accounts.mfa`` or
``accounts.invitations`` and renders or redirects. Responses are ``never_cache``: secrets and
recovery codes must not sit in any cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.admin.views.account import PasswordResetView

from accounts import invitations, mfa
from accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    CodeForm,
    ReauthForm,
    SetupPasswordForm,
)
from accounts.ratelimit import over_limit
from audit.services import client_ip, log_event

WRONG_CODE = mfa.WRONG_CODE
REAUTH_FAILED = (
    "Your password or code was not right. Type your current password and the newest code "
    "from your app (or a recovery code)."
)
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
        invitations.send_setup_link_after_password(request=request)
        return redirect("accounts_setup_needed")
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


def _reauth_failed(request: HttpRequest) -> HttpResponse | None:
    """After too many failed attempts to ask again the session is over: back to sign-in."""
    if not request.user.is_authenticated:
        return redirect("wagtailadmin_login")
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Move two-step sign-in to a new app: ask again, show a new QR code once, confirm it.

    Only a verified session gets here (the middleware sends others to the code page or, with
    no authenticator, to an emailed set-up link). The pending secret belongs to this session
    and is shown in the one response that follows asking again; a reload starts over.
    """
    next_url = safe_next(request)
    user = request.user
    if not user.is_verified():
        return redirect(_with_next("accounts_mfa_verify", next_url))
    stage = request.POST.get("stage", "reauth")
    if request.method == "POST" and stage == "confirm":
        form = CodeForm(request.POST)
        codes = (
            mfa.confirm_totp_device(request=request, token=form.cleaned_data["code"])
            if form.is_valid()
            else []
        )
        if codes:
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": next_url, "first_time": False},
            )
        return render(
            request,
            "accounts/mfa_enrol.html",
            {"form": form, "error": mfa.WRONG_CODE, "next": next_url, "stage": "confirm"},
        )
    reauth = ReauthForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if reauth.is_valid() and mfa.reauthenticate(
            request=request,
            password=reauth.cleaned_data["password"],
            code=reauth.cleaned_data["code"],
        ):
            device = mfa.start_replacement(request=request)
            return render(
                request,
                "accounts/mfa_enrol.html",
                {
                    "form": CodeForm(),
                    "next": next_url,
                    "stage": "confirm",
                    "qr_svg": mfa.qr_code_svg(device),
                    "secret": mfa.secret_for_display(device),
                },
            )
        if (gone := _reauth_failed(request)) is not None:
            return gone
        error = REAUTH_FAILED
    return render(
        request,
        "accounts/reauth.html",
        {
            "form": reauth,
            "error": error,
            "next": next_url,
            "action": reverse("accounts_mfa_enrol"),
            "title": "Move two-step sign-in to a new app",
            "button": "Continue",
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many codes are left; a POST that passes asking again replaces them all."""
    form = ReauthForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if form.is_valid() and mfa.reauthenticate(
            request=request, password=form.cleaned_data["password"], code=form.cleaned_data["code"]
        ):
            codes = mfa.issue_recovery_codes(user=request.user, request=request)
            mfa.notify_owner(
                user=request.user,
                subject="New recovery codes",
                change="New recovery codes were made for your account; the old ones no longer "
                "work.",
            )
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": reverse("wagtailadmin_home"), "first_time": False},
            )
        if (gone := _reauth_failed(request)) is not None:
            return gone
        error = REAUTH_FAILED
    return render(
        request,
        "accounts/recovery_codes_status.html",
        {"left": mfa.recovery_codes_left(request.user), "form": form, "error": error},
    )


def _change_after_asking_again(
    request: HttpRequest,
    form: ChangePasswordForm | ChangeEmailForm,
    *,
    url_name: str,
    title: str,
    button: str,
    change: Callable[[], str],
) -> HttpResponse:
    """One flow for every account change that asks again (password and code) first.

    ``change`` runs inside a transaction only after the form is valid and asking again
    passed; it returns the success message. A failure counts towards ending the session.
    """
    error = ""
    if request.method == "POST" and form.is_valid():
        if mfa.reauthenticate(
            request=request, password=form.cleaned_data["password"], code=form.cleaned_data["code"]
        ):
            with transaction.atomic():
                message = change()
            messages.success(request, message)
            return redirect("wagtailadmin_account")
        if (gone := _reauth_failed(request)) is not None:
            return gone
        error = REAUTH_FAILED
    return render(
        request,
        "accounts/reauth.html",
        {
            "form": form,
            "error": error,
            "action": reverse(url_name),
            "title": title,
            "button": button,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    """A new password, after asking again; the owner is emailed. Keeps this session signed in."""
    user = request.user
    form = ChangePasswordForm(request.POST or None, user=user)

    def change() -> str:
        user.set_password(form.cleaned_data["new_password1"])
        user.save(update_fields=["password"])
        log_event(action="accounts.password.changed", actor=user, target=user, request=request)
        mfa.notify_owner(
            user=user,
            subject="Your password was changed",
            change="The password of your account was changed.",
        )
        update_session_auth_hash(request, user)
        return "Your password has been changed."

    return _change_after_asking_again(
        request,
        form,
        url_name="accounts_change_password",
        title="Change your password",
        button="Change password",
        change=change,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def change_email(request: HttpRequest) -> HttpResponse:
    """A new email address, after asking again; both the old and the new address are told."""
    user = request.user
    form = ChangeEmailForm(request.POST or None, user=user)

    def change() -> str:
        old = user.email
        user.email = form.cleaned_data["email"]
        user.save(update_fields=["email"])
        log_event(action="accounts.email.changed", actor=user, target=user, request=request)
        mfa.notify_owner(
            user=user,
            subject="Your email address was changed",
            change=f"The email address of your account was changed to {user.email}.",
            also=old,
        )
        return "Your email address has been changed."

    return _change_after_asking_again(
        request,
        form,
        url_name="accounts_change_email",
        title="Change your email address",
        button="Change email address",
        change=change,
    )


def setup_needed(request: HttpRequest) -> HttpResponse:
    """Where a password-only sign-in of an account without an authenticator ends up."""
    return render(request, "accounts/setup_needed.html")


@never_cache
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed set-up link: choose a password, scan a QR code, confirm, recovery codes.

    The QR code is rendered only in the answer to the password step (or to a fresh start);
    a wrong code does not show it again, and reloading starts over with a new secret.
    """
    link = invitations.resolve_setup_link(token)
    if link is None:
        return render(request, "accounts/setup_invalid.html", status=404)
    context: dict[str, Any] = {"link_user": link.user, "action": request.path}
    if request.method == "POST" and request.POST.get("stage") == "confirm":
        form = CodeForm(request.POST)
        try:
            if not form.is_valid():
                raise invitations.SetupError(mfa.WRONG_CODE)
            codes = invitations.complete_setup(
                request=request, link=link, code=form.cleaned_data["code"]
            )
        except invitations.SetupError as exc:
            context |= {"stage": "confirm", "form": form, "error": str(exc)}
            return render(request, "accounts/setup.html", context)
        return render(
            request,
            "accounts/recovery_codes.html",
            {"codes": codes, "next": reverse("wagtailadmin_home"), "first_time": True},
        )
    password_form = SetupPasswordForm(request.POST or None, user=link.user)
    if request.method == "POST" and password_form.is_valid():
        device = invitations.start_enrolment(
            request=request,
            link=link,
            password_hash=make_password(password_form.cleaned_data["new_password1"]),
        )
        context |= {
            "stage": "confirm",
            "form": CodeForm(),
            "qr_svg": mfa.qr_code_svg(device),
            "secret": mfa.secret_for_display(device),
        }
        return render(request, "accounts/setup.html", context)
    context |= {"stage": "password", "form": password_form}
    return render(request, "accounts/setup.html", context)


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
