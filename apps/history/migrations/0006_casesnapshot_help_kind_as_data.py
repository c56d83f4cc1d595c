"""The history's copy of the case's kind of help follows the case (cases 0010).

Only NOT NULL is dropped in the database (no rewrite, no scan); the index the
foreign key expects is built concurrently in 0007. Old copies saying "open"
are mapped to empty like the cases themselves.
"""

import django.db.models.deletion
from django.db import migrations, models


def map_open_to_empty(apps, schema_editor):
    import pgtrigger

    # The snapshot table is append-only; this one-off mapping is the exception.
    with pgtrigger.ignore("history.CaseSnapshot:append_only"):
        schema_editor.execute(
            "UPDATE history_casesnapshot SET help_kind = NULL WHERE help_kind = 'open'"
        )


def map_empty_to_open(apps, schema_editor):
    import pgtrigger

    with pgtrigger.ignore("history.CaseSnapshot:append_only"):
        schema_editor.execute(
            "UPDATE history_casesnapshot SET help_kind = 'open' WHERE help_kind IS NULL"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0010_case_help_kind_as_data"),
        ("history", "0005_remove_trackedcase_insert_insert_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="casesnapshot",
                    name="help_kind",
                    field=models.ForeignKey(
                        blank=True,
                        db_column="help_kind",
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="cases.helpkind",
                        to_field="code",
                        verbose_name="Hilfeart",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE history_casesnapshot ALTER COLUMN help_kind DROP NOT NULL",
                    "ALTER TABLE history_casesnapshot ALTER COLUMN help_kind SET NOT NULL",
                ),
            ],
        ),
        migrations.RunPython(map_open_to_empty, map_empty_to_open),
    ]
