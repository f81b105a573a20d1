"""Secret feed URLs: unguessable, hashed, rotatable, audited, and only while the owner may."""

from __future__ import annotations

import datetime
import logging

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.models import AuditEvent
from calendar_feed.enums import FeedKind
from calendar_feed.models import FeedToken
from calendar_feed.services import FeedError, rotate_feed
from tests.helpers.calendar_feed import add_booking, add_session, both_readers, london
from tests.helpers.service import login

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)
FEED_URL = "http://127.0.0.1:8000/feeds/"


def _links(html: str) -> tuple[str, str]:
    import re

    https = re.search(r'value="(http://127\.0\.0\.1:8000/feeds/[^"]+\.ics)"', html)
    webcal = re.search(r'value="(webcal://127\.0\.0\.1:8000/feeds/[^"]+\.ics)"', html)
    assert https and webcal, html
    return https.group(1), webcal.group(1)


def _refused(response) -> bool:
    """Wagtail turns PermissionDenied in admin views into a redirect to the dashboard."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def _path(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


@time_machine.travel(NOW, tick=False)
def test_supervisor_makes_rotates_and_the_old_url_is_gone(client, service):
    booking = add_booking(service)
    add_session(booking, london(2026, 10, 23, 14))
    login(client, service.user_a)
    page = client.get(reverse("calendar_feed_mine"))
    assert page.status_code == 200
    assert "Make my feed address" in page.content.decode()
    assert "calendar_feed/js/copy.js" in page.content.decode()
    assert "<script>" not in page.content.decode()

    made = client.post(reverse("calendar_feed_mine"), {"kind": FeedKind.SUPERVISOR})
    assert made.status_code == 200
    assert made["Cache-Control"].startswith("max-age=0")
    https, webcal = _links(made.content.decode())
    assert webcal == "webcal://" + https.removeprefix("http://")
    token = https.removeprefix(FEED_URL).removesuffix(".ics")
    assert len(token) >= 43  # 32 random bytes, base64url: 256 bits
    row = FeedToken.objects.get()
    assert token not in row.token_hash and len(row.token_hash) == 64
    assert str(row.pk) not in token.split("-")
    client.logout()
    assert len(both_readers(client.get(_path(https)).content)["events"]) == 1

    # Shown once: a later visit does not show it again.
    login(client, service.user_a)
    again = client.get(reverse("calendar_feed_mine")).content.decode()
    assert token not in again
    assert "Make a new address (the old one stops working)" in again

    rotated = client.post(reverse("calendar_feed_mine"), {"kind": FeedKind.SUPERVISOR})
    new_https, _ = _links(rotated.content.decode())
    assert new_https != https
    client.logout()
    assert client.get(_path(https)).status_code == 404
    assert client.get(_path(new_https)).status_code == 200
    assert list(
        AuditEvent.objects.filter(action__startswith="calendar_feed.").values_list(
            "action", "actor_label", "data"
        )
    ) == [
        ("calendar_feed.token.rotated", "amira", {"kind": "supervisor"}),
        ("calendar_feed.token.created", "amira", {"kind": "supervisor"}),
    ]


def test_unknown_and_malformed_tokens_are_404(client, service):
    rotate_feed(kind=FeedKind.SUPERVISOR, user=service.user_a)
    for token in ["x", "A" * 43, "A" * 200, "..%2F"]:
        assert client.get(f"/feeds/{token}.ics").status_code == 404


def test_deactivating_the_account_kills_its_feeds_at_once(client, service, feed_for):
    url = feed_for(FeedKind.SUPERVISOR, user=service.user_a)
    assert client.get(url).status_code == 200

    service.user_a.is_active = False
    service.user_a.save()

    assert client.get(url).status_code == 404
    assert not FeedToken.objects.filter(user=service.user_a).exists()
    assert AuditEvent.objects.filter(
        action="calendar_feed.token.revoked", actor_label="system (account deactivated)"
    ).exists()


def test_team_feed_works_only_while_its_owner_is_service_staff(client, service, feed_for):
    url = feed_for(FeedKind.TEAM, user=service.staff)
    assert client.get(url).status_code == 200

    service.staff.groups.remove(service.staff_group)

    assert client.get(url).status_code == 404


def test_team_feed_may_not_be_made_by_a_supervisor(client, service):
    with pytest.raises(FeedError):
        rotate_feed(kind=FeedKind.TEAM, user=service.user_a)
    login(client, service.user_a)
    response = client.post(reverse("calendar_feed_mine"), {"kind": FeedKind.TEAM})
    assert _refused(response)
    assert not FeedToken.objects.exists()


def test_staff_may_make_a_team_feed(client, service):
    login(client, service.staff)
    page = client.get(reverse("calendar_feed_mine")).content.decode()
    assert "Team: every session" in page
    response = client.post(reverse("calendar_feed_mine"), {"kind": FeedKind.TEAM})
    assert response.status_code == 200
    assert FeedToken.objects.get().kind == FeedKind.TEAM


def test_user_with_neither_role_may_not_open_the_page(client, service):
    from tests.factories import UserFactory

    other = UserFactory(username="editor")
    other.user_permissions.add(Permission.objects.get(codename="access_admin"))
    login(client, other)
    assert _refused(client.get(reverse("calendar_feed_mine")))


def test_staff_may_stop_a_supervisors_feed(client, service, feed_for):
    url = feed_for(FeedKind.SUPERVISOR, user=service.user_a)
    feed = FeedToken.objects.get()
    login(client, service.staff)
    listing = client.get(reverse("calendar_feed_staff_list")).content.decode()
    assert "A supervisor&#x27;s own sessions feed of amira" in listing

    response = client.post(reverse("calendar_feed_staff_revoke", args=[feed.pk]))

    assert response.status_code == 302
    assert client.get(url).status_code == 404
    event = AuditEvent.objects.get(action="calendar_feed.token.revoked")
    assert (event.actor_label, event.data["kind"]) == ("coordinator", "supervisor")


def test_supervisor_may_not_list_or_stop_feeds(client, service, feed_for):
    url = feed_for(FeedKind.SUPERVISOR, user=service.user_b)
    feed = FeedToken.objects.get()
    login(client, service.user_a)
    assert _refused(client.get(reverse("calendar_feed_staff_list")))
    assert _refused(client.post(reverse("calendar_feed_staff_revoke", args=[feed.pk])))
    assert client.get(url).status_code == 200


def test_a_404_feed_url_reaches_the_log_redacted(client, service, caplog):
    from accounts.logging import RedactTokensFilter

    token = rotate_feed(kind=FeedKind.SUPERVISOR, user=service.user_a) + "x"
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(f"/feeds/{token}.ics")
    lines = [r for r in caplog.records if r.name == "django.request"]
    assert lines
    for record in lines:
        RedactTokensFilter().filter(record)
        assert token not in record.getMessage()
        assert "/feeds/[redacted].ics" in record.getMessage()


@time_machine.travel(NOW, tick=False)
def test_supervisee_gets_a_feed_from_their_link_page_and_can_stop_it(client, service):
    from workflows.services.tokens import issue_token

    booking = add_booking(service)
    add_session(booking, london(2026, 10, 23, 14))
    portal_token = issue_token(email=booking.supervisee_email)
    portal = client.get(reverse("workflows:portal", args=[portal_token])).content.decode()
    page_url = reverse("calendar_feed:supervisee", args=[portal_token])
    assert page_url in portal

    made = client.post(page_url, {"action": "new"})
    https, _ = _links(made.content.decode())
    feed = both_readers(client.get(_path(https)).content)
    [event] = feed["events"].values()
    assert event["summary"] == "Supervision with Amira Hussain"
    assert AuditEvent.objects.get(action="calendar_feed.token.created").actor_label == (
        "Jo Bloggs (supervisee)"
    )

    client.post(page_url, {"action": "stop"})
    assert client.get(_path(https)).status_code == 404


def test_supervisee_page_needs_a_live_link(client, service):
    add_booking(service)
    assert client.get(reverse("calendar_feed:supervisee", args=["nope"])).status_code == 404
    assert client.post(reverse("calendar_feed:supervisee", args=["nope"])).status_code == 404
    assert not FeedToken.objects.exists()
