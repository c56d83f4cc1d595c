"""The index Django keeps on a foreign key, built without locking the snapshots."""

from django.db import migrations

TABLE = "history_casesnapshot"


def _name(schema_editor):
    return schema_editor._create_index_name(TABLE, ["help_kind"], suffix="")


def create_index(apps, schema_editor):
    schema_editor.execute(
        f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{_name(schema_editor)}" ON {TABLE} (help_kind)'
    )


def drop_index(apps, schema_editor):
    schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{_name(schema_editor)}"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("history", "0006_casesnapshot_help_kind_as_data"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
