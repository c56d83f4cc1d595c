"""Checkpoints signed outside the database reveal a log cut short or re-chained.

The attacks here need the table owner's rights (the application role has
none of them, see test_roles.py): afterwards the chain itself verifies, and
only the checkpoint shows what happened.
"""

import datetime
import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from apps.audit import anchor
from apps.audit.chain import CHAIN_COLUMNS, _rows, entry_hash, verify_chain
from apps.audit.log import log_event
from apps.audit.models import GENESIS_HASH, AccessLogCheckpoint, AccessLogEntry, Action
from apps.audit.tasks import checkpoint_access_log
from apps.core.dbroles import as_owner

pytestmark = pytest.mark.django_db

TABLE = "audit_accesslogentry"


@pytest.fixture
def entries(familienamt_worker) -> list[AccessLogEntry]:
    return [
        log_event(familienamt_worker, Action.READ, object_type="case", object_id=n, case_id=n)
        for n in range(1, 7)
    ]


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_access_log", *args, stdout=out)
    return out.getvalue()


def _rechain_after(change: str, seq: int) -> None:
    """Edit or remove entry ``seq``, then recompute every number and hash, as the owner could."""
    with as_owner(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_accesslog_no_change")
        cursor.execute(change, [seq])
        prev = GENESIS_HASH
        for number, row in enumerate(list(_rows(1000)), start=1):
            row = {**row, "seq": number, "prev_hash": prev}
            prev = entry_hash(row)
            cursor.execute(
                f"UPDATE {TABLE} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
                [number, row["prev_hash"], prev, row["id"]],
            )
        cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_accesslog_no_change")


def _cut_off_from(seq: int) -> None:
    with as_owner(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_accesslog_no_change")
        cursor.execute(f"DELETE FROM {TABLE} WHERE seq >= %s", [seq])  # noqa: S608
        cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_accesslog_no_change")


def test_a_checkpoint_signs_the_head_and_goes_to_the_journal_and_the_table(entries, caplog):
    with caplog.at_level(logging.INFO, logger="audit.checkpoint"):
        call_command("checkpoint_access_log", stdout=StringIO())

    stored = AccessLogCheckpoint.objects.get()
    assert (stored.seq, stored.hash) == (entries[-1].seq, entries[-1].hash)
    journal = [r.getMessage() for r in caplog.records if r.name == "audit.checkpoint"]
    assert len(journal) == 1
    assert anchor.Checkpoint.parse(journal[0]).signature_holds()
    assert f"seq={entries[-1].seq} hash={entries[-1].hash}" in journal[0]


def test_the_checkpoint_is_mailed_to_the_data_protection_officer(entries, settings, mailoutbox):
    settings.ACCESS_LOG_CHECKPOINT_EMAILS = ["datenschutz@weimar.invalid"]

    checkpoint = anchor.write_checkpoint()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["datenschutz@weimar.invalid"]
    assert checkpoint.line() in mailoutbox[0].body


def test_the_scheduler_can_run_it_as_a_task(entries):
    assert checkpoint_access_log.call() == entries[-1].seq
    assert AccessLogCheckpoint.objects.count() == 1


def test_an_intact_log_verifies_against_its_checkpoint(entries):
    anchor.write_checkpoint()
    log_event(None, Action.LOGIN_FAILED, username_attempted="später")

    assert f"Prüfpunkt bis Eintrag {entries[-1].seq}" in _verify()


def test_a_log_cut_short_is_reported_although_the_chain_still_holds(entries):
    anchor.write_checkpoint()
    _cut_off_from(entries[3].seq)

    assert verify_chain()[1] is None
    with pytest.raises(CommandError, match=f"Eintrag {entries[-1].seq} fehlt.*gekürzt"):
        _verify()


def test_a_re_chained_log_is_reported_although_the_chain_still_holds(entries):
    anchor.write_checkpoint()
    _rechain_after(f"UPDATE {TABLE} SET object_id = '99' WHERE seq = %s", entries[2].seq)  # noqa: S608

    assert verify_chain()[1] is None
    with pytest.raises(
        CommandError, match=f"Eintrag {entries[-1].seq} hat nicht mehr.*neu verkettet"
    ):
        _verify()


def test_a_removed_entry_with_a_re_chained_rest_is_reported(entries):
    anchor.write_checkpoint()
    _rechain_after(f"DELETE FROM {TABLE} WHERE seq = %s", entries[2].seq)  # noqa: S608

    assert verify_chain()[1] is None
    with pytest.raises(CommandError, match="gekürzt"):
        _verify()


def test_a_checkpoint_line_from_the_journal_still_counts_when_the_table_was_emptied(entries):
    line = anchor.write_checkpoint().line()
    _cut_off_from(entries[3].seq)
    with as_owner(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogcheckpoint")

    with pytest.raises(CommandError, match="gekürzt"):
        _verify("--checkpoint", line)


def test_a_forged_checkpoint_is_reported(entries):
    real = anchor.write_checkpoint()
    AccessLogCheckpoint.objects.create(
        seq=real.seq, hash=real.hash, at=real.at + datetime.timedelta(minutes=1), mac="0" * 64
    )

    with pytest.raises(CommandError, match="Signatur ungültig"):
        _verify()


def test_a_checkpoint_signed_with_another_key_does_not_hold(entries, settings):
    line = anchor.write_checkpoint().line()
    settings.ACCESS_LOG_KEY = "ein-anderer-schlüssel"

    assert not anchor.Checkpoint.parse(line).signature_holds()


def test_nonsense_instead_of_a_checkpoint_line_is_refused_plainly(entries):
    with pytest.raises(CommandError, match="keine Prüfpunkt-Zeile"):
        _verify("--checkpoint", "irgendwas")


def test_the_application_role_cannot_rewrite_checkpoints(entries):
    anchor.write_checkpoint()

    with pytest.raises(Exception, match="permission denied"):  # noqa: PT011
        AccessLogCheckpoint.objects.update(mac="0" * 64)


def test_chain_columns_are_what_the_re_chaining_attack_recomputes():
    assert "prev_hash" in CHAIN_COLUMNS and "seq" in CHAIN_COLUMNS
