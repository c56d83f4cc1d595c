"""Removing history together with the record it describes (retention)."""

from collections.abc import Iterable
from typing import Any

import pgtrigger
from django.apps import apps
from django.db import models, transaction


def history_purge(*, model: type[models.Model], pks: Iterable[int]) -> int:
    """Delete every snapshot of the ``model`` rows ``pks``; returns how many went.

    Snapshots hold the record's content, so a record deleted at the end of
    its retention period must take them along. The tables refuse deletes
    (append-only trigger); only this function lifts that, for its own
    statement. The access log keeps the fact that something was deleted.
    """
    ids = list(pks)
    removed = 0
    concrete = model._meta.concrete_model or model
    with transaction.atomic():
        for snapshot in apps.get_app_config("history").get_models():
            tracked = getattr(snapshot, "pgh_tracked_model", None)
            if tracked is None or (tracked._meta.concrete_model or tracked) is not concrete:
                continue
            with pgtrigger.ignore(f"{snapshot._meta.label}:append_only"):
                removed += snapshot._base_manager.filter(pgh_obj_id__in=ids).delete()[0]
    return removed


def purge_snapshots(model: type[models.Model], pks: list[Any]) -> None:
    """Provided in the retention slot: records deleted at the end of retention take
    their snapshots along."""
    history_purge(model=model, pks=pks)
