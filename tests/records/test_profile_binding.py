"""Issue 13, finding 4: a page editor cannot reach records by rebinding a supervisor profile.

The attack, as it was reproduced: a member of staff who may edit and publish pages but holds
no ``records.view_record_content`` sets Amira's profile's account to themselves, publishes,
and opens her record and its PDF. Record access follows ``SupervisorPage.user``, so that field
is not page content: editors cannot set it, and no revision (publish, revert) carries it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cms.models import SupervisorPage
from tests.helpers.records import REFLECTIONS, submitted_record
from tests.helpers.service import login

pytestmark = pytest.mark.django_db

BIOGRAPHY = (
    '{"blocks":[{"key":"a","type":"unstyled","depth":0,"text":"Experienced supervisor.",'
    '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}'
)


def _profile_post(page: SupervisorPage, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": page.title,
        "slug": page.slug,
        "job_title": page.job_title,
        "biography": BIOGRAPHY,
        "roles_supported": [r.pk for r in page.roles_supported.all()],
        "services": [s.pk for s in page.services.all()],
        "specialisms": "",
        "accepting_bookings": "on",
        "action-publish": "publish",
    }
    data.update(overrides)
    return data


def test_editor_publishing_themselves_as_the_account_cannot_read_the_record(client, records_site):
    record = submitted_record(records_site)
    editor = records_site.staff  # Service staff: edits and publishes pages, no record content
    assert not editor.has_perm("records.view_record_content")
    profile = records_site.service.supervisor_a
    login(client, editor)

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[profile.pk]),
        _profile_post(profile, user=editor.pk),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    profile.refresh_from_db()
    assert profile.live_revision is not None
    assert profile.user == records_site.user_a
    detail = client.get(reverse("records_admin:detail", args=[record.pk]))
    assert REFLECTIONS.replace("'", "&#x27;") not in detail.content.decode()
    assert client.get(reverse("records_admin:pdf", args=[record.pk])).status_code == 404
    assert client.get(reverse("records_admin:edit", args=[record.pk])).status_code == 404


def test_the_page_editor_has_no_account_field(client, records_site):
    login(client, records_site.staff)
    page = client.get(
        reverse("wagtailadmin_pages:edit", args=[records_site.service.supervisor_a.pk])
    )
    assert page.status_code == 200
    assert 'name="user"' not in page.content.decode()


def test_reverting_to_a_revision_from_before_a_relink_keeps_the_current_account(
    client, records_site
):
    """An old revision still says the old account; publishing it must not bring it back."""
    from cms.services import link_supervisor_account
    from tests.factories import UserFactory

    profile = SupervisorPage.objects.get(pk=records_site.service.supervisor_a.pk)
    old_revision = profile.save_revision()
    newcomer = UserFactory(username="newcomer")
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    link_supervisor_account(supervisor=profile, user=newcomer, actor=superuser)

    old_revision.publish()

    profile.refresh_from_db()
    assert profile.user == newcomer
