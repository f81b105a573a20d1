"""One structured log line per request (``ops.request``), instead of a web server access log.

Logged at INFO with method, path (tokens redacted by the logging filter), status and time
taken, so a JSON-lines log answers "what was slow, what failed" without parsing text. The
health check is not logged: a load balancer asks every few seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from accounts.logging import redact

logger = logging.getLogger("ops.request")
QUIET_PATHS = frozenset({"/healthz", "/livez"})


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        if request.path not in QUIET_PATHS and logger.isEnabledFor(logging.INFO):
            path = redact(request.path)
            ms = round((time.perf_counter() - started) * 1000, 1)
            logger.info(
                "%s %s %s %sms",
                request.method,
                path,
                response.status_code,
                ms,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": ms,
                },
            )
        return response
