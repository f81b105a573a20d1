"""Issue 13, finding 8: supervisee links can be revoked by staff (audited), and a new link
retires the older ones of the same purpose."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from tests.helpers.service import booking_post, login
from workflows.enums import TokenPurpose
from workflows.models import AccessToken
from workflows.services.tokens import issue_token

pytestmark = pytest.mark.django_db

JO = "jo.bloggs@hillside.example.org"
SAM = "sam.other@riverside.example.org"


def _opens(client, token: str) -> bool:
    return client.get(reverse("workflows:portal", args=[token])).status_code == 200


@pytest.fixture
def links(client, service):
    """Jo's booking with a portal link and a record link, and Sam's booking with a link."""
    client.post(service.form_page.url, booking_post(service))
    client.post(service.form_page.url, booking_post(service, work_email=SAM, school_urn="222222"))
    return {
        "jo": issue_token(email=JO),
        "jo_record": issue_token(email=JO, purpose=TokenPurpose.RECORD, object_id=1),
        "sam": issue_token(email=SAM),
    }


def test_staff_revoke_every_link_of_an_address_and_it_is_audited(client, service, links):
    live = AccessToken.objects.filter(email=JO, revoked_at=None).count()
    assert live >= 2  # the booking's confirmation link, and the two above
    login(client, service.staff)
    response = client.post(
        reverse("workflows_support:links"), {"email": " JO.Bloggs@Hillside.example.org "}
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert f"Revoked {live} live links of {JO}." in page
    client.logout()
    assert not _opens(client, links["jo"])
    assert not AccessToken.objects.filter(email=JO, revoked_at=None).exists()
    assert _opens(client, links["sam"])
    event = AuditEvent.objects.get(action="workflows.links.revoked")
    assert (event.actor, event.target_label, event.data) == (
        service.staff,
        JO,
        {"email": JO, "live_links_revoked": live},
    )


def test_a_bad_address_revokes_nothing_with_a_clear_message(client, service, links):
    before = AccessToken.objects.filter(revoked_at=None).count()
    login(client, service.staff)
    response = client.post(reverse("workflows_support:links"), {"email": "jo\r\nbloggs"})
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert AccessToken.objects.filter(revoked_at=None).count() == before
    assert not AuditEvent.objects.filter(action="workflows.links.revoked").exists()


def test_supervisors_may_not_revoke_links(client, service, links):
    before = AccessToken.objects.filter(revoked_at=None).count()
    login(client, service.user_a)
    for response in (
        client.get(reverse("workflows_support:links")),
        client.post(reverse("workflows_support:links"), {"email": JO}),
    ):
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert AccessToken.objects.filter(revoked_at=None).count() == before


def test_the_command_revokes_every_link_of_an_address_and_is_audited(client, service, links):
    from io import StringIO

    live = AccessToken.objects.filter(email=JO, revoked_at=None).count()
    out = StringIO()
    call_command("revoke_links", JO, stdout=out)
    assert out.getvalue().strip() == f"Revoked {live} live links of {JO}."
    assert not _opens(client, links["jo"])
    assert _opens(client, links["sam"])
    event = AuditEvent.objects.get(action="workflows.links.revoked")
    assert (event.actor, event.actor_label) == (None, "manage.py revoke_links")


def test_a_new_link_retires_the_older_links_of_the_same_purpose(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(service.form_page.url, booking_post(service))
    record_link = issue_token(email=JO, purpose=TokenPurpose.RECORD, object_id=1)
    tokens = []
    for minutes in (10, 20):
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes)):
            mailoutbox.clear()
            with django_capture_on_commit_callbacks(execute=True):
                client.post(reverse("workflows:request_link"), {"email": JO})
            tokens.append(re.search(r"/b/([A-Za-z0-9_\-]+)/", mailoutbox[0].body).group(1))
    older, newer = tokens
    assert not _opens(client, older)
    assert _opens(client, newer)
    # Another purpose is not affected: the record link stays live.
    assert AccessToken.objects.filter(
        purpose=TokenPurpose.RECORD, email=JO, revoked_at=None
    ).exists()
    assert record_link
