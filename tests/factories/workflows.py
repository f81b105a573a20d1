"""factory_boy factories for the booking domain: schools, bookings, sessions, agreements, emails.

A booking needs a supervisor profile and a service page, which only exist in a site tree, so
``supervisor`` and ``service`` have no default: pass them (``service.supervisor_a``,
``service.tree.dsl_service`` from the ``service`` fixture). Everything else has a safe default.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from workflows.enums import SessionStatus
from workflows.models import Agreement, Booking, BookingFormField, OutboundEmail, School, Session


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("urn",)

    urn = factory.Sequence(lambda n: f"{100000 + n}")
    name = factory.Sequence(lambda n: f"School {n}")


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking as the public form leaves it: individual, 60 minutes monthly, £60."""

    class Meta:
        model = Booking

    reference = factory.Sequence(lambda n: f"SUP-{n:06d}")
    school = factory.SubFactory(SchoolFactory)
    supervisee_name = "Jo Bloggs"
    supervisee_email = "jo.bloggs@hillside.example.org"
    format = "individual"
    duration_minutes = 60
    frequency = "monthly"
    price = Decimal("60.00")


class SessionFactory(factory.django.DjangoModelFactory):
    """A session of the booking's supervisor, an hour long, a week from now, confirmed."""

    class Meta:
        model = Session

    booking = factory.SubFactory(BookingFactory)
    supervisor = factory.LazyAttribute(lambda s: s.booking.supervisor)
    start = factory.LazyFunction(
        lambda: (
            timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=7)
        )
    )
    end = factory.LazyAttribute(lambda s: s.start + datetime.timedelta(minutes=60))
    status = SessionStatus.CONFIRMED
    price = factory.LazyAttribute(lambda s: s.booking.price)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    booking = factory.SubFactory(BookingFactory)
    policy_version = "2026.1"
    terms = "Terms."
    review_date = datetime.date(2027, 9, 1)


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    """A queued email to the service inbox, not yet sent."""

    class Meta:
        model = OutboundEmail

    idempotency_key = factory.Sequence(lambda n: f"test-email-{n}")
    template_key = "booking-new-for-team"
    recipient_kind = "service_inbox"
    to = "supervision-team@example.org"
    subject = "New supervision request"
    body = "A new request."


class BookingFormFieldFactory(factory.django.DjangoModelFactory):
    """A question editors add to the booking form page (pass ``page``)."""

    class Meta:
        model = BookingFormField

    label = factory.Sequence(lambda n: f"Question {n}")
    field_type = "singleline"
    required = False
