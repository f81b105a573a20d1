"""Two supervisors side by side: A's booking, case, agreement, session and record, and B's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from records.services import RecordContent, submit_record
from tests.helpers.records import OTHER_SUPERVISEE_EMAIL, RecordsSite, make_record
from workflows.models import Agreement, Booking, Case, Workflow
from workflows.services.agreements import create_agreement
from workflows.services.engine import start_case


@dataclass
class AAndB:
    site: RecordsSite
    record: Any  # A's submitted record
    booking: Booking  # A's booking (SUP-000001, School 1, jo.bloggs@…)
    agreement: Agreement  # A's booking's agreement
    booking_case: Case  # A's booking case
    record_b: Any  # B's record (SUP-000002, School 2, sam.other@…)
    booking_case_b: Case  # B's booking case

    def __iter__(self):  # the older tests unpack (site, record, booking, agreement)
        return iter((self.site, self.record, self.booking, self.agreement))


@pytest.fixture
def a_and_b(records_site) -> AAndB:
    record = make_record(records_site)  # supervisor A, supervisee A
    record = submit_record(
        record=record,
        content=RecordContent(
            attendees=["Designated Safeguarding Lead"],
            topics=["Risk management"],
            reflections="Reflected on thresholds.",
        ),
        confirmed=set(),
        actor=record.session.supervisor.user,
    )
    booking = record.session.booking
    workflow = Workflow.objects.get(slug="booking-request")
    booking_case = start_case(workflow=workflow, subject=booking, reference=booking.reference)
    agreement = create_agreement(booking=booking, actor=None)
    record_b = make_record(
        records_site,
        supervisor=records_site.service.supervisor_b,
        email=OTHER_SUPERVISEE_EMAIL,
        number=2,
    )
    booking_b = record_b.session.booking
    booking_case_b = start_case(workflow=workflow, subject=booking_b, reference=booking_b.reference)
    return AAndB(
        site=records_site,
        record=record,
        booking=booking,
        agreement=agreement,
        booking_case=booking_case,
        record_b=record_b,
        booking_case_b=booking_case_b,
    )
