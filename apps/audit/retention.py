"""Retention: which records have outlived their rule, and deleting them with all they hold.

The periods are data (:class:`~apps.audit.models.RetentionRule`); this module
only knows which records each kind covers:

* ``case_eingliederungshilfe_erziehungshilfe``: closed cases whose help kind
  is Erziehungshilfe or Eingliederungshilfe (§ 9b SGB VIII),
* ``case_other``: every other closed case,
* ``referral_without_case``: rejected requests that never became a case.

Open cases are never due, whatever the rule says. A record under an active
:class:`~apps.audit.models.LegalHold` (on itself, its person or its request)
is never due either.

Deleting is generic: :func:`purge` walks the reverse relations of the
deleted rows (``_meta.related_objects``) and deletes every row that hangs
off them, depth first, including rows that ``PROTECT`` their parent. So a
model added later with a foreign key to a case, a request or a person is
deleted with it without a change here. What stays is one access-log entry
per deleted record: its type, number and Aktenzeichen, the rule, and the due
date; never a name or content.
"""

import datetime
from calendar import monthrange
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.audit.log import log_event
from apps.audit.models import AccessLogEntry, Action, LegalHold, RetentionRule
from apps.cases.models import Case, HelpKind, Person
from apps.core.slots import Slot
from apps.referrals.models import Referral, ReferralEvent
from apps.referrals.workflow import Status

Kind = RetentionRule.Kind
Anchor = RetentionRule.Anchor

JOB_NAME = "audit:apply_retention"
# Rows the job must never touch, even when they point at a deleted record.
UNTOUCHABLE = frozenset({AccessLogEntry})
# Cutoffs are computed by whole months; month ends can shift a due date by up
# to three days, so the query reaches a little further and Python decides.
SLACK = datetime.timedelta(days=3)

PurgeHook = Callable[[type[models.Model], list[Any]], None]

PURGED: Slot[PurgeHook] = Slot(
    "retention_purged",
    places=("history",),  # history: the change snapshots of the deleted rows
    contract=(
        "Apps that keep copies of rows elsewhere provide a function that gets the "
        "model and the primary keys of the rows just deleted (in the same "
        "transaction) and deletes their copies; it returns nothing."
    ),
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole months (negative too); a missing day is the month's last."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


@dataclass(frozen=True)
class DueItem:
    """One record and the day its rule lets it go."""

    rule: RetentionRule
    obj: Case | Referral
    due_date: datetime.date

    @property
    def kind(self) -> str:
        return self.rule.kind

    @property
    def object_type(self) -> str:
        return "case" if isinstance(self.obj, Case) else "referral"

    @property
    def label(self) -> str:
        noun = "Fall" if isinstance(self.obj, Case) else "Anfrage"
        return f"{noun} {self.obj.reference}"


# --- what is due ----------------------------------------------------------------------


def _active_holds() -> models.QuerySet[LegalHold]:
    return LegalHold.objects.filter(released_at__isnull=True)


def _case_held() -> Q:
    holds = _active_holds()
    return (
        Q(Exists(holds.filter(case=OuterRef("pk"))))
        | Q(Exists(holds.filter(person=OuterRef("person_id"))))
        | Q(Exists(holds.filter(referral=OuterRef("referral_id"))))
    )


def _local_date(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


def _due_cases(rule: RetentionRule, until: datetime.date) -> list[DueItem]:
    cases = Case.objects.filter(status=Status.CLOSED).exclude(_case_held())
    if rule.kind == Kind.CASE_9B:
        cases = cases.filter(help_kind__group__in=HelpKind.LONG_RETENTION_GROUPS)
    else:
        cases = cases.exclude(help_kind__group__in=HelpKind.LONG_RETENTION_GROUPS)
    cutoff = add_months(until, -rule.period_months) + SLACK
    anchor_of: Callable[[Case], datetime.date | None]
    if rule.anchor == Anchor.DATE_OF_BIRTH:
        cases = cases.filter(person__date_of_birth__lte=cutoff)
        anchor_of = lambda case: case.person.date_of_birth  # noqa: E731
    elif rule.anchor == Anchor.CLOSED_AT:
        cases = cases.filter(closed_at__date__lte=cutoff)
        anchor_of = lambda case: _local_date(case.closed_at) if case.closed_at else None  # noqa: E731
    else:
        return []
    items = []
    for case in cases.select_related("person").order_by("pk"):
        anchor = anchor_of(case)
        if anchor is None:
            continue
        due = add_months(anchor, rule.period_months)
        if due <= until:
            items.append(DueItem(rule, case, due))
    return items


def _due_referrals(rule: RetentionRule, until: datetime.date) -> list[DueItem]:
    rejected_at = (
        ReferralEvent.objects.filter(referral=OuterRef("pk"), to_status=Status.REJECTED)
        .order_by("-at")
        .values("at")[:1]
    )
    referrals = (
        Referral.objects.filter(status=Status.REJECTED, case__isnull=True)
        .exclude(Exists(_active_holds().filter(referral=OuterRef("pk"))))
        .annotate(ended_at=Coalesce(Subquery(rejected_at), F("updated_at")))
    )
    cutoff = add_months(until, -rule.period_months) + SLACK
    if rule.anchor == Anchor.ENDED_AT:
        referrals = referrals.filter(ended_at__date__lte=cutoff)
        field = "ended_at"
    elif rule.anchor == Anchor.RECEIVED_AT:
        referrals = referrals.filter(received_at__date__lte=cutoff)
        field = "received_at"
    else:
        return []
    items = []
    for referral in referrals.order_by("pk"):
        due = add_months(_local_date(getattr(referral, field)), rule.period_months)
        if due <= until:
            items.append(DueItem(rule, referral, due))
    return items


def due_until(until: datetime.date) -> list[DueItem]:
    """Everything whose retention ends on or before ``until``, earliest first.

    One query per active rule, however many records are due.
    """
    items: list[DueItem] = []
    for rule in RetentionRule.objects.filter(active=True):
        if rule.kind == Kind.REFERRAL_WITHOUT_CASE:
            items += _due_referrals(rule, until)
        else:
            items += _due_cases(rule, until)
    return sorted(items, key=lambda item: (item.due_date, item.object_type, item.obj.pk))


def expired(today: datetime.date | None = None) -> list[DueItem]:
    """What the next run deletes: records whose retention ended by ``today``."""
    return due_until(today or timezone.localdate())


# --- deleting -----------------------------------------------------------------------------

DELETING_RULES = (models.CASCADE, models.PROTECT, models.RESTRICT, models.DO_NOTHING)


def _file_names(rows: models.QuerySet[Any]) -> list[tuple[Any, str]]:
    file_fields = [f for f in rows.model._meta.concrete_fields if isinstance(f, models.FileField)]
    found = []
    for field in file_fields:
        for name in rows.exclude(**{field.attname: ""}).values_list(field.attname, flat=True):
            if name:
                found.append((field.storage, name))
    return found


def purge(rows: models.QuerySet[Any], *, _path: frozenset[type] = frozenset()) -> int:
    """Delete ``rows`` and every row that hangs off them; files go after the commit.

    Rows that would merely lose their link (``SET_NULL``) are left to Django.
    Returns the number of rows deleted.
    """
    model = rows.model
    path = _path | {model}
    deleted = 0
    for relation in model._meta.related_objects:
        child = relation.related_model
        if relation.many_to_many or child in path or child in UNTOUCHABLE:
            continue
        if relation.on_delete not in DELETING_RULES:
            continue
        field = relation.field
        children = child._base_manager.filter(
            **{f"{field.name}__in": rows.values(field.target_field.attname)}
        )
        if children.exists():
            deleted += purge(children, _path=path)
    hooks = [hook for _, hook in PURGED.providers()]
    pks = list(rows.values_list("pk", flat=True)) if hooks else []
    files = _file_names(rows)
    count, _ = rows.delete()
    # After the delete: change-history triggers record the deletion itself,
    # and that record must go too.
    for hook in hooks:
        hook(model, pks)
    for storage, name in files:
        transaction.on_commit(partial(storage.delete, name), robust=True)
    return deleted + count


def _log_deleted(item: DueItem, object_type: str, obj: Any, case_id: int | None) -> None:
    purpose = (
        f"Aufbewahrungsfrist abgelaufen am {item.due_date:%d.%m.%Y}; "
        f"Regel Nr. {item.rule.pk}: {item.rule.get_kind_display()} "
        f"({item.rule.period_label} ab {item.rule.get_anchor_display()})"
    )
    log_event(
        None,
        Action.DELETE,
        object_type=object_type,
        object_id=obj.pk,
        object_reference=str(getattr(obj, "reference", "") or ""),
        case_id=case_id,
        path_name=JOB_NAME,
        purpose=purpose,
    )


def _delete_case(item: DueItem) -> None:
    case = Case.objects.select_for_update().filter(pk=item.obj.pk).first()
    if case is None or Case.objects.filter(pk=case.pk).filter(_case_held()).exists():
        return
    person_id, referral_id = case.person_id, case.referral_id
    purge(Case.objects.filter(pk=case.pk))
    _log_deleted(item, "case", case, case.pk)
    if referral_id is not None:
        referral = Referral.objects.filter(pk=referral_id).first()
        if referral is not None:
            purge(Referral.objects.filter(pk=referral_id))
            _log_deleted(item, "referral", referral, case.pk)
    person_stays = (
        Case.objects.filter(person_id=person_id).exists()
        or _active_holds().filter(person_id=person_id).exists()
    )
    if not person_stays:
        person = Person.objects.get(pk=person_id)
        purge(Person.objects.filter(pk=person_id))
        _log_deleted(item, "person", person, None)


def _delete_referral(item: DueItem) -> None:
    referral = Referral.objects.select_for_update().filter(pk=item.obj.pk).first()
    if referral is None or _active_holds().filter(referral=referral).exists():
        return
    if Case.objects.filter(referral=referral).exists():
        return  # became a case meanwhile: the case's rule decides
    purge(Referral.objects.filter(pk=referral.pk))
    _log_deleted(item, "referral", referral, None)


def delete_item(item: DueItem) -> None:
    """Delete one due record with all it holds, in one transaction."""
    with transaction.atomic():
        if isinstance(item.obj, Case):
            _delete_case(item)
        else:
            _delete_referral(item)


def apply(*, dry_run: bool = False, today: datetime.date | None = None) -> list[DueItem]:
    """Delete what has expired (or, with ``dry_run``, only say what would go)."""
    items = expired(today)
    if not dry_run:
        for item in items:
            delete_item(item)
    return items


def describe(items: Iterable[DueItem]) -> list[str]:
    """One line per item for the command's output: number and reference, never a name."""
    return [
        f"{item.due_date:%d.%m.%Y}  {item.label} (Nr. {item.obj.pk})  "
        f"Regel: {item.rule.get_kind_display()}"
        for item in items
    ]
