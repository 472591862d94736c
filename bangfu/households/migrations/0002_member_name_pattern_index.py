"""On PostgreSQL, an index that serves LIKE 'prefix%' on member names under any collation.

SQLite needs none: search uses a range there, which the plain index serves (core.codes.text_prefix_q).
"""

from django.db import migrations

INDEX = "member_name_pattern"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON households_member (name varchar_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
