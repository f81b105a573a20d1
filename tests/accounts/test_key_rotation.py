"""Key rotation: old rows stay readable, the command moves them to the new key, old key goes."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection, models

from accounts.keys import encrypted_columns
from accounts.models import EncryptedTOTPDevice
from audit.models import AuditEvent
from tests.factories.accounts import TOTPDeviceFactory

pytestmark = pytest.mark.django_db

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def raw_keys() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, key FROM accounts_encryptedtotpdevice ORDER BY id")
        return dict(cursor.fetchall())


def secrets() -> dict[int, str]:
    return dict(EncryptedTOTPDevice.objects.order_by("id").values_list("id", "key"))


@pytest.fixture
def devices(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    made = [TOTPDeviceFactory(name="app") for _ in range(5)]
    # One row from before the column was encrypted: plain text, still to be encrypted.
    EncryptedTOTPDevice.objects.filter(pk=made[-1].pk).update(
        key=models.Value("00" * 20, output_field=models.TextField())
    )
    return {d.pk: ("00" * 20 if d is made[-1] else d.key) for d in made}


def test_every_encrypted_column_is_found():
    labels = {c.label for c in encrypted_columns()}
    assert "accounts.EncryptedTOTPDevice.key" in labels


def test_old_rows_read_after_a_new_key_is_put_first(settings, devices):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert secrets() == devices


def test_rotation_moves_every_row_to_the_new_key_so_the_old_one_can_go(settings, devices):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    before = raw_keys()
    with pytest.raises(CommandError, match="still need an older key"):
        call_command("rotate_encryption_keys", "--check", stdout=io.StringIO())

    out = io.StringIO()
    call_command("rotate_encryption_keys", "--batch-size", "2", stdout=out)

    assert "accounts.EncryptedTOTPDevice.key: 5 row(s) re-encrypted" in out.getvalue()
    after = raw_keys()
    assert all(after[pk] != before[pk] and after[pk].startswith("enc1:") for pk in after)
    call_command("rotate_encryption_keys", "--check", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [NEW]  # the old key retired
    assert secrets() == devices
    assert AuditEvent.objects.filter(action="accounts.encryption.rotated").count() == 1


def test_without_the_right_key_nothing_is_readable(settings, devices):
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(ImproperlyConfigured, match="could not be decrypted"):
        secrets()


def test_rotating_twice_is_harmless(settings, devices):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert secrets() == devices
