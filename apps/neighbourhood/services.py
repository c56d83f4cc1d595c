"""Writes of neighbourhood work that need more than a form's save.

Edits never overwrite: each carries the version the person loaded, and a
save on top of someone else's newer version is refused with ``StaleRecord``.
"""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case
from apps.core.records import StaleRecord
from apps.neighbourhood.models import Activity, Resource, ResourceCaseLink

STALE_MESSAGE = (
    "{what} wurde inzwischen von jemand anderem geändert. Ihre Änderung wurde nicht "
    "gespeichert; bitte prüfen Sie den aktuellen Stand."
)


@dataclass(frozen=True)
class Change:
    """One field where the saved record and the person's input differ."""

    label: str
    saved: str
    yours: str


def _display(instance: Any, name: str, value: Any) -> str:
    field = instance._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return "–" if value in (None, "") else str(value)


def differences(instance: Any, values: dict[str, Any]) -> list[Change]:
    """What the saved ``instance`` says now versus what the person typed."""
    changes = []
    for name, yours in values.items():
        saved = getattr(instance, name)
        if saved != yours:
            label = str(instance._meta.get_field(name).verbose_name)
            changes.append(
                Change(label, _display(instance, name, saved), _display(instance, name, yours))
            )
    return changes


def _save_versioned(
    model: type[Activity] | type[Resource],
    *,
    pk: int,
    expected_version: int | None,
    values: dict[str, Any],
    what: str,
) -> Any:
    record = model.objects.select_for_update().get(pk=pk)
    if record.version != expected_version:
        raise StaleRecord(STALE_MESSAGE.format(what=what))
    for name, value in values.items():
        setattr(record, name, value)
    record.version += 1
    record.updated_at = timezone.now()
    record.save()
    return record


@transaction.atomic
def activity_update(
    *, activity_id: int, actor: User, expected_version: int | None, values: dict[str, Any]
) -> Activity:
    activity: Activity = _save_versioned(
        Activity,
        pk=activity_id,
        expected_version=expected_version,
        values=values,
        what="Die Aktivität",
    )
    return activity


@transaction.atomic
def resource_update(
    *, resource_id: int, actor: User, expected_version: int | None, values: dict[str, Any]
) -> Resource:
    resource: Resource = _save_versioned(
        Resource,
        pk=resource_id,
        expected_version=expected_version,
        values=values,
        what="Die Ressource",
    )
    return resource


def resource_link_case(
    *, resource: Resource, case: Case, actor: User, note: str
) -> tuple[ResourceCaseLink, bool]:
    """Link once; a second link of the same pair (a double click) returns the first."""
    try:
        with transaction.atomic():
            link = ResourceCaseLink.objects.create(
                resource=resource, case=case, note=note, created_by=actor
            )
    except IntegrityError:
        return ResourceCaseLink.objects.get(resource=resource, case=case), False
    return link, True
