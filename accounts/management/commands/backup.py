"""``manage.py backup``: database and media into ``backups/<timestamp>/`` (accounts/backups.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite online copy) and MEDIA_ROOT, with a manifest."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", type=Path, help="Folder to put the backup in (default: BACKUP_ROOT)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            folder = create_backup(root=options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
