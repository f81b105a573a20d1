"""The headless, read-only API (Wagtail API v2) at /api/v2/."""

from __future__ import annotations

from django.db.models import QuerySet
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms.models import Rate


class RatesAPIViewSet(BaseAPIViewSet):
    """Prices in force today, one per service and session length."""

    model = Rate
    body_fields = [
        *BaseAPIViewSet.body_fields,
        "service_id",
        "duration_minutes",
        "price",
        "valid_from",
        "label",
    ]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "service_id",
        "duration_minutes",
        "price",
        "valid_from",
        "label",
    ]

    def get_queryset(self) -> QuerySet[Rate]:
        return Rate.objects.in_force().select_related("service")


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("rates", RatesAPIViewSet)
