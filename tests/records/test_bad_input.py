"""Bad input gets a clear message and changes nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from records.models import SessionRecord
from records.services import RecordError, RecordIncomplete, request_record, save_draft
from tests.factories.records import SessionRecordFactory
from tests.helpers.records import (
    AgreedAction,
    content,
    make_booking,
    make_record,
    make_session,
    record_post,
    submitted_record,
)
from tests.helpers.service import login
from workflows.enums import SessionStatus
from workflows.services.tokens import issue_token

pytestmark = pytest.mark.django_db


def _snapshot(record: SessionRecord) -> tuple:
    record = SessionRecord.objects.get(pk=record.pk)
    return (
        record.reflections,
        record.topics,
        record.draft_saved_at,
        record.submitted_at,
        record.case.state.key,
        list(record.actions.values_list("description", "owner")),
    )


def test_submitting_with_required_parts_empty_lists_each_and_changes_nothing(client, records_site):
    record = make_record(records_site)
    before = _snapshot(record)
    login(client, records_site.user_a)
    response = client.post(
        reverse("records_admin:edit", args=[record.pk]),
        record_post(records_site, intent="submit", attendee_roles=[], topics=[], reflections="   "),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Say who attended, by role." in html
    assert "Tick at least one topic discussed." in html
    assert "Write the reflections." in html
    assert _snapshot(record) == before


def test_required_editor_question_must_be_answered_on_submit(client, records_site):
    question = records_site.questions[0]
    question.required = True
    question.save()
    record = make_record(records_site)
    login(client, records_site.user_a)
    response = client.post(
        reverse("records_admin:edit", args=[record.pk]),
        record_post(records_site, intent="submit", **{f"q_{question.clean_name}": ""}),
    )
    assert response.status_code == 400
    assert f"{question.label}: Answer this question." in response.content.decode()
    assert SessionRecord.objects.get(pk=record.pk).submitted_at is None


@pytest.mark.parametrize("intent", ["save", "submit"])
def test_action_without_an_owner_is_refused(client, records_site, intent):
    record = make_record(records_site)
    before = _snapshot(record)
    login(client, records_site.user_a)
    response = client.post(
        reverse("records_admin:edit", args=[record.pk]),
        record_post(records_site, intent=intent, **{"actions-0-owner": ""}),
    )
    assert response.status_code == 400
    assert "every action needs an owner" in response.content.decode()
    assert _snapshot(record) == before


def test_service_refuses_an_action_without_an_owner_too(records_site):
    record = make_record(records_site)
    ownerless = AgreedAction(
        description="Tell the governors", owner="", due_date=timezone.localdate()
    )
    with pytest.raises(RecordIncomplete, match="every action needs an owner"):
        save_draft(record=record, content=content(actions=[ownerless]), actor=records_site.user_a)
    assert not record.actions.exists()


def test_next_session_must_be_after_this_one(client, records_site):
    record = make_record(records_site)
    login(client, records_site.user_a)
    last_week = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    response = client.post(
        reverse("records_admin:edit", args=[record.pk]),
        record_post(records_site, next_session_date=last_week),
    )
    assert response.status_code == 400
    assert "The next session must be after this one." in response.content.decode()


@pytest.mark.parametrize("status", [SessionStatus.CONFIRMED, SessionStatus.CANCELLED])
def test_record_for_a_session_not_held_is_refused(records_site, status):
    session = make_session(make_booking(records_site), status=status)
    with pytest.raises(RecordError, match="has not been marked held"):
        request_record(session=session)
    assert not SessionRecord.objects.exists()


def test_starting_a_record_for_a_session_not_held_over_http_is_refused(client, records_site):
    session = make_session(make_booking(records_site), status=SessionStatus.CONFIRMED)
    login(client, records_site.user_a)
    response = client.post(reverse("records_admin:start", args=[session.pk]), follow=True)
    assert "has not been marked held" in response.content.decode()
    assert not SessionRecord.objects.exists()


def test_starting_a_record_for_someone_elses_session_is_not_found(client, records_site):
    session = make_session(make_booking(records_site, supervisor=records_site.service.supervisor_b))
    login(client, records_site.user_a)
    assert client.post(reverse("records_admin:start", args=[session.pk])).status_code == 404
    assert not SessionRecord.objects.exists()


def test_supervisor_may_start_the_record_of_their_held_session(client, records_site):
    session = make_session(make_booking(records_site))
    login(client, records_site.user_a)
    listing = client.get(reverse("records_admin:list")).content.decode()
    assert reverse("records_admin:start", args=[session.pk]) in listing
    response = client.post(reverse("records_admin:start", args=[session.pk]))
    record = SessionRecord.objects.get()
    assert response["Location"] == reverse("records_admin:edit", args=[record.pk])


def test_second_record_for_the_same_session_is_refused(client, records_site):
    record = make_record(records_site)
    with pytest.raises(RecordError, match="already has a record"):
        request_record(session=record.session)
    login(client, records_site.user_a)
    response = client.post(reverse("records_admin:start", args=[record.session.pk]), follow=True)
    assert "already has a record" in response.content.decode()
    assert SessionRecord.objects.count() == 1


def test_database_allows_one_record_per_session(records_site):
    record = make_record(records_site)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionRecordFactory(
            session=record.session, reference="OTHER-REF", due_date=record.due_date
        )


@pytest.mark.parametrize("name", ["list", "detail", "pdf"])
def test_tampered_link_shows_nothing(client, records_site, name):
    record = submitted_record(records_site)
    token = issue_token(email=record.session.booking.supervisee_email)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    args = [tampered] if name == "list" else [tampered, record.pk]
    response = client.get(reverse(f"records:{name}", args=args))
    assert response.status_code == 404
    assert "This link has expired or is not valid" in response.content.decode()
    assert record.reference not in response.content.decode()
    assert not AuditEvent.objects.filter(action__startswith="records.record.viewed").exists()


def test_expired_link_cannot_acknowledge(client, records_site):
    record = submitted_record(records_site)
    token = issue_token(email=record.session.booking.supervisee_email)
    later = timezone.now() + datetime.timedelta(days=settings.MAGIC_LINK_DAYS, minutes=1)
    with time_machine.travel(later):
        response = client.post(
            reverse("records:detail", args=[token, record.pk]), {"confirm": "on"}
        )
        assert response.status_code == 404
        assert "This link has expired or is not valid" in response.content.decode()
    record.refresh_from_db()
    assert record.acknowledged_at is None
    assert record.case.state.key == "shared"


def test_acknowledging_without_ticking_the_box_is_refused(client, records_site):
    record = submitted_record(records_site)
    token = issue_token(email=record.session.booking.supervisee_email)
    response = client.post(reverse("records:detail", args=[token, record.pk]), {})
    assert response.status_code == 400
    assert "Tick the box to confirm you have received the record." in response.content.decode()
    record.refresh_from_db()
    assert record.acknowledged_at is None
