"""``manage.py restore [FOLDER]``: put a backup back (destructive: asks first unless --yes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.backups import BackupError, latest_backup, restore_backup


class Command(BaseCommand):
    help = "Restore the database and media files from a backup folder (default: the newest)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", nargs="?", type=Path, help="A backups/<timestamp> folder.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before replacing the database."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            folder = options["folder"] or latest_backup()
            if not options["yes"]:
                try:
                    answer = input(f"Replace the current database with {folder}? Type 'yes': ")
                except EOFError:
                    answer = ""
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled.")
            report = restore_backup(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if report.mismatches:
            lines = [
                f"  {t}: {want} in backup, {got} now"
                for t, (want, got) in report.mismatches.items()
            ]
            raise CommandError("Restored, but row counts differ:\n" + "\n".join(lines))
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {folder}: {report.tables_checked} tables match "
                "the manifest's row counts."
            )
        )
