"""On PostgreSQL, the database itself refuses two live sessions of one supervisor that overlap.

An exclusion constraint over (supervisor, time range) with btree_gist holds under concurrent
requests, where a check-then-insert in Python alone would not. SQLite serialises writers, and
the service's row lock on the supervisor covers it there, so this is a no-op on SQLite.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE workflows_session ADD CONSTRAINT session_supervisor_no_overlap
    EXCLUDE USING gist (supervisor_id WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (status <> 'cancelled');
"""
DROP = "ALTER TABLE workflows_session DROP CONSTRAINT IF EXISTS session_supervisor_no_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
