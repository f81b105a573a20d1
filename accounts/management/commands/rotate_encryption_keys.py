"""``manage.py rotate_encryption_keys``: re-encrypt every encrypted column under the newest key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.keys import rotate, rows_needing_old_keys
from audit.services import log_event


class Command(BaseCommand):
    help = (
        "Re-encrypt every EncryptedTextField value under the first key in "
        "FIELD_ENCRYPTION_KEYS (batches, one transaction each). --check only counts rows that "
        "still need an older key; it exits non-zero if there are any."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--check", action="store_true", help="Count rows not yet under the newest key."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            stale = rows_needing_old_keys()
            for label, count in stale.items():
                self.stdout.write(f"{label}: {count} row(s) need an older key")
            if any(stale.values()):
                raise CommandError("Some rows still need an older key: run without --check.")
            self.stdout.write(
                self.style.SUCCESS("Every encrypted value reads with the newest key.")
            )
            return
        done = rotate(batch_size=options["batch_size"])
        for label, count in done.items():
            self.stdout.write(f"{label}: {count} row(s) re-encrypted")
        log_event(action="accounts.encryption.rotated", data={"rows": done})
        self.stdout.write(self.style.SUCCESS("All encrypted values are under the newest key."))
