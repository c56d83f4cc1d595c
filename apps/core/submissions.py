"""Create forms are idempotent: a double click or a reload after POST creates one record.

Every create form carries a hidden one-time key (:class:`SubmissionKeyMixin`,
a new key each time the empty form is shown). The view runs its create
service through :func:`once`: the first POST with a key claims it and
creates the record; a repeat with the same key (also one that arrives while
the first is still running: it waits on the key's unique index) gets the
record created the first time and creates nothing. A POST without a key
(an old page, a script) is handled as before.

Keys are per person: somebody else's key never finds another person's record.
Spent keys older than :data:`KEEP_DAYS` are deleted by ``prune``.

Where validating the repeat again would refuse it (the case is on the agenda
now, the request's version moved on), the view asks :func:`sent_before` first
and answers like the first POST. A forged or mangled key is refused with
:data:`FORGED` above the form. Every create view is marked :func:`creates`;
``tests/authz/test_submission_keys.py`` walks every form each persona reaches
and fails for a POST form that is neither marked (and carries the key) nor
listed there as creating nothing.
"""

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from apps.core.models import SubmissionKey

FIELD = "submission_key"
KEEP_DAYS = 7
FORGED = (
    "Das Formular war nicht mehr gültig und wurde nicht gespeichert. "
    "Bitte prüfen Sie die Angaben und senden Sie es noch einmal."
)


def creates[V: Callable[..., Any]](view: V) -> V:
    """Mark ``view`` as one whose POST creates a record (its form has the key, see above)."""
    view.creates_records = True  # type: ignore[attr-defined]
    return view


class SubmissionKeyMixin:
    """Adds the hidden key; after cleaning it is ``form.submission_key`` (not in cleaned_data,
    so ``**form.cleaned_data`` still fits the create service)."""

    submission_key: uuid.UUID | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.UUIDField(  # type: ignore[attr-defined]
            widget=forms.HiddenInput,
            required=False,
            initial=uuid.uuid4,
            error_messages={"invalid": FORGED},
        )

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        errors = getattr(self, "_errors", None)
        if errors and FIELD in errors:
            # A forged or mangled key: said above the form (the field is hidden), nothing saved.
            del errors[FIELD]
            self.add_error(None, FORGED)  # type: ignore[attr-defined]
        cleaned = getattr(self, "cleaned_data", None)
        if cleaned is not None:
            self.submission_key = cleaned.pop(FIELD, None)


def sent_before(form: Any, user: Any) -> Any:
    """The record ``form``'s posted key already created for ``user``, else None.

    Asked before the form is validated: a repeat must answer like the first
    POST even where validating again would refuse it (the case is on the
    agenda now, the request's version moved on, a handover is pending).
    """
    field = form.fields.get(FIELD)
    if field is None or not form.is_bound:
        return None
    try:
        key = field.clean(form.data.get(FIELD))
    except forms.ValidationError:
        return None
    return _earlier(user, key) if key is not None else None


def once[M: models.Model](
    user: Any, key: uuid.UUID | None, create: Callable[[], M]
) -> tuple[M, bool]:
    """``(record, created)``: ``create()`` on the key's first use, else its first record."""
    if key is None:
        return create(), True
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = SubmissionKey.objects.create(user=user, key=key)
        except IntegrityError:
            earlier = _earlier(user, key)
            if earlier is not None:
                return earlier, False
            # The first record is gone since (deleted): this POST stands on its own.
            return create(), True
        record = create()
        claim.model = record._meta.label_lower
        claim.object_pk = str(record.pk)
        claim.save(update_fields=["model", "object_pk"])
        return record, True


def spent(user: Any, key: object) -> bool:
    """Whether ``user`` already sent a form with ``key`` (a late autosave must not bring
    the draft of a sent form back)."""
    try:
        value = uuid.UUID(str(key))
    except ValueError:
        return False
    return SubmissionKey.objects.filter(user=user, key=value).exists()


def _earlier(user: Any, key: uuid.UUID) -> Any:
    claim = SubmissionKey.objects.filter(user=user, key=key).first()
    if claim is None or not claim.model:
        return None
    return apps.get_model(claim.model)._default_manager.filter(pk=claim.object_pk).first()


def prune() -> int:
    cutoff = timezone.now() - timedelta(days=KEEP_DAYS)
    deleted, _ = SubmissionKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
