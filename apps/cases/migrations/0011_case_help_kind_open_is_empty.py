"""A case whose kind of help is still open has none ("open" was a choice of its own).

Runs after the history app let its copy of the column be empty. The triggers
stay quiet for this mapping, and the history's old copies are mapped the same
way, so the change history shows no change nobody made.
"""

import pgtrigger
from django.db import migrations


def map_open_to_empty(apps, schema_editor):
    with pgtrigger.ignore("history.TrackedCase:update_update"):
        schema_editor.execute("UPDATE cases_case SET help_kind = NULL WHERE help_kind = 'open'")
    # Validating scans the table without blocking reads or writes.
    schema_editor.execute(
        "ALTER TABLE cases_case VALIDATE CONSTRAINT cases_case_help_kind_fk_cases_helpkind_code"
    )


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0010_case_help_kind_as_data"),
        ("history", "0006_casesnapshot_help_kind_as_data"),
    ]

    operations = [
        # Backwards, 0010 maps empty to "open" once the constraint is gone.
        migrations.RunPython(map_open_to_empty, migrations.RunPython.noop),
    ]
