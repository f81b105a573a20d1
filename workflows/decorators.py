"""The one guard for the supervisee's pages behind an emailed link (no account).

``supervisee_link_required`` resolves the ``token`` in the URL to a live link, or shows the
invalid-link page (404) and changes nothing; the view gets the link as ``access`` and looks
every object up through ``access.email``, so one person's link never reaches another's data.
Pages are never cached.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from workflows.models.domain import AccessToken
from workflows.services.tokens import resolve_record_link, resolve_token

INVALID_LINK_TEMPLATE = "invalid_link.html"

View = Callable[..., HttpResponse]


def invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, INVALID_LINK_TEMPLATE, status=404)


def supervisee_link_required(
    view: View | None = None,
    *,
    record_link: bool = False,
    methods: tuple[str, ...] | None = None,
) -> Any:
    """Decorate a view taking ``token``: it runs with ``access`` (the live ``AccessToken``).

    ``record_link=True``: a link emailed for one record (``record_id`` in the URL) opens that
    record as well as a portal link does; otherwise only portal links open the page.
    ``methods``: the HTTP methods the page answers, if limited (others get 405 before the link
    is read).
    """

    def decorate(func: View) -> View:
        @wraps(func)
        def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
            access: AccessToken | None
            if record_link:
                access = resolve_record_link(token, record_id=kwargs["record_id"])
            else:
                access = resolve_token(token)
            if access is None:
                return invalid_link(request)
            return func(request, token, *args, access=access, **kwargs)

        guarded = require_http_methods(list(methods))(wrapper) if methods else wrapper
        return never_cache(guarded)

    return decorate(view) if view is not None else decorate
