"""Small helpers shared by the apps that keep versioned records."""

from django.db import models
from django.utils import timezone


class StaleRecord(Exception):
    """Someone else changed the record since this person loaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def assign_reference(instance: models.Model, prefix: str) -> str:
    """A readable file number like ``A-2026-00042`` from the primary key.

    References carry no personal data, so they may appear in URLs, e-mails
    and logs.
    """
    reference = f"{prefix}-{timezone.localdate().year}-{instance.pk:05d}"
    type(instance)._default_manager.filter(pk=instance.pk).update(reference=reference)
    instance.reference = reference  # type: ignore[attr-defined]
    return reference
