"""factory_boy factory for background export jobs (queued, as the admin form leaves them)."""

from __future__ import annotations

import factory

from exports.models import ExportJob
from tests.factories import UserFactory


class ExportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportJob

    requested_by = factory.SubFactory(UserFactory)
    exporter = "sessions"
    filters_label = "All sessions"
