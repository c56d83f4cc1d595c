"""Versioned records (optimistic locking) and reference numbers.

A versioned record carries the ``version`` the person loaded in every form
that changes it. :func:`lock_version` row-locks the record and refuses with
:class:`~apps.core.refusals.StaleRecord` when someone saved in between;
:func:`save_new_version` writes the change and counts the version up. Every
service that locks optimistically goes through these two.
"""

import datetime
from collections.abc import Iterable
from typing import TypeVar

from django.db import models
from django.utils import timezone

from apps.core.refusals import StaleRecord

STALE_TEXT = (
    "{what} wurde inzwischen {who} geändert{when}. Ihre Änderung wurde nicht gespeichert; "
    "bitte prüfen Sie den aktuellen Stand."
)


class VersionedRecord(models.Model):
    """A record edited by several people: each save names the version it builds on."""

    version = models.PositiveIntegerField(default=1)

    #: How a refusal names the record, with its article ("Die Aktivität").
    stale_name = ""

    class Meta:
        abstract = True

    def last_change(self) -> tuple[str, datetime.datetime | None]:
        """Who saved the record last and when ("" / None when the record does not say)."""
        by = getattr(self, "updated_by", None)
        return (str(by) if by is not None else "", getattr(self, "updated_at", None))

    def stale_subject(self) -> str:
        """How the refusal names the record, e.g. „Die Wiedervorlage ‚Anruf‘“."""
        return self.stale_name or f"{self._meta.verbose_name} „{self}“"

    def stale_state(self) -> str:
        """What the record says now, where that helps (e.g. "jetzt: Hilfe läuft")."""
        return ""

    def stale_refusal(self) -> StaleRecord:
        """The refusal for a save based on an older version: who changed it, when, and now."""
        by, at = self.last_change()
        details = [f"am {timezone.localtime(at):%d.%m.%Y um %H:%M} Uhr" if at else ""]
        details.append(self.stale_state())
        when = "; ".join(d for d in details if d)
        text = STALE_TEXT.format(
            what=self.stale_subject(),
            who=f"von {by or 'jemand anderem'}",
            when=f" ({when})" if when else "",
        )
        return StaleRecord(text, changed_by=by, changed_at=at)


V = TypeVar("V", bound=VersionedRecord)


def lock_version(queryset: "models.QuerySet[V]", pk: int, expected_version: int | None) -> V:
    """The record, row-locked, if nobody saved it since ``expected_version``."""
    record = queryset.select_for_update().get(pk=pk)
    if record.version != expected_version:
        raise record.stale_refusal()
    return record


def save_new_version(record: VersionedRecord, fields: Iterable[str] | None = None) -> None:
    """Save ``record`` (only ``fields`` when given) one version up."""
    record.version += 1
    if fields is None:
        record.save()
    else:
        record.save(update_fields=[*fields, "version"])


def assign_reference(instance: models.Model, prefix: str) -> str:
    """A readable file number like ``A-2026-00042`` from the primary key.

    References carry no personal data, so they may appear in URLs, e-mails
    and logs.
    """
    reference = f"{prefix}-{timezone.localdate().year}-{instance.pk:05d}"
    type(instance)._default_manager.filter(pk=instance.pk).update(reference=reference)
    instance.reference = reference  # type: ignore[attr-defined]
    return reference
