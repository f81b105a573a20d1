"""Admin → Audit log: staff search, filter and export it; nobody can edit it."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from audit.services import log_event
from cms.services import SERVICE_STAFF, SUPERVISORS, ensure_role_groups
from tests.factories import UserFactory
from tests.mfa import verified_login

pytestmark = pytest.mark.django_db

INDEX = "/admin/audit-log/"


@pytest.fixture
def groups(db):
    return ensure_role_groups()


@pytest.fixture
def staff(client, groups):
    user = UserFactory(username="coordinator")
    user.groups.add(groups[SERVICE_STAFF])
    return verified_login(client, user)


@pytest.fixture
def events(db):
    return [
        log_event(action="accounts.login.failed", data={"username": '=HYPERLINK("x")'}),
        log_event(action="accounts.login.succeeded", actor_label="amira", target_label="amira"),
        log_event(
            action="workflows.case.transitioned", actor_label="tom", target_label="=1+2 (case)"
        ),
    ]


def test_staff_see_the_log_and_can_search_and_filter_it(staff, events):
    listing = staff.get(INDEX)
    assert listing.status_code == 200
    assert "workflows.case.transitioned" in listing.content.decode()

    searched = staff.get(INDEX, {"q": "amira"}).content.decode()
    assert "accounts.login.succeeded" in searched
    assert "workflows.case.transitioned" not in searched

    filtered = staff.get(INDEX, {"action": "workflows."}).content.decode()
    assert "workflows.case.transitioned" in filtered
    assert "accounts.login.succeeded" not in filtered


def test_export_goes_through_the_exports_module_and_is_itself_audited(staff, events):
    """The listing's downloads are written by exports (tests/exports has the full proof)."""
    response = staff.get(INDEX, {"export": "csv", "action": "workflows."}, follow=True)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["When", "Action", "Who", "Object type", "Object id", "Object", "IP address"]
    assert [r[1:] for r in rows[1:]] == [
        ["workflows.case.transitioned", "tom", "", "", "'=1+2 (case)", ""]
    ]
    exported = AuditEvent.objects.get(action="exports.export.created")
    assert exported.actor_label == "coordinator"
    assert exported.data["exporter"] == "audit-log"
    assert exported.data["filters"]["extra"] == {"action": "workflows."}
    assert exported.data["rows"] == 1


def test_excel_export_holds_no_formula(staff, events):
    response = staff.get(INDEX, {"export": "xlsx"}, follow=True)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows(min_row=3) for cell in row]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row), (
        "a cell became a formula"
    )
    assert "=1+2 (case)" in values


def test_supervisors_cannot_see_the_log(client, groups, events):
    user = UserFactory(username="amira")
    user.groups.add(groups[SUPERVISORS])
    verified_login(client, user)
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(INDEX, {"export": "csv"}).status_code == 302


def test_no_screen_edits_the_log_not_even_for_a_superuser(client, admin_user, events):
    verified_login(client, admin_user)
    assert client.get(INDEX).status_code == 200
    inspect = client.get(reverse("audit_log:inspect", args=[events[1].pk]))
    assert inspect.status_code == 200
    for name in ("add", "edit", "delete", "copy", "history"):
        with pytest.raises(NoReverseMatch):
            reverse(f"audit_log:{name}", args=[events[1].pk])
    assert b"/edit/" not in inspect.content.split(b'id="main"')[1]
