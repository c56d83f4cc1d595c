"""Notes, drafts, tasks and contacts on the case page.

The forms post normally and redirect back to the case page; with htmx the
same views answer with the section's partial, so the page stays put.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from apps.accounts.models import CASEWORK_ROLES
from apps.cases.models import Case
from apps.casework import services
from apps.casework.forms import (
    ContactForm,
    NoteCorrectionForm,
    NoteForm,
    NoteShareForm,
    TaskEditForm,
    TaskForm,
)
from apps.casework.models import CaseNote, Task
from apps.casework.sections import (
    contacts_panel,
    end_of_week,
    notes_panel,
    tasks_panel,
)
from apps.core import drafts, submissions
from apps.core.access import roles_required
from apps.core.forms import LONG_TEXT
from apps.core.htmx import partial_template
from apps.core.http import AuthenticatedHttpRequest
from apps.core.paging import CURSOR_PARAM, keyset_page
from apps.core.refusals import StaleRecord, model_values, refused_response


def _case(request: AuthenticatedHttpRequest, case_pk: int) -> Case:
    """The case if the user may see it; 404 hides other teams' cases."""
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related("team"), pk=case_pk
    )


def _note(request: AuthenticatedHttpRequest, case: Case, note_pk: int) -> CaseNote:
    user = request.user
    return get_object_or_404(
        CaseNote.objects.visible_to(user).filter(case=case).with_history_for(user), pk=note_pk
    )


def _own_note(request: AuthenticatedHttpRequest, case: Case, note_pk: int) -> CaseNote:
    note = _note(request, case, note_pk)
    if note.author_id != request.user.pk:
        raise PermissionDenied  # visible, but only its author corrects or shares it
    return note


def _is_swap(request: AuthenticatedHttpRequest) -> bool:
    return "#" in partial_template(request, "", "swap")


def _page_or_partial(
    request: AuthenticatedHttpRequest, page: str, section: str, partial: str
) -> str:
    """The whole page, or for an htmx swap one partial of the case-page section."""
    return f"{section}#{partial}" if _is_swap(request) else page


def _back_to_case(case: Case, anchor: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{case.get_absolute_url()}#{anchor}")


def _first_error(form: Any) -> str:
    return next(iter(form.errors.values()))[0] if form.errors else ""


# Notes -----------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
@roles_required(*CASEWORK_ROLES)
def note_list(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    panel = notes_panel(request.user, case, cursor=request.GET.get(CURSOR_PARAM), size=50)
    template = _page_or_partial(
        request, "casework/notes.html", "casework/section_notes.html", "notes-list"
    )
    return render(request, template, {"panel": panel, "case": case})


@submissions.creates
@require_POST
@vary_on_headers("HX-Request")
@roles_required(*CASEWORK_ROLES)
def note_create(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    user = request.user
    form = NoteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        submissions.once(
            user,
            form.submission_key,
            lambda: services.note_create(
                case=case, author=user, text=data["text"], confided=data["confided"]
            ),
        )
        if not _is_swap(request):
            messages.success(request, "Die Notiz ist gespeichert.")
            return _back_to_case(case, "notizen")
    # After a save the panel shows an empty form; after an error, the typed text.
    panel = notes_panel(user, case, form=None if form.is_valid() else form)
    template = _page_or_partial(
        request, "casework/notes.html", "casework/section_notes.html", "notes-panel"
    )
    return render(request, template, {"panel": panel, "case": case})


@require_POST
@drafts.autosave_view("casework/section_notes.html#draft-expired")
@roles_required(*CASEWORK_ROLES)
def note_draft_save(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    text = request.POST.get("text", "")
    refused = drafts.refusal({"text": text}, max_field=LONG_TEXT)
    if refused:
        return render(
            request,
            "casework/section_notes.html#draft-status",
            {"draft_error": refused},
            status=400,
        )
    draft = services.note_draft_save(
        case=case,
        user=request.user,
        text=text,
        confided=request.POST.get("confided") == "on",
    )
    return render(request, "casework/section_notes.html#draft-status", {"draft": draft})


@require_GET
@roles_required(*CASEWORK_ROLES)
def note_history(request: AuthenticatedHttpRequest, case_pk: int, note_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    note = _note(request, case, note_pk)
    return render(
        request,
        "casework/note_history.html",
        {"case": case, "note": note, "readable": note.can_read_text(request.user)},
    )


@submissions.creates
@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def note_correct(request: AuthenticatedHttpRequest, case_pk: int, note_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    note = _own_note(request, case, note_pk)
    current = note.current_version
    current_text = current.text if current else ""
    form = NoteCorrectionForm(
        request.POST or None, initial={"text": current_text}, current_text=current_text
    )
    # A repeat would be refused as unchanged text: it gets the first POST's answer.
    sent = submissions.sent_before(form, request.user) is not None
    if not sent and request.method == "POST" and form.is_valid():
        submissions.once(
            request.user,
            form.submission_key,
            lambda: services.note_correct(
                note_id=note.pk,
                actor=request.user,
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
            ),
        )
        sent = True
    if sent:
        messages.success(
            request, "Die Korrektur ist gespeichert; die frühere Fassung bleibt lesbar."
        )
        return HttpResponseRedirect(note.get_absolute_url())
    return render(request, "casework/note_correct.html", {"case": case, "note": note, "form": form})


@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def note_share(request: AuthenticatedHttpRequest, case_pk: int, note_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    note = _own_note(request, case, note_pk)
    if not note.confided:
        messages.info(request, "Diese Notiz ist nicht anvertraut; alle im Fall sehen sie schon.")
        return HttpResponseRedirect(note.get_absolute_url())
    user = request.user
    form = NoteShareForm(request.POST or None, case=case, author=user)
    if request.method == "POST" and form.is_valid():
        shares = services.note_share(
            note_id=note.pk,
            actor=user,
            colleagues=list(form.cleaned_data["colleagues"]),
            consent_given_by=form.cleaned_data["consent_given_by"],
            consent_given_on=form.cleaned_data["consent_given_on"],
            consent_basis=form.cleaned_data["consent_basis"],
        )
        names = ", ".join(str(share.shared_with) for share in shares)
        messages.success(
            request,
            f"Freigegeben für: {names}." if shares else "Diese Personen hatten die Notiz schon.",
        )
        return HttpResponseRedirect(note.get_absolute_url())
    return render(request, "casework/note_share.html", {"case": case, "note": note, "form": form})


# Tasks -----------------------------------------------------------------------


def _tasks_response(
    request: AuthenticatedHttpRequest, case: Case, *, form: Any = None, error: str = ""
) -> HttpResponse:
    panel = tasks_panel(request.user, case, form=form)
    return render(
        request,
        _page_or_partial(
            request, "casework/task_form.html", "casework/section_tasks.html", "tasks-panel"
        ),
        {"panel": panel, "case": case, "error": error, "form": form or panel.form},
    )


@submissions.creates
@require_POST
@vary_on_headers("HX-Request")
@roles_required(*CASEWORK_ROLES)
def task_create(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    form = TaskForm(request.POST, case=case)
    if not form.is_valid():
        return _tasks_response(request, case, form=form)

    def create() -> Task:
        task = form.save(commit=False)
        task.case = case
        task.created_by = request.user
        task.save()
        return task

    submissions.once(request.user, form.submission_key, create)
    if _is_swap(request):
        return _tasks_response(request, case)
    messages.success(request, "Die Wiedervorlage ist angelegt.")
    return _back_to_case(case, "wiedervorlagen")


def _task(request: AuthenticatedHttpRequest, case: Case, task_pk: int) -> Task:
    return get_object_or_404(
        Task.objects.visible_to(request.user).filter(case=case).select_related("assignee"),
        pk=task_pk,
    )


@require_POST
@vary_on_headers("HX-Request")
@roles_required(*CASEWORK_ROLES)
def task_done(request: AuthenticatedHttpRequest, case_pk: int, task_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    task = _task(request, case, task_pk)
    version = request.POST.get("version", "")
    error = ""
    try:
        services.task_complete(
            task_id=task.pk,
            actor=request.user,
            expected_version=int(version) if version.isdigit() else -1,
        )
    except StaleRecord as stale:
        error = stale.message
    if _is_swap(request):
        return _tasks_response(request, case, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Die Wiedervorlage ist erledigt.")
    return _back_to_case(case, "wiedervorlagen")


@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def task_edit(request: AuthenticatedHttpRequest, case_pk: int, task_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    task = _task(request, case, task_pk)
    if request.method == "GET":
        form = TaskEditForm(instance=task, initial={"version": task.version}, case=case)
        return render(
            request, "casework/task_edit.html", {"case": case, "task": task, "form": form}
        )
    # The form never saves itself: the service checks the version first.
    form = TaskEditForm(request.POST, instance=Task(case=case), case=case)
    if not form.is_valid():
        return render(
            request, "casework/task_edit.html", {"case": case, "task": task, "form": form}
        )
    names = ["title", "due_date", "assignee"]
    try:
        services.task_update(
            task_id=task.pk,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            **{name: form.cleaned_data[name] for name in names},
        )
    except StaleRecord as error:
        # What is saved now next to what the person typed; the next save
        # builds on the current version.
        data = request.POST.copy()
        data["version"] = str(task.version)
        retyped = TaskEditForm(data, instance=Task(case=case), case=case)
        return refused_response(
            request,
            "casework/task_edit.html",
            {"case": case, "task": task, "form": retyped},
            error,
            labels={name: str(form.fields[name].label) for name in names},
            saved=model_values(task, names),
            typed=model_values(Task(**{n: form.cleaned_data[n] for n in names}), names),
            by_word=(),
        )
    messages.success(request, "Die Wiedervorlage ist geändert.")
    return _back_to_case(case, "wiedervorlagen")


TASK_PAGE_SIZE = 50


def _task_page(
    request: AuthenticatedHttpRequest,
    tasks: QuerySet[Task],
    *,
    title: str,
    team_view: bool,
    empty: str,
) -> HttpResponse:
    """One page of open tasks, earliest due first, grouped as overdue, this week, later."""
    user = request.user
    today = timezone.localdate()
    week_end = end_of_week(today)
    page = keyset_page(
        tasks.select_related("case__team__sozialraum", "assignee"),
        ("due_date", "pk"),
        request.GET.get(CURSOR_PARAM),
        TASK_PAGE_SIZE,
    )
    groups = [
        ("Überfällig", [t for t in page.rows if t.due_date < today]),
        ("Diese Woche fällig", [t for t in page.rows if today <= t.due_date <= week_end]),
        ("Später", [t for t in page.rows if t.due_date > week_end]),
    ]
    return render(
        request,
        "casework/task_list.html",
        {
            "title": title,
            "groups": [(heading, rows) for heading, rows in groups if rows],
            "page": page,
            "today": today,
            "team_view": team_view,
            "empty": empty,
            # The team column only where the list spans several teams.
            "show_team": team_view and (user.is_familienamt or len(user.teams) > 1),
        },
    )


@require_GET
@roles_required(*CASEWORK_ROLES)
def my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    tasks = Task.objects.visible_to(user).open().filter(assignee=user)
    return _task_page(
        request,
        tasks,
        title="Meine Aufgaben",
        team_view=False,
        empty="Sie haben keine offenen Wiedervorlagen.",
    )


@require_GET
@roles_required(*CASEWORK_ROLES)
def team_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    tasks = Task.objects.visible_to(user).due_by(end_of_week(timezone.localdate()))
    if not user.is_familienamt:
        tasks = tasks.filter(case__team__in=user.teams)
    team = request.GET.get("team", "")
    if team.isdigit():
        tasks = tasks.filter(case__team_id=int(team))
    return _task_page(
        request,
        tasks,
        title="Wiedervorlagen aller Teams" if user.is_familienamt else "Wiedervorlagen des Teams",
        team_view=True,
        empty="Nichts überfällig, nichts diese Woche fällig.",
    )


# Contacts --------------------------------------------------------------------


@submissions.creates
@require_POST
@vary_on_headers("HX-Request")
@roles_required(*CASEWORK_ROLES)
def contact_create(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    user = request.user
    form = ContactForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        submissions.once(
            user,
            form.submission_key,
            lambda: services.contact_create(case=case, actor=user, **data),
        )
        if not _is_swap(request):
            messages.success(request, "Der Kontakt ist festgehalten.")
            return _back_to_case(case, "kontakte")
    panel = contacts_panel(user, case, form=None if form.is_valid() else form)
    template = _page_or_partial(
        request, "casework/contact_form.html", "casework/section_contacts.html", "contacts-panel"
    )
    return render(request, template, {"panel": panel, "case": case})
