"""Who sees which records, and how much of them: each boundary with a may and a may-not."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from audit.models import AuditEvent
from records.models import SessionRecord
from tests.factories import UserFactory
from tests.helpers.records import (
    OTHER_SUPERVISEE_EMAIL,
    REFLECTIONS,
    make_record,
    submitted_record,
)
from tests.helpers.service import login
from workflows.services.tokens import issue_token

pytestmark = pytest.mark.django_db

MISSING_ID = 987_654


@pytest.fixture
def two_records(records_site):
    """Amira's submitted record for Jo, and Daniel's submitted record for Sam."""
    own = submitted_record(records_site)
    other = submitted_record(
        records_site,
        supervisor=records_site.service.supervisor_b,
        email=OTHER_SUPERVISEE_EMAIL,
        number=2,
    )
    return own, other


def _token(record: SessionRecord) -> str:
    """A live link for the record's supervisee, as their email would carry."""
    return issue_token(email=record.session.booking.supervisee_email)


# --- the scoping methods --------------------------------------------------------------------


def test_visible_to_scopes_supervisors_to_their_own_sessions(records_site, two_records):
    own, other = two_records
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    visible = SessionRecord.objects.visible_to
    content = SessionRecord.objects.content_visible_to
    assert set(visible(records_site.user_a)) == {own}
    assert set(visible(records_site.user_b)) == {other}
    assert set(visible(records_site.staff)) == {own, other}
    assert set(visible(superuser)) == {own, other}
    assert set(visible(AnonymousUser())) == set()
    assert set(content(records_site.user_a)) == {own}
    assert set(content(records_site.staff)) == set()
    assert set(content(records_site.reader)) == {own, other}
    assert set(content(superuser)) == {own, other}
    assert set(content(AnonymousUser())) == set()


# --- supervisors ----------------------------------------------------------------------------


def test_supervisor_may_list_and_read_their_own_record(client, records_site, two_records):
    own, other = two_records
    login(client, records_site.user_a)
    listing = client.get(reverse("records_admin:list")).content.decode()
    assert own.reference in listing
    assert other.reference not in listing
    page = client.get(reverse("records_admin:detail", args=[own.pk]))
    assert page.status_code == 200
    assert REFLECTIONS.replace("'", "&#x27;") in page.content.decode()
    assert client.get(reverse("records_admin:pdf", args=[own.pk])).status_code == 200


@pytest.mark.parametrize("name", ["detail", "edit", "addendum", "pdf"])
def test_supervisor_may_not_reach_another_supervisors_record(
    client, records_site, two_records, name
):
    _, other = two_records
    login(client, records_site.user_a)
    assert client.get(reverse(f"records_admin:{name}", args=[other.pk])).status_code == 404
    assert client.get(reverse(f"records_admin:{name}", args=[MISSING_ID])).status_code == 404


def test_supervisor_may_not_write_another_supervisors_draft(client, records_site):
    draft = make_record(records_site, supervisor=records_site.service.supervisor_b, number=3)
    login(client, records_site.user_a)
    response = client.post(reverse("records_admin:edit", args=[draft.pk]), {"intent": "save"})
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.draft_saved_at is None


# --- service staff ----------------------------------------------------------------------------


def test_staff_may_see_metadata_of_every_record(client, records_site, two_records):
    own, other = two_records
    login(client, records_site.staff)
    listing = client.get(reverse("records_admin:list")).content.decode()
    assert own.reference in listing and other.reference in listing
    page = client.get(reverse("records_admin:detail", args=[own.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Shared with the supervisee" in html
    assert own.due_date.strftime("%Y") in html


def test_staff_may_not_read_content_without_the_permission(client, records_site, two_records):
    own, _ = two_records
    login(client, records_site.staff)
    html = client.get(reverse("records_admin:detail", args=[own.pk])).content.decode()
    assert "thresholds for early help" not in html
    assert "Risk management" not in html
    assert "Share the threshold guidance" not in html
    assert "Can read the content of any session record" in html
    assert client.get(reverse("records_admin:pdf", args=[own.pk])).status_code == 404
    assert client.get(reverse("records_admin:edit", args=[own.pk])).status_code == 404
    viewed = AuditEvent.objects.filter(action="records.record.viewed").get()
    assert viewed.actor == records_site.staff
    assert viewed.data == {"via": "admin", "content": False}


def test_staff_with_the_content_permission_may_read_and_download(client, records_site, two_records):
    _, other = two_records
    login(client, records_site.reader)
    html = client.get(reverse("records_admin:detail", args=[other.pk])).content.decode()
    assert "thresholds for early help" in html
    assert client.get(reverse("records_admin:pdf", args=[other.pk])).status_code == 200
    # Reading is not writing: no addendum on someone else's record.
    assert client.get(reverse("records_admin:addendum", args=[other.pk])).status_code == 404


def test_signed_out_visitor_may_not_reach_the_admin_screens(client, two_records):
    own, _ = two_records
    response = client.get(reverse("records_admin:detail", args=[own.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- supervisees ---------------------------------------------------------------------------


def test_supervisee_may_read_their_own_shared_records(client, records_site, two_records):
    own, other = two_records
    token = _token(own)
    listing = client.get(reverse("records:list", args=[token])).content.decode()
    assert own.reference in listing and other.reference not in listing
    assert client.get(reverse("records:detail", args=[token, own.pk])).status_code == 200


@pytest.mark.parametrize("name", ["detail", "pdf"])
def test_supervisee_may_not_reach_another_persons_record_by_guessing_its_id(
    client, records_site, two_records, name
):
    own, other = two_records
    token = _token(own)
    assert client.get(reverse(f"records:{name}", args=[token, other.pk])).status_code == 404
    assert client.get(reverse(f"records:{name}", args=[token, MISSING_ID])).status_code == 404
    assert not AuditEvent.objects.filter(
        action__in=["records.record.viewed", "records.record.downloaded"]
    ).exists()


def test_supervisee_may_not_see_a_record_still_in_draft(client, records_site):
    draft = make_record(records_site)
    token = _token(draft)
    assert client.get(reverse("records:detail", args=[token, draft.pk])).status_code == 404
    assert draft.reference not in client.get(reverse("records:list", args=[token])).content.decode()


def test_staff_case_page_for_a_record_shows_no_content(client, records_site, two_records):
    own, _ = two_records
    login(client, records_site.staff)
    page = client.get(reverse("workflows_admin:case", args=[own.case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert own.reference in html
    assert "thresholds for early help" not in html
    # No step staff could take on someone's record.
    assert reverse("workflows_admin:case_transition", args=[own.case.pk, "amend"]) not in html


def test_supervisor_cannot_bypass_the_checks_through_the_generic_case_screen(client, records_site):
    draft = make_record(records_site)
    login(client, records_site.user_a)
    url = reverse("workflows_admin:case_transition", args=[draft.case.pk, "write"])
    assert client.post(url).status_code == 404
    draft.refresh_from_db()
    assert draft.case.state.key == "requested"
