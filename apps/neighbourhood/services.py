"""Writes of neighbourhood work that need more than a form's save.

Edits never overwrite: each carries the version the person loaded, and a
save on top of someone else's newer version is refused with ``StaleRecord``.
"""

from typing import Any, cast

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case
from apps.core.records import lock_version, save_new_version
from apps.neighbourhood.models import Activity, Resource, ResourceCaseLink


def _save_versioned(
    model: type[Activity] | type[Resource],
    *,
    pk: int,
    expected_version: int | None,
    values: dict[str, Any],
) -> Any:
    record = cast(Activity | Resource, lock_version(model.objects.all(), pk, expected_version))
    for name, value in values.items():
        setattr(record, name, value)
    record.updated_at = timezone.now()
    save_new_version(record)
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
