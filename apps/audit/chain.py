"""The hash chain: one canonical text per entry, and its verification.

The database trigger computes the hash when a row is inserted (see the
migration ``0002_append_only``); this module computes it again, independently,
from the stored fields. Each field is written as ``<length>:<value>;`` (NULL as
``-;``) so no value can shift the boundary between two fields.
"""

import datetime
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection

from apps.audit.models import GENESIS_HASH

CANONICAL_VERSION = "v1;"
# Fields in chain order, as the trigger concatenates them.
CHAIN_COLUMNS = (
    "seq",
    "at",
    "user_id",
    "username_attempted",
    "action",
    "object_type",
    "object_id",
    "object_reference",
    "case_id",
    "path_name",
    "ip",
    "purpose",
    "prev_hash",
)


def _field(value: str | None) -> str:
    return "-;" if value is None else f"{len(value)}:{value};"


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return str(value)


def canonical(row: dict[str, object]) -> str:
    return CANONICAL_VERSION + "".join(_field(_text(row[name])) for name in CHAIN_COLUMNS)


def entry_hash(row: dict[str, object]) -> str:
    return hashlib.sha256(canonical(row).encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    entry_id: int
    reason: str


def _rows(batch_size: int) -> Iterator[dict[str, object]]:
    # host(ip) is the database's own text of the stored address; the trigger hashes the same.
    columns = ", ".join("host(ip)" if name == "ip" else name for name in CHAIN_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, hash, {columns} FROM audit_accesslogentry ORDER BY seq")
        names = ["id", "hash", *CHAIN_COLUMNS]
        while batch := cursor.fetchmany(batch_size):
            for values in batch:
                yield dict(zip(names, values, strict=True))


def verify_chain(batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Entries checked and the first break, if any.

    A changed row no longer matches its own hash; a removed row leaves a gap in
    the numbering and a ``prev_hash`` that names no row. Removing the newest
    rows is not visible from the chain alone: compare the count and last hash
    with an earlier run's report for that.
    """
    expected_prev, expected_seq, checked = GENESIS_HASH, 1, 0
    for row in _rows(batch_size):
        seq, entry_id = int(str(row["seq"])), int(str(row["id"]))
        if seq != expected_seq:
            return checked, ChainBreak(seq, entry_id, f"Lücke: Eintrag {expected_seq} fehlt")
        if row["prev_hash"] != expected_prev:
            return checked, ChainBreak(
                seq, entry_id, "Verkettung gebrochen: Vorgänger-Hash passt nicht"
            )
        if entry_hash(row) != row["hash"]:
            return checked, ChainBreak(seq, entry_id, "Inhalt verändert: Hash passt nicht")
        expected_prev, expected_seq = str(row["hash"]), seq + 1
        checked += 1
    return checked, None
