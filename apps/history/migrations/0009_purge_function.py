"""Retention removes snapshots through a function owned by the owner of the tables.

The application role may only read and append to the snapshot tables (it
cannot UPDATE or DELETE them, ``apps.core.dbroles``). Retention must still
take a deleted record's snapshots along; this function does that with the
owner's rights, and only for records that no longer exist: the caller names
the snapshot table and the ids, the function knows which table each snapshot
table describes, so no caller can make it delete the history of a living
record. A new tracked model needs its line in ``TRACKED`` (a test checks).
"""

from django.db import migrations

TRACKED = [
    ("history_personsnapshot", "cases_person"),
    ("history_casesnapshot", "cases_case"),
    ("history_decisionsnapshot", "cases_decision"),
    ("history_recommendationsnapshot", "cases_recommendation"),
    ("history_referralsnapshot", "referrals_referral"),
    ("history_consentsnapshot", "referrals_consent"),
    ("history_questionsnapshot", "referrals_question"),
    ("history_casenotesnapshot", "casework_casenote"),
    ("history_noteversionsnapshot", "casework_noteversion"),
    ("history_notesharesnapshot", "casework_noteshare"),
    ("history_tasksnapshot", "casework_task"),
    ("history_contactsnapshot", "casework_contact"),
    ("history_helpplansnapshot", "casework_helpplan"),
    ("history_helpplanversionsnapshot", "casework_helpplanversion"),
]

MAPPING = ", ".join(f"('{snapshot}', '{tracked}')" for snapshot, tracked in TRACKED)

CREATE = f"""
CREATE OR REPLACE FUNCTION history_purge_deleted(snapshot text, ids bigint[])
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    tracked text;
    triggers text;
    previous text := current_setting('pgtrigger.ignore', true);
    removed integer;
BEGIN
    SELECT m.tracked INTO tracked FROM (VALUES {MAPPING}) AS m(snapshot, tracked)
     WHERE m.snapshot = history_purge_deleted.snapshot;
    IF tracked IS NULL THEN
        RAISE EXCEPTION 'history_purge_deleted: % is no snapshot table', snapshot;
    END IF;
    -- The snapshot table's own append-only trigger lets this statement through.
    SELECT string_agg(tgname, ',') INTO triggers
      FROM pg_trigger WHERE tgrelid = snapshot::regclass AND NOT tgisinternal;
    PERFORM set_config('pgtrigger.ignore', '{{' || coalesce(triggers, '') || '}}', true);
    EXECUTE format(
        'DELETE FROM %I s WHERE s.pgh_obj_id = ANY($1) '
        'AND NOT EXISTS (SELECT 1 FROM %I t WHERE t.id = s.pgh_obj_id)',
        snapshot, tracked
    ) USING ids;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('pgtrigger.ignore', coalesce(previous, '{{}}'), true);
    RETURN removed;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0008_submission_key_not_a_guard"),
    ]

    operations = [
        migrations.RunSQL(
            CREATE, reverse_sql="DROP FUNCTION IF EXISTS history_purge_deleted(text, bigint[]);"
        ),
    ]
