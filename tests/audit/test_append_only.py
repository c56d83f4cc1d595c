"""The database refuses to change or remove log entries.

The application (here: the test's connection, acting as the application
role) lacks the rights outright; the trigger refuses even the table's owner.
Both answer with SQLSTATE 42501 (insufficient privilege).
"""

import pytest
from django.db import DatabaseError, connection, transaction

from apps.audit.log import log_event
from apps.audit.models import AccessLogEntry, Action
from apps.core.dbroles import as_owner

pytestmark = pytest.mark.django_db

INSUFFICIENT_PRIVILEGE = "42501"
TRIGGER_REFUSAL = "Zugriffsprotokoll ist unveränderlich"


@pytest.fixture
def entry(familienamt_worker) -> AccessLogEntry:
    return log_event(familienamt_worker, Action.READ, object_type="case", object_id=7, case_id=7)


def _refused(sql: str, params: list | None = None) -> DatabaseError:
    with (
        pytest.raises(DatabaseError) as refused,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params or [])
    assert refused.value.__cause__.sqlstate == INSUFFICIENT_PRIVILEGE  # type: ignore[union-attr]
    return refused.value


def test_raw_update_is_refused_by_the_database(entry):
    _refused("UPDATE audit_accesslogentry SET object_id = '8' WHERE id = %s", [entry.pk])

    assert AccessLogEntry.objects.get(pk=entry.pk).object_id == "7"


def test_raw_delete_is_refused_by_the_database(entry):
    _refused("DELETE FROM audit_accesslogentry WHERE id = %s", [entry.pk])

    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_truncate_is_refused_by_the_database(entry):
    _refused("TRUNCATE audit_accesslogentry")

    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_the_orm_cannot_change_or_delete_entries_either(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(purpose="nachträglich")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()

    assert AccessLogEntry.objects.get(pk=entry.pk).purpose == ""


def test_even_the_owner_is_refused_by_the_trigger(entry):
    with as_owner():
        error = _refused(
            "UPDATE audit_accesslogentry SET object_id = '8' WHERE id = %s", [entry.pk]
        )
        assert TRIGGER_REFUSAL in str(error)
        error = _refused("DELETE FROM audit_accesslogentry WHERE id = %s", [entry.pk])
        assert TRIGGER_REFUSAL in str(error)

    assert AccessLogEntry.objects.get(pk=entry.pk).object_id == "7"


def test_an_insert_cannot_choose_its_own_place_in_the_chain(entry):
    forged = AccessLogEntry.objects.create(
        action=Action.READ, seq=1, prev_hash="f" * 64, hash="f" * 64
    )

    assert forged.seq == entry.seq + 1
    assert forged.prev_hash == entry.hash
    assert forged.hash != "f" * 64
