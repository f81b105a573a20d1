"""Request-level security: who is acting, session lifetime, the second factor, headers.

Order in ``MIDDLEWARE`` matters and is: ``SecurityHeadersMiddleware`` early (so every
response gets its headers), then after Django's ``AuthenticationMiddleware`` and django-otp's
``OTPMiddleware``: ``AuditContextMiddleware``, ``SessionTimeoutMiddleware``,
``MFARequiredMiddleware``. An expired session is ended before the second-factor check runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from typing import Any
from urllib.parse import urlencode

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse

from accounts.invitations import send_setup_link_after_password
from accounts.mfa import is_enrolled
from audit.services import log_event

Handler = Callable[[HttpRequest], HttpResponse]

# The request being served, so signal receivers (group and permission changes) can say who
# made a change and from where without every caller passing the request along.
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)

SESSION_STARTED = "_accounts_session_started"
SESSION_LAST_SEEN = "_accounts_session_last_seen"


class AuditContextMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


class SessionTimeoutMiddleware:
    """End signed-in sessions after ``SESSION_IDLE_TIMEOUT`` idle or ``SESSION_ABSOLUTE_TIMEOUT``.

    Django's own expiry is a cookie age, renewed only when the session is saved; it can express
    neither an idle limit enforced on the server nor an absolute one. Both timestamps live in
    the session itself, so they survive restarts and work with every session backend.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.get(SESSION_STARTED)
            last_seen = session.get(SESSION_LAST_SEEN)
            reason = ""
            if started is None or last_seen is None:
                session[SESSION_STARTED] = session.get(SESSION_STARTED, now)
            elif now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                reason = "absolute"
            elif now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                reason = "idle"
            if reason:
                user = request.user
                log_event(
                    action="accounts.session.expired",
                    actor=user,
                    request=request,
                    data={"reason": reason},
                )
                logout(request)
                if _is_admin_path(request.path_info):
                    return HttpResponseRedirect(_login_url(request))
            else:
                session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


@cache
def _admin_prefix() -> str:
    return reverse("wagtailadmin_home")


@cache
def _open_admin_paths() -> frozenset[str]:
    """Admin paths a signed-in user may reach before the second factor: the way through."""
    names = (
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_sprite",
        "wagtailadmin_javascript_catalog",
        "accounts_mfa_verify",
    )
    return frozenset(reverse(name) for name in names)


def _is_admin_path(path: str) -> bool:
    return path.startswith(_admin_prefix())


def _login_url(request: HttpRequest) -> str:
    query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
    return reverse("wagtailadmin_login") + (f"?{query}" if query else "")


class MFARequiredMiddleware:
    """No admin page without a verified second factor; elsewhere, no trust without one.

    An authenticated user whose session has not passed a second factor is sent to the
    verification page for every admin URL except the sign-in, sign-out and code pages. A user
    with no authenticator is emailed a set-up link and signed out (``accounts.invitations``):
    a password alone never reaches a page that binds a second factor. Outside the admin such a
    session is treated as anonymous, so no view that trusts ``request.user`` (page privacy,
    documents, later the supervisors' own pages) can be reached with a password alone.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified():
            path = request.path_info
            if _is_admin_path(path):
                if path == reverse("wagtailadmin_logout"):
                    return self.get_response(request)

                if not is_enrolled(user):
                    # No page opens to a password alone: the owner gets a set-up link by
                    # email, and this session ends.

                    send_setup_link_after_password(request=request)
                    return HttpResponseRedirect(reverse("accounts_setup_needed"))
                if path not in _open_admin_paths():
                    return HttpResponseRedirect(self._second_factor_url(request))
            else:
                anonymous = AnonymousUser()
                request.user = anonymous

                async def auser() -> AnonymousUser:
                    return anonymous

                request.auser = auser
        return self.get_response(request)

    @staticmethod
    def _second_factor_url(request: HttpRequest) -> str:
        url = reverse("accounts_mfa_verify")
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return url


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware with the two exceptions the Wagtail admin needs.

    * Admin pages get ``style-src 'unsafe-inline'``: Wagtail's admin sets inline ``style``
      attributes from its own scripts and templates. Scripts stay ``'self'`` only.
    * A response Wagtail marks ``X-Frame-Options: SAMEORIGIN`` (its live preview, shown in an
      iframe of the editor) gets ``frame-ancestors 'self'``; everything else keeps the
      site-wide ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``.

    It also sets a ``Permissions-Policy`` turning off browser features the site never uses.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        update: dict[str, Any] = dict(parts.update or {})
        replace: dict[str, Any] = dict(parts.replace or {})
        if _is_admin_path(request.path_info):
            update["style-src"] = [*update.get("style-src", []), UNSAFE_INLINE]
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            replace["frame-ancestors"] = [SELF]
        parts.update = update or None
        parts.replace = replace or None
        return parts

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> Any:
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            # Wagtail renders a preview by running the page through the whole middleware
            # chain as a dummy request (which set the public policy), then marks the result
            # frameable; build the policy again for what it now is.
            del response["Content-Security-Policy"]
        response = super().process_response(request, response)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response
