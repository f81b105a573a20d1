"""A submitted record never changes; corrections are addenda with their own audit entry."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from records.models import Addendum, RecordAction, RecordImmutable, SessionRecord
from records.services import RecordError, acknowledge_record, add_addendum, save_draft
from tests.factories import supervisee_link
from tests.factories.records import RecordActionFactory
from tests.helpers.records import LINK, REFLECTIONS, confirmations, content, submitted_record
from tests.helpers.service import login
from workflows.models import CaseEvent

pytestmark = pytest.mark.django_db


def test_saving_changed_content_of_a_submitted_record_is_refused(records_site):
    record = submitted_record(records_site)
    record.reflections = "Rewritten after the event."
    with pytest.raises(RecordImmutable):
        record.save()
    with pytest.raises(RecordImmutable):
        SessionRecord.objects.filter(pk=record.pk).update(topics="Something else")
    record.refresh_from_db()
    assert record.reflections == REFLECTIONS
    assert record.topic_list == ["Risk management"]


def test_metadata_of_a_submitted_record_may_still_change(records_site):
    record = submitted_record(records_site)
    record.acknowledged_at = timezone.now()
    record.save()
    record.save(update_fields=["acknowledged_at"])
    assert SessionRecord.objects.filter(pk=record.pk, acknowledged_at__isnull=False).exists()


def test_actions_of_a_submitted_record_cannot_be_changed_or_removed(records_site):
    record = submitted_record(records_site)
    action = record.actions.get()
    action.description = "Something else"
    with pytest.raises(RecordImmutable):
        action.save()
    with pytest.raises(RecordImmutable):
        action.delete()
    with pytest.raises(RecordImmutable):
        RecordAction.objects.filter(record=record).delete()
    with pytest.raises(RecordImmutable):
        RecordActionFactory(record=record, description="Added later", owner="supervisor")
    assert list(record.actions.values_list("description", flat=True)) == [
        "Share the threshold guidance with the deputy DSL."
    ]


def _link(record: SessionRecord):
    return supervisee_link(record.session.booking.supervisee_email)


def test_records_are_never_deleted(records_site):
    record = submitted_record(records_site)
    with pytest.raises(RecordImmutable):
        record.delete()
    with pytest.raises(RecordImmutable):
        SessionRecord.objects.all().delete()
    assert SessionRecord.objects.count() == 1


def test_saving_a_draft_over_a_submitted_record_is_refused(records_site):
    record = submitted_record(records_site)
    with pytest.raises(RecordError, match="already been submitted"):
        save_draft(record=record, content=content(reflections="New"), actor=records_site.user_a)
    record.refresh_from_db()
    assert record.reflections == REFLECTIONS


def test_addendum_is_added_audited_and_sent_without_content(
    client, records_site, mailoutbox, django_capture_on_commit_callbacks
):
    record = submitted_record(records_site)
    acknowledge_record(record=record, link=_link(record))
    mailoutbox.clear()
    login(client, records_site.user_a)
    url = reverse("records_admin:addendum", args=[record.pk])
    assert client.get(url).status_code == 200
    text = "Correction: the next session is in the spring term, not the summer term."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": text})
    assert response.status_code == 302
    [addendum] = Addendum.objects.all()
    assert addendum.text == text
    assert addendum.author == records_site.user_a
    record.refresh_from_db()
    assert record.reflections == REFLECTIONS  # the record itself is unchanged
    assert record.case.state.key == "shared"  # the supervisee acknowledges again
    audit = AuditEvent.objects.get(action="records.addendum.added")
    assert audit.actor == records_site.user_a
    assert audit.data == {"addendum": addendum.pk, "findings_confirmed": 0}
    assert text not in str(audit.data)
    [email] = mailoutbox
    assert email.to == [record.session.booking.supervisee_email]
    assert "addendum" in email.subject.lower()
    assert "spring term" not in email.body
    token, record_id = LINK.search(email.body).groups()
    page = client.get(reverse("records:detail", args=[token, record_id])).content.decode()
    assert text in page
    assert "Acknowledge receipt" in page
    last = CaseEvent.objects.filter(case=record.case).order_by("-id").first()
    assert (last.from_state, last.to_state, last.transition_key) == (
        "Acknowledged",
        "Shared with the supervisee",
        "amend",
    )


def test_addendum_goes_through_the_anonymisation_check(client, records_site):
    record = submitted_record(records_site)
    login(client, records_site.user_a)
    url = reverse("records_admin:addendum", args=[record.pk])
    text = "The follow-up meeting is at 14 Acacia Avenue, the council's offices."
    response = client.post(url, {"text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#finding-1">14 Acacia Avenue</a>' in html
    assert not Addendum.objects.exists()
    [fingerprint] = confirmations(html)
    response = client.post(url, {"text": text, "confirm": fingerprint})
    assert response.status_code == 302
    assert Addendum.objects.get().text == text
    confirmed = AuditEvent.objects.get(action="records.anonymisation.confirmed")
    assert confirmed.data["kind"] == "address" and confirmed.data["part"] == "text"


def test_addendum_is_immutable(records_site):
    record = submitted_record(records_site)
    addendum = add_addendum(
        record=record, text="A correction.", confirmed=set(), actor=records_site.user_a
    )
    addendum.text = "Changed"
    with pytest.raises(RecordImmutable):
        addendum.save()
    with pytest.raises(RecordImmutable):
        addendum.delete()


def test_addendum_to_a_draft_or_by_another_supervisor_is_refused(records_site):
    from tests.helpers.records import make_record

    draft = make_record(records_site)
    with pytest.raises(RecordError, match="still a draft"):
        add_addendum(record=draft, text="Hello", confirmed=set(), actor=records_site.user_a)
    record = submitted_record(records_site, number=2)
    with pytest.raises(RecordError, match="Only the supervisor"):
        add_addendum(record=record, text="Hello", confirmed=set(), actor=records_site.user_b)
    assert not Addendum.objects.exists()


def test_acknowledging_twice_is_refused_with_a_clear_message(records_site):
    record = submitted_record(records_site)
    acknowledge_record(record=record, link=_link(record))
    first = SessionRecord.objects.get().acknowledged_at
    with pytest.raises(RecordError, match="already acknowledged"):
        acknowledge_record(record=record, link=_link(record))
    assert SessionRecord.objects.get().acknowledged_at == first
