"""The database itself refuses to change or remove log entries."""

import pytest
from django.db import DatabaseError, connection, transaction

from apps.audit.log import log_event
from apps.audit.models import AccessLogEntry, Action

pytestmark = pytest.mark.django_db

REFUSED = "Zugriffsprotokoll ist unveränderlich"


@pytest.fixture
def entry(familienamt_worker) -> AccessLogEntry:
    return log_event(familienamt_worker, Action.READ, object_type="case", object_id=7, case_id=7)


def _raw(sql: str, params: list | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def test_raw_update_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError, match=REFUSED):
        _raw("UPDATE audit_accesslogentry SET object_id = '8' WHERE id = %s", [entry.pk])

    assert AccessLogEntry.objects.get(pk=entry.pk).object_id == "7"


def test_raw_delete_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError, match=REFUSED):
        _raw("DELETE FROM audit_accesslogentry WHERE id = %s", [entry.pk])

    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_truncate_is_refused_by_the_database(entry):
    with (
        pytest.raises(DatabaseError, match=REFUSED),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # As in production, whatever a test database allows for its own clean-up.
        cursor.execute("SET LOCAL audit.allow_truncate = off")
        cursor.execute("TRUNCATE audit_accesslogentry")

    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_the_orm_cannot_change_or_delete_entries_either(entry):
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(purpose="nachträglich")
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()

    assert AccessLogEntry.objects.get(pk=entry.pk).purpose == ""


def test_an_insert_cannot_choose_its_own_place_in_the_chain(entry):
    forged = AccessLogEntry.objects.create(
        action=Action.READ, seq=1, prev_hash="f" * 64, hash="f" * 64
    )

    assert forged.seq == entry.seq + 1
    assert forged.prev_hash == entry.hash
    assert forged.hash != "f" * 64
