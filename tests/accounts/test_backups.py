"""A seeded site survives backup, wipe and restore: rows, files and encrypted fields."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.models import Collection

from accounts.backups import table_row_counts
from accounts.keys import encrypted_columns
from accounts.models import EncryptedTOTPDevice
from audit.models import AuditEvent
from audit.services import log_event
from tests.factories import make_home
from tests.factories.workflows import BookingFactory, SchoolFactory, SessionFactory
from tests.mfa import current_code, enrol_totp, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def media_files() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def every_encrypted_value() -> dict[str, list[str]]:
    """Reading each column decrypts it: proof the ciphertext came back intact."""
    return {
        c.label: sorted(map(str, c.model._base_manager.values_list(c.field, flat=True)))
        for c in encrypted_columns()
    }


def wipe_everything() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names():
                cursor.execute(f'DROP TABLE IF EXISTS "{table}"')
    for path in sorted(Path(settings.MEDIA_ROOT).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


@pytest.fixture
def seeded_site(django_user_model):
    # An earlier transactional test may have flushed the page and collection trees that
    # Wagtail's migrations create; seed_demo builds on them.
    make_home(title="Safeguarding supervision for schools")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    call_command("seed_demo", stdout=io.StringIO())
    for username in ("admin", "amira.hussain"):
        enrol_totp(django_user_model.objects.get(username=username))
    log_event(action="tests.backup.marker", target_label="before backup")
    _booking_with_a_record()
    return django_user_model.objects.get(username="admin")


def _booking_with_a_record() -> None:
    """A booking with a held session and a drafted record: encrypted text in several tables."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from cms.models import SupervisorPage
    from records.defaults import install_record_defaults
    from records.services import RecordContent, request_record, save_draft
    from workflows.defaults import install_defaults
    from workflows.services.engine import start_case

    result = install_defaults()
    install_record_defaults()
    supervisor = SupervisorPage.objects.get(slug="amira-hussain")
    booking = BookingFactory(
        reference="SUP-BACKUP",
        school=SchoolFactory(name="Hillside Primary", urn="123456"),
        supervisee_email="jo@hillside.example.org",
        supervisor=supervisor,
        service=supervisor.services.first(),
        preferred_location="The quiet room",
    )
    start_case(workflow=result["booking"], subject=booking, reference=booking.reference)
    start = timezone.now() - datetime.timedelta(days=2)
    session = SessionFactory(
        booking=booking,
        start=start,
        end=start + datetime.timedelta(hours=1),
        location="The quiet room",
        status="held",
        price=Decimal("60.00"),
    )
    record = request_record(session=session)
    save_draft(
        record=record,
        content=RecordContent(reflections="Reflected on thresholds for early help."),
        actor=supervisor.user,
    )


def test_backup_wipe_restore_brings_everything_back(seeded_site, tmp_path, client):
    counts, files, secrets = table_row_counts(), media_files(), every_encrypted_value()
    assert counts["accounts_encryptedtotpdevice"] == 2
    assert any(name.startswith("original_images/") for name in files)

    call_command("backup", "--output", str(tmp_path / "backups"), stdout=io.StringIO())
    (folder,) = [p for p in (tmp_path / "backups").iterdir() if p.is_dir()]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["row_counts"] == counts

    wipe_everything()
    assert "audit_auditevent" not in connection.introspection.table_names()
    assert media_files() == {}

    out = io.StringIO()
    call_command("restore", str(folder), "--yes", stdout=out)

    assert "tables match the manifest's row counts" in out.getvalue()
    assert table_row_counts() == counts
    assert media_files() == files
    assert every_encrypted_value() == secrets
    assert AuditEvent.objects.filter(action="tests.backup.marker").count() == 1
    from records.models import SessionRecord
    from workflows.models import Booking

    assert Booking.objects.get(reference="SUP-BACKUP").preferred_location == "The quiet room"
    assert "early help" in SessionRecord.objects.get().reflections
    # The restored site works: a seeded user signs in with password and authenticator.
    sign_in(client, "admin", "demo-supervision-2026")
    device = EncryptedTOTPDevice.objects.get(user__username="admin")
    assert client.post("/admin/mfa/verify/", {"code": current_code(device)}).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/supervisors/").status_code == 200


def test_a_damaged_backup_is_refused_before_anything_is_touched(seeded_site, tmp_path):
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=io.StringIO())
    (folder,) = [p for p in (tmp_path / "backups").iterdir() if p.is_dir()]
    archive = folder / "media.tar.gz"
    archive.write_bytes(archive.read_bytes()[:-10] + b"0123456789")
    before = table_row_counts()

    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(folder), "--yes")

    assert table_row_counts() == before
