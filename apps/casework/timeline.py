"""What casework adds to the case timeline: notes, contacts, tasks, help plan versions.

Registered in ``CaseworkConfig.ready`` with :mod:`apps.core.timeline`. Each
provider is one query per source (two for tasks: created and done), cut at
``limit + 1`` rows. A confided note's text is read through
:func:`~apps.casework.models.text_readable_q`, so for anyone but its author
and the colleagues it was shared with the text never leaves the database.
"""

import datetime
from collections.abc import Collection
from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest

from apps.accounts.models import User
from apps.casework.models import (
    CaseNote,
    Contact,
    HelpPlanVersion,
    NoteVersion,
    Task,
    text_readable_q,
)
from apps.core import timeline
from apps.core.timeline import TimelineEntry


def _reader(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


def _actor(user: User | None) -> str:
    return str(user) if user is not None else "System"


def note_entries(
    request: HttpRequest,
    case: Any,
    kinds: Collection[str],
    limit: int,
    before: datetime.datetime | None,
) -> list[TimelineEntry]:
    user = _reader(request)
    if timeline.NOTES not in kinds or user is None:
        return []
    current_text = (
        NoteVersion.objects.filter(note=OuterRef("pk"))
        .filter(text_readable_q(user, via="note__"))
        .order_by("-number")
        .values("text")[:1]
    )
    notes = (
        CaseNote.objects.visible_to(user)
        .filter(case=case)
        .select_related("author")
        .annotate(current_text=Subquery(current_text))
    )
    entries = []
    for note in timeline.newest(notes, "created_at", before, limit):
        readable = note.can_read_text(user)
        if not readable:
            title = f"Anvertraute Notiz von {note.author}"
        elif note.confided:
            title = "Anvertraute Notiz (§ 65 SGB VIII)"
        else:
            title = "Verlaufsnotiz"
        entries.append(
            TimelineEntry(
                at=note.created_at,
                kind=timeline.NOTES,
                kind_label=timeline.label(timeline.NOTES),
                title=title,
                text=(note.current_text or "") if readable else "",
                url=note.get_absolute_url() if readable else "",
                actor=_actor(note.author),
            )
        )
    return entries


def contact_entries(
    request: HttpRequest,
    case: Any,
    kinds: Collection[str],
    limit: int,
    before: datetime.datetime | None,
) -> list[TimelineEntry]:
    user = _reader(request)
    if timeline.CONTACTS not in kinds or user is None:
        return []
    contacts = Contact.objects.visible_to(user).filter(case=case).select_related("created_by")
    return [
        TimelineEntry(
            at=contact.happened_at,
            kind=timeline.CONTACTS,
            kind_label=timeline.label(timeline.CONTACTS),
            title=f"Kontakt ({contact.get_kind_display()}) mit {contact.with_whom}",
            text=contact.result,
            actor=_actor(contact.created_by),
        )
        for contact in timeline.newest(contacts, "happened_at", before, limit)
    ]


def task_entries(
    request: HttpRequest,
    case: Any,
    kinds: Collection[str],
    limit: int,
    before: datetime.datetime | None,
) -> list[TimelineEntry]:
    """A task shows twice: when it was set, and when it was done."""
    user = _reader(request)
    if timeline.TASKS not in kinds or user is None:
        return []
    tasks = (
        Task.objects.visible_to(user)
        .filter(case=case)
        .select_related("assignee", "created_by", "done_by")
    )
    done = tasks.filter(done_at__isnull=False)
    label = timeline.label(timeline.TASKS)
    entries = [
        TimelineEntry(
            at=task.created_at,
            kind=timeline.TASKS,
            kind_label=label,
            title=f"Wiedervorlage angelegt: {task.title}",
            text=f"fällig am {task.due_date:%d.%m.%Y}, zuständig: {task.assignee}",
            actor=_actor(task.created_by),
        )
        for task in timeline.newest(tasks, "created_at", before, limit)
    ]
    entries += [
        TimelineEntry(
            at=task.done_at,
            kind=timeline.TASKS,
            kind_label=label,
            title=f"Wiedervorlage erledigt: {task.title}",
            actor=_actor(task.done_by),
        )
        for task in timeline.newest(done, "done_at", before, limit)
        if task.done_at is not None
    ]
    return entries


def helpplan_entries(
    request: HttpRequest,
    case: Any,
    kinds: Collection[str],
    limit: int,
    before: datetime.datetime | None,
) -> list[TimelineEntry]:
    user = _reader(request)
    if timeline.HELP_PLAN not in kinds or user is None:
        return []
    versions = (
        HelpPlanVersion.objects.visible_to(user)
        .filter(plan__case=case)
        .select_related("plan", "created_by")
    )
    return [
        TimelineEntry(
            at=version.created_at,
            kind=timeline.HELP_PLAN,
            kind_label=timeline.label(timeline.HELP_PLAN),
            title=f"Hilfeplan, Fassung {version.number}",
            text=f"Hilfeplangespräch am {version.meeting_date:%d.%m.%Y}, "
            f"nächste Überprüfung am {version.next_review:%d.%m.%Y}",
            url=version.get_absolute_url(),
            actor=_actor(version.created_by),
        )
        for version in timeline.newest(versions, "created_at", before, limit)
    ]


def provide_kinds() -> None:
    """The kinds casework owns (called from ``CaseworkConfig.ready``)."""
    timeline.provide(timeline.NOTES, "Notizen", note_entries)
    timeline.provide(timeline.CONTACTS, "Kontakte", contact_entries)
    timeline.provide(timeline.TASKS, "Aufgaben", task_entries)
    timeline.provide(timeline.HELP_PLAN, "Hilfeplan", helpplan_entries)
