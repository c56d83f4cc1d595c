"""A first snapshot of every row that existed before the history began.

Without it the first change to an older row would have no "before".
"""

from django.db import migrations

SNAPSHOT_OF = {
    "PersonSnapshot": "TrackedPerson",
    "CaseSnapshot": "TrackedCase",
    "DecisionSnapshot": "TrackedDecision",
    "RecommendationSnapshot": "TrackedRecommendation",
    "ReferralSnapshot": "TrackedReferral",
    "ConsentSnapshot": "TrackedConsent",
    "QuestionSnapshot": "TrackedQuestion",
    "CaseNoteSnapshot": "TrackedCaseNote",
    "NoteVersionSnapshot": "TrackedNoteVersion",
    "NoteShareSnapshot": "TrackedNoteShare",
    "TaskSnapshot": "TrackedTask",
    "ContactSnapshot": "TrackedContact",
    "HelpPlanSnapshot": "TrackedHelpPlan",
    "HelpPlanVersionSnapshot": "TrackedHelpPlanVersion",
}


def add_baseline(apps, schema_editor):
    quote = schema_editor.quote_name
    for snapshot_name, tracked_name in SNAPSHOT_OF.items():
        snapshot = apps.get_model("history", snapshot_name)
        tracked = apps.get_model("history", tracked_name)
        columns = [
            field.column
            for field in snapshot._meta.concrete_fields
            if not field.name.startswith("pgh_")
        ]
        column_list = ", ".join(quote(column) for column in columns)
        schema_editor.execute(
            f"INSERT INTO {quote(snapshot._meta.db_table)} "
            f"({column_list}, pgh_created_at, pgh_label, pgh_obj_id) "
            f"SELECT {column_list}, NOW(), 'baseline', {quote(tracked._meta.pk.column)} "
            f"FROM {quote(tracked._meta.db_table)}"
        )


class Migration(migrations.Migration):
    dependencies = [("history", "0001_initial")]

    operations = [migrations.RunPython(add_baseline, migrations.RunPython.noop)]
