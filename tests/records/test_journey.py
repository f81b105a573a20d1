"""The whole record journey over HTTP: session held → record due → draft → anonymisation check
→ submit → supervisee email without content → portal view and PDF → acknowledgement."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from records.detail_review import text_hash
from records.models import SessionRecord
from tests.helpers.records import LINK, confirmations, record_post
from tests.helpers.service import booking_post, login, next_weekday, session_post
from workflows.enums import SessionStatus
from workflows.models import Booking, Case, CaseEvent, OutboundEmail, Session
from workflows.workdays import add_working_days

pytestmark = pytest.mark.django_db

PORTAL_LINK = re.compile(r"http://[^\s]+/b/([A-Za-z0-9_\-]+)/")
CHILD_NAME = "Jayden"
ADULT_NAME = "Mrs Patel"


def _active_booking(client, records_site, mailoutbox, capture) -> Booking:
    """A booking made on the public form, accepted, and signed by both: one confirmed session."""
    site = records_site.service
    with capture(execute=True):
        client.post(site.form_page.url, booking_post(site))
    booking = Booking.objects.get()
    case = Case.objects.get(reference=booking.reference)
    login(client, site.user_a)
    with capture(execute=True):
        client.post(
            reverse("workflows_admin:case_transition", args=[case.pk, "accept"]),
            session_post([next_weekday(7)]),
        )
    token = PORTAL_LINK.search(mailoutbox[-1].body).group(1)
    client.logout()
    agreement = booking.agreements.get()
    with capture(execute=True):
        client.post(
            reverse("workflows:agreement", args=[token, agreement.pk]),
            {"action": "sign", "typed_name": "Jo Bloggs", "confirm": "on"},
        )
    login(client, site.user_a)
    with capture(execute=True):
        client.post(
            reverse(
                "workflows_admin:case_transition",
                args=[Case.objects.get(reference=f"{booking.reference}-A").pk, "supervisor_signs"],
            )
        )
    assert Session.objects.get().status == SessionStatus.CONFIRMED
    return booking


def test_record_journey_from_held_session_to_acknowledgement(
    client, records_site, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    booking = _active_booking(client, records_site, mailoutbox, capture)
    session = Session.objects.get()
    booking_case = Case.objects.get(reference=booking.reference)

    with time_machine.travel(session.end + datetime.timedelta(hours=2)):
        # 1. The supervisor marks the session held: its record is requested and due.
        login(client, records_site.user_a)
        response = client.post(
            reverse("workflows_admin:case_transition", args=[booking_case.pk, "mark_held"])
        )
        assert response.status_code == 302
        record = SessionRecord.objects.get()
        assert record.session == session
        assert record.reference == f"{booking.reference}-R{session.pk}"
        assert record.due_date == add_working_days(
            timezone.localdate(), settings.RECORD_DUE_WORKING_DAYS
        )
        assert record.case.state.key == "requested"
        listing = client.get(reverse("records_admin:list")).content.decode()
        assert record.reference in listing
        assert reverse("records_admin:edit", args=[record.pk]) in listing

        # 2. A draft: parts may be missing.
        edit = reverse("records_admin:edit", args=[record.pk])
        page = client.get(edit).content.decode()
        assert "Risk management" in page and "The Child Protection Consultation Hub" in page
        assert records_site.questions[0].label in page
        response = client.post(edit, record_post(records_site, reflections="", topics=[]))
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.case.state.key == "draft"
        assert record.submitted_at is None

        # 3. Submitting text with a child's name, a phone number and an adult's name: each
        # finding is shown in place with its message, and nothing is submitted.
        text = (
            f"We discussed {CHILD_NAME} in Year 5 and his attendance. His mum rang on "
            f"07700 900123. Agreed next steps with {ADULT_NAME}, the headteacher."
        )
        response = client.post(edit, record_post(records_site, intent="submit", reflections=text))
        assert response.status_code == 400
        html = response.content.decode()
        assert "3 details may identify a child" in html
        assert f'<a href="#finding-1">{CHILD_NAME}</a>' in html
        assert '<a href="#finding-2">07700 900123</a>' in html
        assert "Looks like a personal name" in html and "Looks like a phone number" in html
        assert len(confirmations(html)) == 3
        record.refresh_from_db()
        assert record.submitted_at is None
        assert record.reflections == text  # the draft is kept, not submitted

        # 4. Confirming only some is not enough.
        _, _, adult = confirmations(html)
        response = client.post(
            edit, record_post(records_site, intent="submit", reflections=text, confirm=[adult])
        )
        assert response.status_code == 400
        record.refresh_from_db()
        assert record.submitted_at is None

        # 5. The child's name and the number are edited away; the adult is confirmed.
        clean = (
            "We discussed Child A in Year 5 and his attendance. His parent rang the school. "
            f"Agreed next steps with {ADULT_NAME}, the headteacher."
        )
        with capture(execute=True):
            response = client.post(
                edit,
                record_post(records_site, intent="submit", reflections=clean, confirm=[adult]),
            )
        assert response.status_code == 302, response.content.decode()[:3000]
        record.refresh_from_db()
        assert record.submitted_at is not None
        assert record.case.state.key == "shared"
        assert record.reflections == clean
        [confirmation] = AuditEvent.objects.filter(action="records.anonymisation.confirmed")
        assert confirmation.data == {
            "kind": "name",
            "part": "reflections",
            "text_hash": text_hash(ADULT_NAME),
        }
        assert ADULT_NAME not in str(confirmation.data)
        assert client.get(edit).status_code == 404  # no edit view for a submitted record

        # 6. The supervisee's email: reference, date and a link; no record content.
        [email] = mailoutbox[-1:]
        assert email.to == [booking.supervisee_email]
        assert booking.reference in email.subject
        assert "Child A" not in email.body and "thresholds" not in email.body.lower()
        assert "Risk management" not in email.body and ADULT_NAME not in email.body
        local = timezone.localtime(session.start)
        assert f"{local:%B %Y}" in email.body
        token, record_id = LINK.search(email.body).groups()
        assert int(record_id) == record.pk
        stored = OutboundEmail.objects.get(template_key="record-shared")
        assert "Child A" not in stored.body

        # 7. The supervisee reads it (logged), downloads the PDF (logged) and acknowledges.
        client.logout()
        page = client.get(reverse("records:detail", args=[token, record.pk]))
        assert page.status_code == 200
        body = page.content.decode()
        assert "Child A in Year 5" in body and "Risk management" in body
        assert "Review the early help threshold document" in body
        assert "Acknowledge receipt" in body
        pdf = client.get(reverse("records:pdf", args=[token, record.pk]))
        assert pdf.status_code == 200
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        assert f'filename="{record.reference}.pdf"' in pdf["Content-Disposition"]
        response = client.post(
            reverse("records:detail", args=[token, record.pk]), {"confirm": "on"}
        )
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.case.state.key == "acknowledged"
        assert record.acknowledged_at is not None

        accesses = list(
            AuditEvent.objects.filter(
                target_type="records.sessionrecord",
                action__in=["records.record.viewed", "records.record.downloaded"],
            )
            .order_by("id")
            .values_list("action", "actor_label", "data")
        )
        assert accesses == [
            ("records.record.viewed", "Jo Bloggs (supervisee)", {"via": "portal", "content": True}),
            (
                "records.record.downloaded",
                "Jo Bloggs (supervisee)",
                {"via": "portal", "content": True},
            ),
        ]
        history = list(
            CaseEvent.objects.filter(case=record.case).values_list("from_state", "to_state")
        )
        assert history == [
            ("", "Requested"),
            ("Requested", "Draft"),
            ("Draft", "Submitted"),
            ("Submitted", "Shared with the supervisee"),
            ("Shared with the supervisee", "Acknowledged"),
        ]

        # 8. The supervisor downloads the same PDF from the admin (logged with who).
        login(client, records_site.user_a)
        pdf = client.get(reverse("records_admin:pdf", args=[record.pk]))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        download = AuditEvent.objects.filter(action="records.record.downloaded").first()
        assert download.actor == records_site.user_a
        assert download.data == {"via": "admin", "content": True}
