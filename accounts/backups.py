"""Backups that restore: the database plus the uploaded files, with a manifest to check them.

One backup is a folder ``<BACKUP_ROOT>/<UTC timestamp>/`` holding:

* ``database.dump``: ``pg_dump --format=custom`` on PostgreSQL (a consistent snapshot, restored
  with ``pg_restore --clean``), or ``database.sqlite3``: a copy taken with SQLite's online
  backup API, consistent even while the site and the task cluster write;
* ``media.tar.gz``: everything under ``MEDIA_ROOT`` (photos, documents);
* ``manifest.json``: when, which engine, SHA-256 of each file, and the row count of every table,
  so a restore can prove it brought everything back.

Encrypted columns are copied as ciphertext: a backup is only readable with the
``FIELD_ENCRYPTION_KEYS`` in force when it was taken (or later keys still listing them). Keep
the keys apart from the backups.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 - runs pg_dump/pg_restore with fixed arguments, no shell
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    """A backup could not be made or restored; the message says why."""


@dataclass(frozen=True)
class RestoreReport:
    path: Path
    tables_checked: int
    mismatches: dict[str, tuple[int, int]]  # table -> (in manifest, after restore)


def backup_root() -> Path:
    return Path(getattr(settings, "BACKUP_ROOT", settings.BASE_DIR / "backups"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _model_tables() -> list[str]:
    """Tables of every installed, managed model (including auto-created m2m tables)."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def table_row_counts() -> dict[str, int]:
    existing = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in _model_tables():
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 # nosec B608
                counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_file_counts(path: Path) -> dict[str, int]:
    copy = sqlite3.connect(path)
    try:
        existing = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
        counts = {}
        for table in _model_tables():
            if table in existing:
                # Table names come from our own models, never from input.
                sql = f'SELECT COUNT(*) FROM "{table}"'  # noqa: S608 # nosec B608
                counts[table] = copy.execute(sql).fetchone()[0]
        return counts
    finally:
        copy.close()


def _pg_env() -> tuple[list[str], dict[str, str]]:
    conf = connection.settings_dict
    args = ["--dbname", conf["NAME"], "--no-password"]
    if conf.get("HOST"):
        args += ["--host", str(conf["HOST"])]
    if conf.get("PORT"):
        args += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["--username", str(conf["USER"])]
    env = dict(os.environ)
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    binary = shutil.which(command[0])
    if binary is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        )
    result = subprocess.run(  # noqa: S603 # nosec B603 - fixed argument list, no shell
        [binary, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def _dump_database(folder: Path) -> tuple[str, dict[str, int]]:
    """Write the database file; return its name and the row counts of that same snapshot."""
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        with transaction.atomic():
            with connection.cursor() as cursor:
                # pg_dump reads the very snapshot our counts read: they always agree.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(folder / PG_DUMP),
                    *args,
                ],
                env,
            )
            counts = table_row_counts()
        return PG_DUMP, counts
    if connection.vendor == "sqlite":
        target = folder / SQLITE_COPY
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot page by page.
            connection.connection.backup(destination)
        finally:
            destination.close()
        return SQLITE_COPY, _sqlite_file_counts(target)
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")


def _archive_media(folder: Path) -> str:
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA_ARCHIVE, "w:gz") as archive:
        if media_root.exists():
            for item in sorted(media_root.iterdir()):
                archive.add(item, arcname=item.name)
    return MEDIA_ARCHIVE


def create_backup(*, root: Path | None = None, now: datetime.datetime | None = None) -> Path:
    """Write a new backup folder and return its path. Reads only; the site keeps running."""
    now = now or datetime.datetime.now(tz=datetime.UTC)
    root = root or backup_root()
    root.mkdir(parents=True, exist_ok=True)
    ignore = root / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Backups hold personal data: never commit them.\n*\n")
    folder = root / now.strftime("%Y%m%dT%H%M%S%fZ")
    folder.mkdir()
    os.chmod(folder, 0o700)
    database_file, counts = _dump_database(folder)
    media_file = _archive_media(folder)
    manifest = {
        "format": 1,
        "created": now.isoformat(),
        "engine": connection.vendor,
        "database_file": database_file,
        "media_file": media_file,
        "sha256": {name: _sha256(folder / name) for name in (database_file, media_file)},
        "row_counts": counts,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def latest_backup(root: Path | None = None) -> Path:
    root = root or backup_root()
    candidates = sorted(p for p in root.glob("*") if (p / MANIFEST).is_file())
    if not candidates:
        raise BackupError(f"No backup found under {root}.")
    return candidates[-1]


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{folder} has no {MANIFEST}.") from exc
    for name, expected in manifest["sha256"].items():
        if _sha256(folder / name) != expected:
            raise BackupError(f"{name} in {folder} does not match its checksum: not restoring.")
    return manifest


def _restore_database(folder: Path, manifest: dict[str, Any]) -> None:
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"This backup is of a {manifest['engine']} database; the site uses {connection.vendor}."
        )
    source = folder / manifest["database_file"]
    if connection.vendor == "postgresql":
        # pg_restore needs every table lock; our own connection must not hold any.
        connection.close()
        args, env = _pg_env()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(source),
            ],
            env,
        )
        return
    connection.ensure_connection()
    backup = sqlite3.connect(source)
    try:
        backup.backup(connection.connection)
    finally:
        backup.close()


def _restore_media(folder: Path, manifest: dict[str, Any]) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / manifest["media_file"], "r:gz") as archive:
        # The "data" filter refuses absolute paths, "..", links outside and device files.
        archive.extractall(media_root, filter="data")


def restore_backup(folder: Path) -> RestoreReport:
    """Replace the database and add back the media files from ``folder``; then check counts.

    Destructive: the current database content is replaced. Files under ``MEDIA_ROOT`` that the
    backup also holds are overwritten; others are left in place.
    """
    manifest = read_manifest(folder)
    _restore_database(folder, manifest)
    _restore_media(folder, manifest)
    # Cached rows (content types, Wagtail's site roots) describe the database we replaced.
    ContentType.objects.clear_cache()
    cache.clear()
    after = table_row_counts()
    expected: dict[str, int] = manifest["row_counts"]
    mismatches = {
        table: (count, after.get(table, -1))
        for table, count in expected.items()
        if after.get(table, -1) != count
    }
    return RestoreReport(path=folder, tables_checked=len(expected), mismatches=mismatches)
