"""Who may export what (may and may-not), large exports as jobs, and download scoping."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.utils import timezone

from audit.models import AuditEvent
from exports.enums import JobStatus
from exports.models import ExportJob
from exports.services import delete_expired_exports, export_storage
from tests.exports.readers import calamine_rows
from tests.factories import UserFactory
from tests.helpers.exports import EXPORTS
from tests.helpers.service import login

pytestmark = pytest.mark.django_db


def test_a_supervisor_exports_only_their_own_sessions(client, export_data):
    login(client, export_data.service.user_a)
    response = client.post(EXPORTS, export_data.form("sessions"))
    assert response.status_code == 200
    rows = calamine_rows(response.content)[2:]
    assert {r[4] for r in rows} == {"Amira Hussain"}
    assert len(rows) == 3
    utilisation = client.post(EXPORTS, export_data.form("utilisation")).content
    assert {r[0] for r in calamine_rows(utilisation)[2:]} == {"Amira Hussain"}


def test_a_supervisor_may_not_choose_another_supervisor(client, export_data):
    login(client, export_data.service.user_a)
    other = export_data.form("sessions", supervisor=export_data.service.supervisor_b.pk)
    response = client.post(EXPORTS, other)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("export", ["records-register", "invoices", "audit-log"])
def test_a_supervisor_may_not_run_staff_exports(client, export_data, export):
    login(client, export_data.service.user_a)
    page = client.get(EXPORTS).content.decode()
    assert f'value="{export}"' not in page
    response = client.post(EXPORTS, export_data.form(export))
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="exports.export.created").exists()


def test_staff_may_run_every_export(client, export_data):
    login(client, export_data.service.staff)
    page = client.get(EXPORTS).content.decode()
    for export in ("bookings", "sessions", "invoices", "records-register", "utilisation"):
        assert f'value="{export}"' in page
        assert client.post(EXPORTS, export_data.form(export)).status_code == 200


def test_the_can_export_permission_exports_everything(client, export_data):
    user = UserFactory(username="finance")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="exports", codename="export_all"),
        Permission.objects.get(codename="access_admin"),
    )
    login(client, user)
    response = client.post(EXPORTS, export_data.form("invoices"))
    assert response.status_code == 200
    assert len(calamine_rows(response.content, "Invoice lines")) == 4
    sessions = client.post(EXPORTS, export_data.form("sessions")).content
    assert len(calamine_rows(sessions)) == 7


def test_someone_without_a_role_may_not_export(client, export_data):
    user = UserFactory(username="visitor")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    login(client, user)
    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    for response in (client.get(EXPORTS), client.post(EXPORTS, export_data.form("sessions"))):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not AuditEvent.objects.filter(action__startswith="exports.").exists()
    assert "/admin/exports/" not in client.get("/admin/").content.decode()


def test_large_export_runs_as_a_job_only_the_requester_downloads(
    client, export_data, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.EXPORT_ASYNC_ROWS = 2
    settings.EXPORT_FILES_ROOT = tmp_path / "exports"
    login(client, export_data.service.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORTS, export_data.form("sessions"))
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/exports/jobs/{job.pk}/"
    assert (job.status, job.rows_total, job.rows_done) == (JobStatus.DONE, 5, 5)
    page = client.get(response["Location"]).content.decode()
    assert "Ready to download: 5 of 5 rows written (100%)" in page
    assert f"/admin/exports/jobs/{job.pk}/download/" in page
    assert job.file_name in [p.name for p in (tmp_path / "exports").iterdir()]

    download = client.get(f"/admin/exports/jobs/{job.pk}/download/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert len(calamine_rows(content)) == 7
    today = timezone.localdate()
    assert f'filename="sessions-{today}.xlsx"' in download["Content-Disposition"]
    assert list(
        AuditEvent.objects.filter(action__startswith="exports.")
        .order_by("pk")
        .values_list("action", "actor_label", "data__rows")
    ) == [
        ("exports.export.queued", "coordinator", 5),
        ("exports.export.created", "coordinator", 5),
        ("exports.file.downloaded", "coordinator", 5),
    ]

    # Another member of staff (who could run the export themselves) cannot take this file.
    colleague = UserFactory(username="colleague")
    colleague.groups.add(export_data.service.staff_group)
    login(client, colleague)
    assert client.get(f"/admin/exports/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/admin/exports/jobs/{job.pk}/download/").status_code == 404
    assert job.pk not in [j.pk for j in client.get(EXPORTS).context["jobs"]]


def test_expired_files_are_deleted(
    client, export_data, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.EXPORT_ASYNC_ROWS = 2
    settings.EXPORT_FILE_HOURS = 24
    settings.EXPORT_FILES_ROOT = tmp_path / "exports"
    login(client, export_data.service.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EXPORTS, export_data.form("sessions"))
    job = ExportJob.objects.get()
    assert delete_expired_exports() == 0
    later = timezone.now() + datetime.timedelta(hours=25)
    with time_machine.travel(later, tick=False):
        assert delete_expired_exports() == 0 + 1
        job.refresh_from_db()
        assert (job.status, job.file_name) == (JobStatus.EXPIRED, "")
        assert not any(export_storage().listdir("")[1])
    assert client.get(f"/admin/exports/jobs/{job.pk}/download/").status_code == 404


def test_audit_log_download_keeps_the_listing_filters_and_guards_formulas(client, export_data):
    from audit.services import log_event

    log_event(action="workflows.case.transitioned", actor_label="tom", target_label="=1+2 (case)")
    log_event(action="accounts.login.succeeded", actor_label="amira")
    login(client, export_data.service.staff)
    listing_filters = {"action": "workflows.", "actor_label": "tom"}
    response = client.get("/admin/audit-log/", {"export": "xlsx", **listing_filters})
    assert response.status_code == 302
    response = client.get(response["Location"])
    rows = calamine_rows(response.content)
    assert rows[1] == [
        "When",
        "Action",
        "Who",
        "Object type",
        "Object id",
        "Object",
        "IP address",
    ]
    assert [r[1:3] + r[5:6] for r in rows[2:]] == [
        ["workflows.case.transitioned", "tom", "=1+2 (case)"]
    ]
    assert "Action: workflows." in rows[0][0]
    csv = client.get("/admin/exports/audit-log/", {"format": "csv", **listing_filters})
    text = b"".join(csv.streaming_content).decode()
    assert text.splitlines()[1].split(",")[1:] == [
        "workflows.case.transitioned",
        "tom",
        "",
        "",
        "'=1+2 (case)",
        "",
    ]
    login(client, export_data.service.user_a)
    refused = client.get("/admin/exports/audit-log/")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
