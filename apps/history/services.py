"""Removing history together with the record it describes (retention)."""

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction


def history_purge(*, model: type[models.Model], pks: Iterable[int]) -> int:
    """Delete every snapshot of the ``model`` rows ``pks``; returns how many went.

    Snapshots hold the record's content, so a record deleted at the end of
    its retention period must take them along. The application role may not
    delete snapshots; the database function ``history_purge_deleted`` (owned
    by the owner of the tables, migration 0009) deletes them, and only those
    of records that no longer exist, so call this after deleting the rows.
    The access log keeps the fact that something was deleted.
    """
    ids = list(pks)
    removed = 0
    concrete = model._meta.concrete_model or model
    with transaction.atomic(), connection.cursor() as cursor:
        for snapshot in apps.get_app_config("history").get_models():
            tracked = getattr(snapshot, "pgh_tracked_model", None)
            if tracked is None or (tracked._meta.concrete_model or tracked) is not concrete:
                continue
            cursor.execute(
                "SELECT history_purge_deleted(%s, %s::bigint[])", [snapshot._meta.db_table, ids]
            )
            removed += cursor.fetchone()[0]
    return removed


def purge_snapshots(model: type[models.Model], pks: list[Any]) -> None:
    """Provided in the retention slot: records deleted at the end of retention take
    their snapshots along."""
    history_purge(model=model, pks=pks)
