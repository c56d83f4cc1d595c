"""Each entry's hash covers its fields and the hash before; a command checks the chain."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from apps.audit.chain import verify_chain
from apps.audit.log import log_event
from apps.audit.models import GENESIS_HASH, AccessLogEntry, Action

pytestmark = pytest.mark.django_db


def _entries(user, count: int) -> list[AccessLogEntry]:
    return [
        log_event(user, Action.READ, object_type="case", object_id=n, case_id=n, ip="10.0.0.1")
        for n in range(1, count + 1)
    ]


def _last_seq() -> int:
    return AccessLogEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_entries_are_numbered_and_chained_in_order(familienamt_worker):
    before = _last_seq()
    first, second, third = _entries(familienamt_worker, 3)

    assert [first.seq, second.seq, third.seq] == [before + 1, before + 2, before + 3]
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    assert verify_chain()[1] is None


def test_python_recomputes_the_hash_the_database_wrote_for_every_kind_of_value(west_member):
    log_event(
        west_member,
        Action.WRITE,
        object_type="note",
        object_id="42",
        object_reference="F-2026-0001",
        case_id=9,
        path_name="casework:note_edit",
        ip="2001:DB8::1",
        purpose="Zweck; mit | Trennzeichen: 5:x;",
    )
    log_event(None, Action.LOGIN_FAILED, username_attempted="Jürgen ß 🙂", ip="::ffff:10.1.2.3")
    log_event(None, Action.LOGIN_FAILED, username_attempted="")

    checked, broken = verify_chain()

    assert broken is None
    assert checked == AccessLogEntry.objects.count()


def test_the_first_entry_starts_from_the_genesis_hash(familienamt_worker):
    entry = _entries(familienamt_worker, 1)[0]

    if entry.seq == 1:
        assert entry.prev_hash == GENESIS_HASH
    assert AccessLogEntry.objects.order_by("seq").first().prev_hash == GENESIS_HASH


def test_verify_command_reports_an_intact_chain(familienamt_worker, capsys):
    _entries(familienamt_worker, 3)

    call_command("verify_access_log")

    assert "in Ordnung" in capsys.readouterr().out


def test_verify_command_finds_an_edited_entry(familienamt_worker, tamper):
    entries = _entries(familienamt_worker, 4)
    tamper("UPDATE audit_accesslogentry SET case_id = 999 WHERE id = %s", [entries[2].pk])

    with pytest.raises(CommandError, match=f"Eintrag {entries[2].seq} .*Inhalt verändert"):
        call_command("verify_access_log")


def test_verify_command_finds_an_edit_whose_own_hash_was_recomputed(familienamt_worker, tamper):
    entries = _entries(familienamt_worker, 4)
    # An intruder who knows the scheme rewrites the row and its hash;
    # the next row still names the old hash.
    tamper("UPDATE audit_accesslogentry SET user_id = NULL WHERE id = %s", [entries[1].pk])
    tamper(
        "UPDATE audit_accesslogentry e SET hash = "
        "encode(sha256(convert_to(audit_accesslog_canonical(e), 'UTF8')), 'hex') WHERE id = %s",
        [entries[1].pk],
    )

    with pytest.raises(CommandError, match=f"Eintrag {entries[2].seq} .*Vorgänger-Hash"):
        call_command("verify_access_log")


def test_verify_command_finds_a_deleted_entry(familienamt_worker, tamper):
    entries = _entries(familienamt_worker, 4)
    tamper("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[1].pk])

    with pytest.raises(CommandError, match=f"Eintrag {entries[2].seq} .*Lücke"):
        call_command("verify_access_log")


def test_the_stored_time_is_utc_to_the_microsecond(familienamt_worker):
    at = datetime.datetime(2026, 3, 29, 1, 59, 59, 999999, tzinfo=datetime.UTC)
    entry = AccessLogEntry.objects.create(user=familienamt_worker, action=Action.READ, at=at)

    assert AccessLogEntry.objects.get(pk=entry.pk).at == at
    assert verify_chain()[1] is None


WRITERS, PER_WRITER = 4, 8


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_keep_one_linear_chain():
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(PER_WRITER):
                with transaction.atomic():
                    log_event(None, Action.LOGIN_FAILED, username_attempted=f"w{n}-{i}")
                    # Hold the lock a moment so the writers really queue.
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_sleep(0.002)")
        except BaseException as error:  # noqa: BLE001 - reported to the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    seqs = list(AccessLogEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(seqs[0], seqs[0] + WRITERS * PER_WRITER))
    assert verify_chain() == (WRITERS * PER_WRITER, None)
