"""factory_boy factories for session records, their actions and the record form's questions.

Records made here skip the record workflow (no case, no audit line): use them where a test
needs rows, and ``records.services.request_record`` where it needs the journey.
"""

from __future__ import annotations

import factory
from django.utils import timezone

from records.models import RecordAction, RecordFormSettings, RecordQuestion, SessionRecord
from tests.factories.workflows import SessionFactory


class SessionRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionRecord

    session = factory.SubFactory(SessionFactory)
    reference = factory.LazyAttribute(lambda r: f"{r.session.booking.reference}-R1")
    due_date = factory.LazyFunction(timezone.localdate)


class RecordActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecordAction

    record = factory.SubFactory(SessionRecordFactory)
    description = "Share the threshold guidance with the deputy DSL."
    owner = "supervisee"
    due_date = factory.LazyFunction(timezone.localdate)


class RecordQuestionFactory(factory.django.DjangoModelFactory):
    """A reflective question on the record form (the site's one ``RecordFormSettings``)."""

    class Meta:
        model = RecordQuestion

    form_settings = factory.LazyFunction(RecordFormSettings.load)
    label = factory.Sequence(lambda n: f"Reflective question {n}")
    field_type = "multiline"
    sort_order = factory.Sequence(lambda n: 100 + n)
