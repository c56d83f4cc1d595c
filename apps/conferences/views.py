"""Pages of the Fallberatung: list, scheduling, agenda, conference view, minutes.

A conference is seen by its team and the Familienamt (others: 404). Its
cases are shown pseudonymised unless the family's consent covers everyone
present (:func:`apps.conferences.rules.consent_covers`); minutes are case
content and need the case to be visible to the reader.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import CASEWORK_ROLES, User
from apps.cases.models import Case
from apps.conferences import services
from apps.conferences.forms import AgendaForm, ConferenceForm, MinutesForm, RolesForm, StepFormSet
from apps.conferences.models import MINUTES_PHASES, AgendaItem, AgreedStep, Conference, Participant
from apps.conferences.rules import CaseLabel, case_label
from apps.consents import rules as consent_rules
from apps.core import drafts, submissions
from apps.core.access import roles_required
from apps.core.http import AuthenticatedHttpRequest
from apps.core.paging import CURSOR_PARAM, keyset_page
from apps.core.refusals import StaleRecord, model_labels, model_values, refused_response
from apps.organisation.models import Team

PAST_SHOWN = 50


def _teams_for(user: User) -> QuerySet[Team]:
    """Teams whose conferences ``user`` may plan: all for the Familienamt, else their own."""
    teams = Team.objects.select_related("sozialraum")
    return teams if user.is_familienamt else teams.filter(pk__in=[t.pk for t in user.teams])


def _conference(request: AuthenticatedHttpRequest, pk: int) -> Conference:
    """The conference if the user may see it; 404 hides other teams' conferences."""
    return get_object_or_404(
        Conference.objects.visible_to(request.user).select_related(
            "team", "moderator", "note_taker"
        ),
        pk=pk,
    )


def _participants(conference: Conference) -> list[Participant]:
    return list(
        Participant.objects.filter(conference=conference).select_related("user", "organisation")
    )


def _participant_users(conference: Conference) -> QuerySet[User]:
    return User.objects.filter(pk__in=conference.participant_entries.values("user")).order_by(
        "last_name", "first_name", "username"
    )


def _case_consents() -> Prefetch:
    return consent_rules.prefetch("case__consents")


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    label: CaseLabel
    case_visible: bool


def _agenda_rows(
    user: User, conference: Conference, participants: list[Participant]
) -> list[AgendaRow]:
    """The agenda with each case's label; named only where consent covers everyone present.

    A case the reader may no longer see (handed over to another team) stays
    on the agenda as a pseudonym without minutes.
    """
    visible = Case.objects.visible_to(user).filter(pk=OuterRef("case_id"))
    items = (
        conference.agenda_items.select_related("case__person", "case__referral", "case_giver")
        .prefetch_related(_case_consents())
        .annotate(case_visible=Exists(visible))
        .order_by("order", "pk")
    )
    day = timezone.localtime(conference.starts_at).date()
    rows = []
    for item in items:
        case_visible = bool(item.case_visible)
        label = case_label(item.case, participants if case_visible else [], day)
        rows.append(AgendaRow(item=item, label=label, case_visible=case_visible))
    return rows


def _item(request: AuthenticatedHttpRequest, conference: Conference, item_pk: int) -> AgendaItem:
    """An agenda item whose case the user may see; its minutes are case content."""
    visible_cases = Case.objects.visible_to(request.user).values("pk")
    return get_object_or_404(
        conference.agenda_items.filter(case__in=visible_cases)
        .select_related("case__person", "case__referral", "case__team", "updated_by")
        .prefetch_related(_case_consents()),
        pk=item_pk,
    )


@require_GET
@roles_required(*CASEWORK_ROLES)
def conference_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    conferences = (
        Conference.objects.visible_to(user)
        .select_related("team")
        .annotate(item_count=Count("agenda_items"))
    )
    context = {
        "upcoming": list(conferences.filter(starts_at__gte=now).order_by("starts_at", "pk")),
        # Past ones page with the shared pager: a team holds one every week or two, for years.
        "past": keyset_page(
            conferences.filter(starts_at__lt=now),
            ("-starts_at", "-pk"),
            request.GET.get(CURSOR_PARAM),
            PAST_SHOWN,
        ),
        "teams": list(_teams_for(user)),
    }
    return render(request, "conferences/conference_list.html", context)


@submissions.creates
@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def conference_create(request: AuthenticatedHttpRequest, team_pk: int) -> HttpResponse:
    user = request.user
    team = get_object_or_404(_teams_for(user), pk=team_pk)
    colleagues = services.team_colleagues(team)
    form = ConferenceForm(
        request.POST or None, team=team, colleagues=colleagues, city=services.city_organisation()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        conference, _ = submissions.once(
            user,
            form.submission_key,
            lambda: services.conference_create(
                team=team,
                actor=user,
                starts_at=data["starts_at"],
                place=data["place"],
                participants=list(data["participants"]),
                moderator=data["moderator"],
                note_taker=data["note_taker"],
            ),
        )
        messages.success(
            request, "Die Fallberatung ist geplant. Setzen Sie jetzt Fälle auf die Tagesordnung."
        )
        return HttpResponseRedirect(conference.get_absolute_url())
    return render(request, "conferences/conference_form.html", {"form": form, "team": team})


def _detail_response(
    request: AuthenticatedHttpRequest,
    conference: Conference,
    *,
    agenda_form: AgendaForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    participants = _participants(conference)
    context: dict[str, Any] = {
        "conference": conference,
        "participants": participants,
        "rows": _agenda_rows(user, conference, participants),
        "agenda_form": agenda_form or AgendaForm(conference=conference, user=user),
        "roles_form": RolesForm(
            participants=_participant_users(conference),
            initial={
                "moderator": conference.moderator_id,
                "note_taker": conference.note_taker_id,
                "version": conference.version,
            },
        ),
    }
    return render(request, "conferences/conference_detail.html", context, status=status)


@require_GET
@roles_required(*CASEWORK_ROLES)
def conference_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail_response(request, _conference(request, pk))


@submissions.creates
@require_POST
@roles_required(*CASEWORK_ROLES)
def agenda_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    form = AgendaForm(request.POST, conference=conference, user=request.user)
    if submissions.sent_before(form, request.user) is None:
        if not form.is_valid():
            return _detail_response(request, conference, agenda_form=form)
        submissions.once(
            request.user,
            form.submission_key,
            lambda: services.agenda_add(
                conference=conference,
                case=form.cleaned_data["case"],
                order=form.cleaned_data["order"],
            ),
        )
    messages.success(request, "Der Fall steht auf der Tagesordnung.")
    return HttpResponseRedirect(f"{conference.get_absolute_url()}#tagesordnung")


@require_POST
@roles_required(*CASEWORK_ROLES)
def conference_roles(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    form = RolesForm(request.POST, participants=_participant_users(conference))
    if not form.is_valid():
        messages.error(request, str(next(iter(form.errors.values()))[0]))
        return HttpResponseRedirect(conference.get_absolute_url())
    try:
        services.conference_set_roles(
            conference_id=conference.pk,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            moderator=form.cleaned_data["moderator"],
            note_taker=form.cleaned_data["note_taker"],
        )
    except StaleRecord as stale:
        messages.error(request, stale.message)
    else:
        messages.success(request, "Die Rollen sind gespeichert.")
    return HttpResponseRedirect(conference.get_absolute_url())


def _minutes_response(
    request: AuthenticatedHttpRequest,
    conference: Conference,
    item: AgendaItem,
    *,
    form: MinutesForm | None = None,
    steps: Any = None,
    refusal: StaleRecord | None = None,
) -> HttpResponse:
    participants = _participants(conference)
    day = timezone.localtime(conference.starts_at).date()
    draft_data, draft = drafts.initial_with_draft(request.user, MinutesForm, item.pk)
    agreed = (
        AgreedStep.objects.filter(agenda_item=item)
        .select_related("task__assignee")
        .order_by("task__due_date", "pk")
    )
    context = {
        "conference": conference,
        "item": item,
        "label": case_label(item.case, participants, day),
        "form": form
        or MinutesForm(
            instance=item, participants=_participant_users(conference), initial=draft_data
        ),
        "draft": draft,
        "steps": steps or StepFormSet(prefix="schritte", form_kwargs={"case": item.case}),
        "agreed": list(agreed),
    }
    if refusal is None:
        return render(request, "conferences/minutes.html", context)
    # Saved against typed, field by field; the form keeps the typed text.
    current = AgendaItem.objects.select_related("case_giver").get(pk=item.pk)
    names = ["case_giver", *MINUTES_PHASES]
    assert form is not None  # a refusal always follows a posted form
    typed = AgendaItem(**{name: form.cleaned_data[name] for name in names})
    return refused_response(
        request,
        "conferences/minutes.html",
        context,
        refusal,
        labels=model_labels(current, names),
        saved=model_values(current, names),
        typed=model_values(typed, names),
        by_word=MINUTES_PHASES,
    )


@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def minutes(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    item = _item(request, conference, item_pk)
    if request.method == "GET":
        return _minutes_response(request, conference, item)
    form = MinutesForm(request.POST, instance=item, participants=_participant_users(conference))
    if not form.is_valid():
        return _minutes_response(request, conference, item, form=form)
    data = form.cleaned_data
    try:
        services.minutes_save(
            item_id=item.pk,
            actor=request.user,
            expected_version=data["version"],
            minutes=services.Minutes(
                case_giver=data["case_giver"], **{name: data[name] for name in MINUTES_PHASES}
            ),
        )
    except StaleRecord as stale:
        data = request.POST.copy()
        data["version"] = str(AgendaItem.objects.values_list("version", flat=True).get(pk=item.pk))
        retyped = MinutesForm(data, instance=item, participants=_participant_users(conference))
        retyped.is_valid()
        return _minutes_response(request, conference, item, form=retyped, refusal=stale)
    drafts.discard(request.user, MinutesForm, item.pk)
    messages.success(request, "Das Protokoll ist gespeichert.")
    return HttpResponseRedirect(item.get_absolute_url())


@require_POST
@roles_required(*CASEWORK_ROLES)
def agreed_steps(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    conference = _conference(request, pk)
    item = _item(request, conference, item_pk)
    steps = StepFormSet(request.POST, prefix="schritte", form_kwargs={"case": item.case})
    if not steps.is_valid():
        return _minutes_response(request, conference, item, steps=steps)
    created = services.agreed_steps_create(
        item=item,
        actor=request.user,
        steps=[
            services.Step(
                title=form.cleaned_data["title"],
                assignee=form.cleaned_data["assignee"],
                due_date=form.cleaned_data["due_date"],
            )
            for form in steps.forms
            if form.has_changed()
        ],
    )
    count = len(created)
    messages.success(
        request,
        f"{count} Wiedervorlage{'n' if count != 1 else ''} "
        f"auf dem Fall {item.case.reference} angelegt.",
    )
    return HttpResponseRedirect(f"{item.get_absolute_url()}#schritte")
