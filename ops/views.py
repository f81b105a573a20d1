from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops.health import health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For a load balancer: 200 while this node can serve (``ok`` or ``degraded``), else 503.

    Names no hosts, versions or secrets: it is reachable without signing in.
    """
    status, checks = health()
    return JsonResponse(
        {"status": status, "checks": checks}, status=503 if status == "down" else 200
    )


@never_cache
@require_GET
def livez(request: HttpRequest) -> HttpResponse:
    """Liveness: this process answers (no database, cache or broker). Also the benchmark's
    "trivial Django view": it goes through the same middleware as every page."""
    return HttpResponse("ok", content_type="text/plain")
