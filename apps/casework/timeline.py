"""What casework adds to the case timeline: notes, contacts, tasks, help plan versions.

Registered in ``CaseworkConfig.ready`` with :mod:`apps.core.timeline`. Each
provider is one query per source (two for tasks: created and done), cut at
``limit + 1`` rows. A confided note's text is read through
:func:`~apps.casework.models.text_readable_q`, so for anyone but its author
and the colleagues it was shared with the text never leaves the database.
"""

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


def _reader(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


def _actor(user: User | None) -> str:
    return str(user) if user is not None else "System"


def _notes(request: HttpRequest, case: Any) -> Any:
    user = _reader(request)
    if user is None:
        return None
    current_text = (
        NoteVersion.objects.filter(note=OuterRef("pk"))
        .filter(text_readable_q(user, via="note__"))
        .order_by("-number")
        .values("text")[:1]
    )
    return (
        CaseNote.objects.visible_to(user)
        .filter(case=case)
        .select_related("author")
        .annotate(current_text=Subquery(current_text))
    )


def _note(note: CaseNote, user: User) -> timeline.EntryText:
    if not note.can_read_text(user):
        return timeline.EntryText(
            title=f"Anvertraute Notiz von {note.author}", actor=_actor(note.author)
        )
    return timeline.EntryText(
        title="Anvertraute Notiz (§ 65 SGB VIII)" if note.confided else "Verlaufsnotiz",
        text=note.current_text or "",  # type: ignore[attr-defined]
        url=note.get_absolute_url(),
        actor=_actor(note.author),
    )


def _contacts(request: HttpRequest, case: Any) -> Any:
    user = _reader(request)
    if user is None:
        return None
    return Contact.objects.visible_to(user).filter(case=case).select_related("created_by")


def _contact(contact: Contact, user: User) -> timeline.EntryText:
    return timeline.EntryText(
        title=f"Kontakt ({contact.get_kind_display()}) mit {contact.with_whom}",
        text=contact.result,
        actor=_actor(contact.created_by),
    )


def _tasks(request: HttpRequest, case: Any) -> Any:
    user = _reader(request)
    if user is None:
        return None
    return (
        Task.objects.visible_to(user)
        .filter(case=case)
        .select_related("assignee", "created_by", "done_by")
    )


def _done_tasks(request: HttpRequest, case: Any) -> Any:
    tasks = _tasks(request, case)
    return None if tasks is None else tasks.filter(done_at__isnull=False)


def _task_set(task: Task, user: User) -> timeline.EntryText:
    return timeline.EntryText(
        title=f"Wiedervorlage angelegt: {task.title}",
        text=f"fällig am {task.due_date:%d.%m.%Y}, zuständig: {task.assignee}",
        actor=_actor(task.created_by),
    )


def _task_done(task: Task, user: User) -> timeline.EntryText:
    return timeline.EntryText(
        title=f"Wiedervorlage erledigt: {task.title}", actor=_actor(task.done_by)
    )


def _helpplans(request: HttpRequest, case: Any) -> Any:
    user = _reader(request)
    if user is None:
        return None
    return (
        HelpPlanVersion.objects.visible_to(user)
        .filter(plan__case=case)
        .select_related("plan", "created_by")
    )


def _helpplan(version: HelpPlanVersion, user: User) -> timeline.EntryText:
    return timeline.EntryText(
        title=f"Hilfeplan, Fassung {version.number}",
        text=f"Hilfeplangespräch am {version.meeting_date:%d.%m.%Y}, "
        f"nächste Überprüfung am {version.next_review:%d.%m.%Y}",
        url=version.get_absolute_url(),
        actor=_actor(version.created_by),
    )


def provide_kinds() -> None:
    """The kinds casework owns (called from ``CaseworkConfig.ready``).

    A task shows twice: when it was set, and when it was done.
    """
    timeline.provide_rows(timeline.NOTES, "Notizen", _notes, "created_at", _note)
    timeline.provide_rows(timeline.CONTACTS, "Kontakte", _contacts, "happened_at", _contact)
    timeline.provide_rows(timeline.TASKS, "Aufgaben", _tasks, "created_at", _task_set)
    timeline.provide_rows(timeline.TASKS, "Aufgaben", _done_tasks, "done_at", _task_done)
    timeline.provide_rows(timeline.HELP_PLAN, "Hilfeplan", _helpplans, "created_at", _helpplan)
