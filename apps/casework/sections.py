"""What casework adds to the case page and to the start page.

Each section's template gets one variable, ``panel``; the section's context is
``{"panel": ...}``, and the htmx views render the same templates' partials
with the same panel, so the page and its swaps cannot drift apart.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import CASEWORK_ROLES, User
from apps.cases.models import Case
from apps.casework.deadlines import DerivedDeadline, derived_deadlines
from apps.casework.forms import ContactForm, NoteForm, TaskForm
from apps.casework.models import (
    CaseHandover,
    CaseNote,
    Contact,
    HelpPlanVersion,
    NoteDraft,
    Task,
)
from apps.core.paging import KeysetPage, keyset_page
from apps.core.startpage import StartSection

NOTES_ON_CASE_PAGE = 20
CONTACTS_ON_CASE_PAGE = 20
TASKS_ON_START_PAGE = 10


def end_of_week(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=6 - today.weekday())


@dataclass
class NotesPanel:
    case: Case
    user: User
    page: KeysetPage[CaseNote]
    form: forms.BaseForm
    draft: NoteDraft | None = None

    @property
    def notes(self) -> list[CaseNote]:
        return self.page.rows


def notes_panel(
    user: User,
    case: Case,
    *,
    form: forms.BaseForm | None = None,
    cursor: str | None = None,
    size: int = NOTES_ON_CASE_PAGE,
) -> NotesPanel:
    """A page of the case's notes, newest first, and the note form."""
    notes = CaseNote.objects.visible_to(user).filter(case=case).with_history_for(user)
    page = keyset_page(notes, ("-pk",), cursor, size)
    draft = NoteDraft.objects.filter(user=user, case=case).first()
    if form is None:
        initial = {"text": draft.text, "confided": draft.confided} if draft else {}
        form = NoteForm(initial=initial)
    # Typing saves a draft (server side) a moment after the last key.
    form.fields["text"].widget.attrs.update(
        {
            "hx-post": reverse("casework:note_draft", args=[case.pk]),
            "hx-trigger": "input changed delay:2s",
            "hx-target": "#notiz-entwurf-status",
            "hx-swap": "innerHTML",
            "hx-include": "closest form",
            "hx-sync": "closest form:abort",
        }
    )
    return NotesPanel(
        case=case,
        user=user,
        page=page,
        form=form,
        draft=draft,
    )


@dataclass
class TasksPanel:
    case: Case
    open_tasks: list[Task]
    done_tasks: list[Task]
    deadlines: list[DerivedDeadline]
    form: forms.BaseForm
    today: datetime.date = field(default_factory=timezone.localdate)


def tasks_panel(user: User, case: Case, *, form: forms.BaseForm | None = None) -> TasksPanel:
    tasks = list(
        Task.objects.visible_to(user)
        .filter(case=case)
        .select_related("assignee", "done_by")
        .order_by("done_at", "due_date", "pk")
    )
    done = sorted((t for t in tasks if t.is_done), key=lambda t: t.done_at, reverse=True)  # type: ignore[arg-type,return-value]
    return TasksPanel(
        case=case,
        open_tasks=[t for t in tasks if not t.is_done],
        done_tasks=done[:5],
        deadlines=derived_deadlines(case),
        form=form or TaskForm(case=case),
    )


@dataclass
class ContactsPanel:
    case: Case
    contacts: list[Contact]
    form: forms.BaseForm


def contacts_panel(user: User, case: Case, *, form: forms.BaseForm | None = None) -> ContactsPanel:
    contacts = list(
        Contact.objects.visible_to(user)
        .filter(case=case)
        .select_related("created_by")[:CONTACTS_ON_CASE_PAGE]
    )
    return ContactsPanel(
        case=case,
        contacts=contacts,
        form=form or ContactForm(initial={"happened_at": timezone.localtime().replace(second=0)}),
    )


def _casework_user(request: HttpRequest) -> User | None:
    user = request.user
    if not isinstance(user, User) or not user.role_names & CASEWORK_ROLES:
        return None
    return user


def notes_section(request: HttpRequest, case: Any) -> StartSection | None:
    user = _casework_user(request)
    if user is None:
        return None
    return StartSection(
        "Verlaufsnotizen", "casework/section_notes.html", {"panel": notes_panel(user, case)}
    )


def tasks_section(request: HttpRequest, case: Any) -> StartSection | None:
    user = _casework_user(request)
    if user is None:
        return None
    return StartSection(
        "Wiedervorlagen und Fristen",
        "casework/section_tasks.html",
        {"panel": tasks_panel(user, case)},
    )


def contacts_section(request: HttpRequest, case: Any) -> StartSection | None:
    user = _casework_user(request)
    if user is None:
        return None
    return StartSection(
        "Kontakte", "casework/section_contacts.html", {"panel": contacts_panel(user, case)}
    )


@dataclass
class MyTasksPanel:
    tasks: list[Task]
    today: datetime.date


def start_tasks_section(request: HttpRequest) -> StartSection | None:
    user = _casework_user(request)
    if user is None:
        return None
    today = timezone.localdate()
    tasks = list(
        Task.objects.visible_to(user)
        .filter(assignee=user)
        .due_by(end_of_week(today))
        .select_related("case")
        .order_by("due_date", "pk")[:TASKS_ON_START_PAGE]
    )
    return StartSection(
        "Ihre Aufgaben",
        "casework/start_tasks.html",
        {"panel": MyTasksPanel(tasks=tasks, today=today)},
    )


# Help plan and handover -----------------------------------------------------------

HANDOVERS_ON_START_PAGE = 10


@dataclass
class HelpPlanPanel:
    case: Case
    version: HelpPlanVersion | None
    today: datetime.date = field(default_factory=timezone.localdate)


def helpplan_section(request: HttpRequest, case: Any) -> StartSection | None:
    user = _casework_user(request)
    if user is None:
        return None
    version = (
        HelpPlanVersion.objects.visible_to(user)
        .filter(plan__case=case)
        .only("number", "meeting_date", "help_kind", "next_review")
        .order_by("-number")
        .first()
    )
    return StartSection(
        "Hilfeplan (§ 36 SGB VIII)",
        "casework/helpplan_section.html",
        {"panel": HelpPlanPanel(case=case, version=version)},
    )


@dataclass
class HandoverPanel:
    case: Case
    pending: CaseHandover | None
    may_propose: bool


def handover_section(request: HttpRequest, case: Any) -> StartSection | None:
    user = _casework_user(request)
    if user is None:
        return None
    pending = CaseHandover.objects.filter(case=case).pending().select_related("to_team").first()
    may_propose = user.is_familienamt or any(team.pk == case.team_id for team in user.teams)
    return StartSection(
        "Übergabe an ein anderes Team",
        "casework/handover_section.html",
        {"panel": HandoverPanel(case=case, pending=pending, may_propose=may_propose)},
    )


@dataclass
class IncomingHandoversPanel:
    handovers: list[CaseHandover]


def start_handovers_section(request: HttpRequest) -> StartSection | None:
    """Pending handovers to the person's teams; nothing when none wait."""
    user = request.user
    if not isinstance(user, User) or not user.teams:
        return None
    handovers = list(
        CaseHandover.objects.pending()
        .filter(to_team__in=user.teams)
        .select_related("case", "from_team")
        .order_by("proposed_at", "pk")[:HANDOVERS_ON_START_PAGE]
    )
    if not handovers:
        return None
    return StartSection(
        "Übergaben an Ihr Team",
        "casework/handover_start.html",
        {"panel": IncomingHandoversPanel(handovers=handovers)},
    )
