"""The case's kind of help becomes the same data the decision uses (HelpKind).

The column ``cases_case.help_kind`` keeps its name and type: it already holds
the kinds' codes, so the foreign key points at ``HelpKind.code`` and no row is
rewritten. The constraint is added NOT VALID (no scan under a lock); migration
0011 maps "open" to empty and validates it, after the history app has let its
copy of the column be empty too.
"""

import django.db.models.deletion
from django.db import migrations, models

FK_NAME = "cases_case_help_kind_fk_cases_helpkind_code"


def add_child_protection_kind(apps, schema_editor):
    HelpKind = apps.get_model("cases", "HelpKind")
    HelpKind.objects.get_or_create(
        code="kinderschutz",
        defaults={
            "name": "Kinderschutz (Gefährdungseinschätzung)",
            "legal_basis": "§ 8a SGB VIII",
            "group": "kinderschutz",
            # A case's track, never the kind of a grant.
            "active": False,
            "sort_order": 90,
        },
    )


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0009_steering_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="helpkind",
            name="group",
            field=models.CharField(
                choices=[
                    ("schulbegleitung", "Schulbegleitung"),
                    ("erziehungshilfe", "Hilfen zur Erziehung"),
                    ("eingliederungshilfe", "Eingliederungshilfe"),
                    ("beratung", "Beratung"),
                    ("kinderschutz", "Kinderschutz"),
                ],
                max_length=20,
                verbose_name="Gruppe",
            ),
        ),
        migrations.RunPython(add_child_protection_kind, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="help_kind",
                    field=models.ForeignKey(
                        blank=True,
                        db_column="help_kind",
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="cases.helpkind",
                        to_field="code",
                        verbose_name="Hilfeart",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    [
                        "ALTER TABLE cases_case ALTER COLUMN help_kind DROP NOT NULL",
                        f"ALTER TABLE cases_case ADD CONSTRAINT {FK_NAME} FOREIGN KEY "
                        "(help_kind) REFERENCES cases_helpkind (code) "
                        "DEFERRABLE INITIALLY DEFERRED NOT VALID",
                    ],
                    [
                        f"ALTER TABLE cases_case DROP CONSTRAINT {FK_NAME}",
                        "UPDATE cases_case SET help_kind = 'open' WHERE help_kind IS NULL",
                        "ALTER TABLE cases_case ALTER COLUMN help_kind SET NOT NULL",
                    ],
                ),
            ],
        ),
    ]
