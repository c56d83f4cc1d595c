"""Every write reaches the history: ORM, bulk update, raw SQL, delete."""

import pghistory
import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from apps.cases.models import Case
from apps.casework.models import Task
from apps.history.changes import changes
from apps.history.kinds import KINDS
from apps.history.models import CaseSnapshot, TaskSnapshot  # type: ignore[attr-defined]
from apps.history.services import history_purge
from apps.referrals.workflow import Status

pytestmark = pytest.mark.django_db


def _field_changes(user, kind: str, record, prefix: str = "") -> list[tuple[str, str, str, str]]:
    """Newest first; one transaction (a test) shares one timestamp, so filter by record."""
    page = changes(user, KINDS[kind].streams(record))
    return [
        (change.action, field.label, field.before, field.after)
        for change in page.rows
        if change.record.startswith(prefix)
        for field in change.fields
    ]


def test_an_orm_save_is_recorded_with_before_and_after(west_case, familienamt_worker):
    west_case.status = Status.CLOSED
    west_case.save()

    rows = _field_changes(familienamt_worker, "case", west_case, "Fall")
    assert rows[0] == ("geändert", "Status", Status.WITH_TEAM.label, Status.CLOSED.label)


def test_a_bulk_update_records_every_row(west_case, task, west_member, familienamt_worker):
    other = Task.objects.create(
        case=west_case,
        title="Eltern einladen",
        due_date=task.due_date,
        assignee=west_member,
        created_by=west_member,
    )

    Task.objects.filter(pk__in=[task.pk, other.pk]).update(title="Hilfeplangespräch vorbereiten")

    for record, old_title in ((task, "Schule anrufen"), (other, "Eltern einladen")):
        rows = _field_changes(familienamt_worker, "task", record)
        assert rows[0] == (
            "geändert",
            "Was ist zu tun?",
            old_title,
            "Hilfeplangespräch vorbereiten",
        )


def test_raw_sql_is_recorded_with_before_and_after(task, familienamt_worker):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE casework_task SET title = %s WHERE id = %s", ["Akte prüfen", task.pk]
        )

    rows = _field_changes(familienamt_worker, "task", task)
    assert rows[0] == ("geändert", "Was ist zu tun?", "Schule anrufen", "Akte prüfen")


def test_a_raw_update_of_a_case_is_recorded(west_case, team_nord, familienamt_worker):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET team_id = %s WHERE id = %s", [team_nord.pk, west_case.pk]
        )

    rows = _field_changes(familienamt_worker, "case", west_case, "Fall")
    team_rows = [row for row in rows if row[1] == "Team"]
    assert team_rows and team_rows[0][2] != team_rows[0][3]
    assert team_rows[0][3] == str(team_nord)


def test_a_delete_keeps_the_last_state(task, familienamt_worker):
    task_pk = task.pk
    Task.objects.filter(pk=task_pk).delete()

    labels = list(
        TaskSnapshot.objects.filter(pgh_obj_id=task_pk)
        .order_by("pgh_id")
        .values_list("pgh_label", flat=True)
    )
    assert labels == ["insert", "delete"]


def test_no_change_no_entry(west_case):
    before = CaseSnapshot.objects.filter(pgh_obj_id=west_case.pk).count()

    Case.objects.filter(pk=west_case.pk).update(status=west_case.status)

    assert CaseSnapshot.objects.filter(pgh_obj_id=west_case.pk).count() == before


def test_the_history_cannot_be_rewritten(west_case):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE history_casesnapshot SET status = 'closed'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM history_casesnapshot")


def test_the_person_who_changed_it_is_named(west_case, west_member, familienamt_worker):
    with pghistory.context(user=west_member.pk, url="/test/"):
        Case.objects.filter(pk=west_case.pk).update(status=Status.CLOSED)

    page = changes(familienamt_worker, KINDS["case"].streams(west_case))
    update = next(c for c in page.rows if c.action == "geändert")
    assert update.who == str(west_member)
    assert {c.who for c in page.rows if c.action == "angelegt"} == {"System (ohne Anmeldung)"}


def test_a_change_made_through_a_page_names_its_author(client, west_case, west_member):
    client.force_login(west_member)

    client.post(reverse("casework:note_create", args=[west_case.pk]), {"text": "Erstes Gespräch."})

    page = changes(west_member, KINDS["case"].streams(west_case))
    note_changes = [c for c in page.rows if c.record.startswith("Verlaufsnotiz")]
    assert note_changes and all(c.who == str(west_member) for c in note_changes)


def test_retention_can_purge_the_history_of_a_deleted_record(task):
    task_pk = task.pk
    Task.objects.filter(pk=task_pk).delete()

    removed = history_purge(model=Task, pks=[task_pk])

    assert removed == 2
    assert not TaskSnapshot.objects.filter(pgh_obj_id=task_pk).exists()
    # The protection is back after the purge.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM history_casesnapshot")


def test_the_application_role_cannot_rewrite_history_even_past_the_trigger(west_case):
    """The attack of the last review: the trigger honours pgtrigger's session switch,
    which any role may set; the application role has no UPDATE or DELETE to use it with."""
    ignore_all = (
        "SELECT set_config('pgtrigger.ignore', '{' || string_agg(tgname, ',') || '}', true) "
    )
    ignore_all += "FROM pg_trigger WHERE tgrelid = 'history_casesnapshot'::regclass"
    for statement in (
        "UPDATE history_casesnapshot SET status = 'closed'",
        "DELETE FROM history_casesnapshot",
        "TRUNCATE history_casesnapshot",
    ):
        with (
            pytest.raises(DatabaseError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(ignore_all)
            cursor.execute(statement)
    assert CaseSnapshot.objects.filter(pgh_obj_id=west_case.pk).exists()


def test_retention_cannot_purge_the_history_of_a_record_that_still_exists(task):
    before = TaskSnapshot.objects.filter(pgh_obj_id=task.pk).count()

    removed = history_purge(model=Task, pks=[task.pk])

    assert removed == 0
    assert TaskSnapshot.objects.filter(pgh_obj_id=task.pk).count() == before > 0


def test_the_purge_function_refuses_a_table_that_is_no_snapshot(task):
    with (
        pytest.raises(DatabaseError, match="no snapshot table"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT history_purge_deleted('casework_task', ARRAY[%s]::bigint[])", [task.pk]
        )
    assert Task.objects.filter(pk=task.pk).exists()


def test_the_purge_function_knows_every_snapshot_table():
    from django.apps import apps

    tracked = [
        model
        for model in apps.get_app_config("history").get_models()
        if getattr(model, "pgh_tracked_model", None) is not None
    ]
    assert len(tracked) >= 14
    with connection.cursor() as cursor:
        for snapshot in tracked:
            cursor.execute(
                "SELECT history_purge_deleted(%s, ARRAY[-1]::bigint[])", [snapshot._meta.db_table]
            )
            assert cursor.fetchone()[0] == 0, snapshot
