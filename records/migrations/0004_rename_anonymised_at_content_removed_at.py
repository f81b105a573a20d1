from django.db import migrations


class Migration(migrations.Migration):
    """Retention's timestamp is "content removed", not "anonymised" (issue 18): a rename keeps data."""

    dependencies = [
        ("records", "0003_case_parent_data"),
    ]

    operations = [
        migrations.RenameField(
            model_name="sessionrecord",
            old_name="anonymised_at",
            new_name="content_removed_at",
        ),
    ]
