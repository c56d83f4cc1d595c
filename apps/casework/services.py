"""Writes on the case file that touch several records or have rules beyond a form."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.models import FAMILIENAMT_ROLES, Role, User
from apps.cases.models import Case
from apps.casework.models import CaseNote, Contact, NoteDraft, NoteShare, NoteVersion, Task
from apps.core.records import StaleRecord


def case_colleagues(case: Case) -> QuerySet[User]:
    """Who works on ``case``: its team's members and the Familienamt's staff."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role_assignments__role=Role.TEAM, role_assignments__team=case.team_id)
            | Q(role_assignments__role__in=FAMILIENAMT_ROLES)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@transaction.atomic
def note_create(*, case: Case, author: User, text: str, confided: bool) -> CaseNote:
    """Write a note as its first version and drop the author's draft for the case."""
    note = CaseNote.objects.create(case=case, author=author, confided=confided)
    NoteVersion.objects.create(note=note, number=1, text=text, created_by=author)
    NoteDraft.objects.filter(user=author, case=case).delete()
    return note


@transaction.atomic
def note_correct(*, note_id: int, actor: User, text: str, reason: str = "") -> NoteVersion:
    """Add the next version; only the author corrects their own note."""
    note = CaseNote.objects.select_for_update().get(pk=note_id)
    if note.author_id != actor.pk:
        raise PermissionDenied("Nur die Verfasserin oder der Verfasser kann korrigieren.")
    last = note.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return NoteVersion.objects.create(
        note=note, number=last + 1, text=text, reason=reason, created_by=actor
    )


@transaction.atomic
def note_share(
    *,
    note_id: int,
    actor: User,
    colleagues: list[User],
    consent_given_by: str,
    consent_given_on: datetime.date,
    consent_basis: str,
) -> list[NoteShare]:
    """Open a confided note's text to named colleagues, recording the consent (§65)."""
    note = CaseNote.objects.select_for_update().select_related("case").get(pk=note_id)
    if note.author_id != actor.pk:
        raise PermissionDenied("Nur die Verfasserin oder der Verfasser kann freigeben.")
    allowed = set(case_colleagues(note.case).values_list("pk", flat=True))
    already = set(
        note.shares.filter(revoked_at__isnull=True).values_list("shared_with_id", flat=True)
    )
    new = [c for c in colleagues if c.pk in allowed and c.pk not in already and c.pk != actor.pk]
    return NoteShare.objects.bulk_create(
        NoteShare(
            note=note,
            shared_with=colleague,
            consent_given_by=consent_given_by,
            consent_given_on=consent_given_on,
            consent_basis=consent_basis,
            created_by=actor,
        )
        for colleague in new
    )


def note_draft_save(*, case: Case, user: User, text: str, confided: bool) -> NoteDraft:
    draft, _ = NoteDraft.objects.update_or_create(
        user=user, case=case, defaults={"text": text, "confided": confided}
    )
    return draft


def _locked_task(task_id: int, expected_version: int) -> Task:
    task = Task.objects.select_for_update().select_related("case").get(pk=task_id)
    if task.version != expected_version:
        raise StaleRecord(
            f"Die Wiedervorlage „{task.title}“ wurde inzwischen von jemand anderem geändert. "
            "Ihre Änderung wurde nicht gespeichert; bitte prüfen Sie den aktuellen Stand."
        )
    return task


@transaction.atomic
def task_update(
    *,
    task_id: int,
    actor: User,
    expected_version: int,
    title: str,
    due_date: datetime.date,
    assignee: User,
) -> Task:
    task = _locked_task(task_id, expected_version)
    task.title, task.due_date, task.assignee = title, due_date, assignee
    task.version += 1
    task.save(update_fields=["title", "due_date", "assignee", "version"])
    return task


@transaction.atomic
def task_complete(*, task_id: int, actor: User, expected_version: int) -> Task:
    task = _locked_task(task_id, expected_version)
    if task.done_at is None:
        task.done_at = timezone.now()
        task.done_by = actor
        task.version += 1
        task.save(update_fields=["done_at", "done_by", "version"])
    return task


def contact_create(
    *,
    case: Case,
    actor: User,
    happened_at: datetime.datetime,
    kind: str,
    with_whom: str,
    result: str,
) -> Contact:
    return Contact.objects.create(
        case=case,
        created_by=actor,
        happened_at=happened_at,
        kind=kind,
        with_whom=with_whom,
        result=result,
    )
