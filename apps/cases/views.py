"""Case pages: open a case from a request, the case list and file, moves, decisions.

Every read starts from ``Case.objects.visible_to(user)``: a case of another
team is a 404. Writes go through ``apps.cases.services``; a refused or stale
action shows its message and changes nothing.
"""

import datetime
from dataclasses import dataclass, fields

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from apps.accounts.models import CASEWORK_ROLES, FAMILIENAMT_ROLES, Role
from apps.cases.duplicates import possible_duplicates
from apps.cases.filters import CaseFilter
from apps.cases.forms import (
    NEW_PERSON,
    CaseCloseForm,
    CaseEditForm,
    CaseMoveForm,
    DecisionForm,
    HelpKindChoiceForm,
    IdentityForm,
    PersonChoiceForm,
    RecommendationForm,
    ReopenForm,
    TimelineKindsForm,
)
from apps.cases.grants import GrantDetails
from apps.cases.models import Case, Decision, HelpKind, Person
from apps.cases.services import (
    case_decide,
    case_open_from_referral,
    case_recommend,
    case_reopen,
    case_transition,
    case_update,
)
from apps.cases.timeline import parse_filter, timeline_page
from apps.core import casefile, drafts, submissions
from apps.core.access import roles_required
from apps.core.htmx import partial_template
from apps.core.http import AuthenticatedHttpRequest
from apps.core.paging import CURSOR_PARAM, keyset_page
from apps.core.refusals import (
    Refused,
    StaleRecord,
    model_values,
    refused_response,
    text_fields,
)
from apps.referrals.models import Referral
from apps.referrals.services import may_open_at_office
from apps.referrals.workflow import (
    Status,
    TransitionNotAllowed,
    missing_for,
    next_steps,
    party_name,
)

PAGE_SIZE = 25
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def whose_move(case: Case) -> str:
    """Who must act next, in plain German (the team and school by name)."""
    school = case.school.name if case.school else ""
    return party_name(case.whose_move, team=case.team.name, school=school)


@require_GET
@vary_on_headers("HX-Request")
@roles_required(*CASEWORK_ROLES)
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    cases = Case.objects.visible_to(user).select_related(
        "person", "school", "team__sozialraum", "worker"
    )
    case_filter = CaseFilter(request.GET or None, queryset=cases, request=request)
    page = keyset_page(
        case_filter.qs, ("-opened_at", "-pk"), request.GET.get(CURSOR_PARAM), PAGE_SIZE
    )
    return render(
        request,
        partial_template(request, "cases/case_list.html", "case-table"),
        {
            "filter": case_filter,
            "rows": page.rows,
            "page": page,
            "next_cursor": page.next_cursor,
            "is_familienamt": user.is_familienamt,
            # A team member's list is all one team: the column would repeat it in every row.
            "show_team": user.is_familienamt or len(user.teams) > 1,
        },
    )


def _referral_for_opening(request: AuthenticatedHttpRequest, referral_pk: int) -> Referral:
    user = request.user
    referral = get_object_or_404(
        Referral.objects.visible_to(user).select_related("school", "team", "sozialraum"),
        pk=referral_pk,
    )
    # A team opens a case itself only from a request it took at its own office.
    if not user.is_familienamt and not may_open_at_office(referral, user):
        raise PermissionDenied
    return referral


def _with_cases(persons: list[Person]) -> list[Person]:
    prefetch_related_objects(
        persons,
        Prefetch("cases", queryset=Case.objects.select_related("team").order_by("-opened_at")),
    )
    return persons


@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def case_open(request: AuthenticatedHttpRequest, referral_pk: int) -> HttpResponse:
    """Accept a request as a case, after staff chose: known person or new person."""
    referral = _referral_for_opening(request, referral_pk)
    if not referral.is_open:
        existing = Case.objects.filter(referral=referral).first()
        messages.info(
            request,
            f"Die Anfrage {referral.reference} ist bereits erledigt "
            f"({referral.get_status_display()}).",
        )
        return redirect(existing or referral)

    data: QueryDict | None = request.POST.copy() if request.method == "POST" else None
    identity_form = IdentityForm(data) if referral.pseudonymised else None
    identity: tuple[str, str, datetime.date | None] | None = None
    if identity_form is None:
        identity = (referral.first_name, referral.last_name, referral.date_of_birth)
    elif identity_form.is_valid():
        identity = (
            identity_form.cleaned_data["first_name"],
            identity_form.cleaned_data["last_name"],
            identity_form.cleaned_data["date_of_birth"],
        )
    duplicates = _with_cases(possible_duplicates(*identity)) if identity else []
    if duplicates and not request.user.is_familienamt:
        # A team sees only its own team's children: a match elsewhere goes to the Familienamt,
        # which links the request to the known child (never merged behind anyone's back).
        messages.error(
            request,
            "Ein Kind mit diesem Namen und Geburtsdatum ist bereits bekannt. Bitte lassen Sie "
            f"das Familienamt die Anfrage {referral.reference} übernehmen; es verknüpft sie mit "
            "der bekannten Person. Es wurde kein Fall eröffnet.",
        )
        return redirect(referral)

    if data is not None and not duplicates and "person" not in data:
        # Nobody known with this name and birthday: creating a new person is the only choice.
        data["person"] = NEW_PERSON
    choice_form = PersonChoiceForm(
        data, duplicates=duplicates, initial={"version": referral.version}
    )

    if data is not None and identity is not None and choice_form.is_valid():
        first_name, last_name, date_of_birth = identity
        try:
            case = case_open_from_referral(
                referral_id=referral.pk,
                actor=request.user,
                expected_version=choice_form.cleaned_data["version"],
                person=choice_form.chosen_person,
                first_name=first_name,
                last_name=last_name,
                date_of_birth=date_of_birth,
                gender=choice_form.cleaned_data["gender"],
            )
        except Refused as error:
            messages.error(request, error.message)
            return redirect("cases:open", referral_pk=referral.pk)
        messages.success(request, f"Fall {case.reference} eröffnet. Das Team ist benachrichtigt.")
        return redirect(case)

    return render(
        request,
        "cases/case_open.html",
        {
            "referral": referral,
            "identity_form": identity_form,
            "choice_form": choice_form,
            "duplicates": duplicates,
            "show_choice": identity is not None,
        },
    )


def _visible_case(request: AuthenticatedHttpRequest, pk: int) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related(
            "person", "school", "sozialraum", "team", "worker", "referral", "help_kind"
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class StepButton:
    """A next step on the case page; ``missing`` says what it still needs."""

    target: str
    label: str
    missing: list[str]
    needs_reason: bool


@dataclass(frozen=True)
class RenderedSection:
    title: str
    html: SafeString


def _casefile_sections(request: AuthenticatedHttpRequest, case: Case) -> list[RenderedSection]:
    """Sections other apps (casework) add to the page, each rendered with its own context."""
    return [
        RenderedSection(section.title, section.render(request))
        for section in casefile.sections_for(request, case)
    ]


@require_GET
@vary_on_headers("HX-Request")
@roles_required(*CASEWORK_ROLES)
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = _visible_case(request, pk)
    timeline = timeline_page(
        request, case, parse_filter(request.GET), request.GET.get(CURSOR_PARAM)
    )
    template = partial_template(request, "cases/case_detail.html", "case-timeline")
    if "#" in template:
        # A filter or "older entries" swap needs the timeline only, not the whole file.
        return render(request, template, {"case": case, "timeline": timeline})
    roles = user.role_names
    # Decisions are made with a Bescheid on their own page, never with a bare button.
    steps = [
        StepButton(step.target, step.label, missing_for(case, step), step.needs_reason)
        for step in next_steps(case.status, roles)
        if not step.deciding
    ]
    decisions = list(case.decisions.select_related("provider", "pool", "decided_by", "help_kind"))
    return render(
        request,
        template,
        {
            "case": case,
            "whose_move": whose_move(case),
            "timeline": timeline,
            "recommendations": case.recommendations.select_related("author"),
            "decisions": decisions,
            "running_help": _running_help(case, decisions, timezone.localdate()),
            "steps": steps,
            "can_decide": user.is_familienamt and case.status == Status.DECISION,
            "can_recommend": Role.TEAM in roles and case.status != Status.CLOSED,
            "recommendation_form": RecommendationForm(),
            "kinds_form": TimelineKindsForm(timeline.kind_choices),
            "sections": _casefile_sections(request, case),
        },
    )


def _running_help(case: Case, decisions: list[Decision], day: datetime.date) -> Decision | None:
    """The newest grant in force on ``day`` (open-ended ones too); none once the case is closed."""
    if case.status == Status.CLOSED:
        return None
    in_force = [
        d
        for d in decisions
        if d.outcome == Decision.Outcome.GRANTED
        and d.valid_from is not None
        and d.valid_from <= day
        and (d.valid_until is None or day <= d.valid_until)
    ]
    return max(in_force, key=lambda d: d.decided_at, default=None)


def _case_values(case: Case, form: CaseEditForm | None = None) -> dict[str, str]:
    """The editable case data as people read it: saved, or as typed into ``form``."""
    values = {
        name: form.cleaned_data[name] if form else getattr(case, name)
        for name in CaseEditForm.FIELDS
    }
    shown = model_values(Case(**values), CaseEditForm.FIELDS)
    if values["worker"] is None:
        shown["worker"] = "noch nicht festgelegt"
    return shown


@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def case_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change the case data; a save over someone else's newer save is refused (409)."""
    case = _visible_case(request, pk)
    if request.method != "POST":
        initial, draft = drafts.initial_with_draft(request.user, CaseEditForm, case.pk)
        form = CaseEditForm(case=case, initial=initial)
        return render(request, "cases/case_edit.html", {"case": case, "form": form, "draft": draft})
    form = CaseEditForm(request.POST, case=case)
    if not form.is_valid():
        return render(request, "cases/case_edit.html", {"case": case, "form": form})
    data = form.cleaned_data
    try:
        case_update(
            case_id=case.pk,
            actor=request.user,
            expected_version=data["version"],
            **{name: data[name] for name in CaseEditForm.FIELDS},
        )
    except StaleRecord as error:
        case.refresh_from_db()
        # The typed text stays; the form now carries the saved version, so saving
        # again is a deliberate decision to replace what the other person saved.
        retyped = request.POST.copy()
        retyped["version"] = str(case.version)
        return refused_response(
            request,
            "cases/case_edit.html",
            {"case": case, "form": CaseEditForm(retyped, case=case)},
            error,
            labels={name: str(form.fields[name].label) for name in CaseEditForm.FIELDS},
            saved=_case_values(case),
            typed=_case_values(case, form),
            by_word=text_fields(case, CaseEditForm.FIELDS),
        )
    except TransitionNotAllowed as error:
        form.add_error("worker", str(error))
        return render(request, "cases/case_edit.html", {"case": case, "form": form})
    drafts.discard(request.user, CaseEditForm, case.pk)
    messages.success(request, f"Die Falldaten von {case.reference} sind gespeichert.")
    return redirect(case)


@require_POST
@roles_required(*CASEWORK_ROLES)
def case_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
    case = _visible_case(request, pk)
    form = CaseMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Die Aktion war unvollständig. Bitte versuchen Sie es erneut.")
        return redirect(case)
    if form.cleaned_data["target"] == Status.CLOSED:
        # Closing asks why first (a confirm step with the reason).
        return redirect("cases:close", pk=case.pk)
    try:
        case = case_transition(
            case_id=case.pk,
            actor=request.user,
            target=form.cleaned_data["target"],
            expected_version=form.cleaned_data["version"],
        )
    except Refused as error:
        messages.error(request, error.message)
    except ValueError:
        messages.error(request, "Diesen Status gibt es nicht.")
    else:
        messages.success(request, f"Fall {case.reference}: {case.get_status_display()}.")
    return redirect(case)


@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def case_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Confirm closing: the reason (and for § 8a the assessment result) is required."""
    case = _visible_case(request, pk)
    roles = request.user.role_names
    closable = any(
        step.target == Status.CLOSED and not step.deciding
        for step in next_steps(case.status, roles)
    )
    if not closable:
        raise PermissionDenied  # visible, but not closable from here (a refusal is a Bescheid)
    data = request.POST if request.method == "POST" else None
    form = CaseCloseForm(data, case=case, initial={"version": case.version})
    if data is not None and form.is_valid():
        try:
            case = case_transition(
                case_id=case.pk,
                actor=request.user,
                target=Status.CLOSED,
                expected_version=form.cleaned_data["version"],
                closing_reason=form.cleaned_data["closing_reason"],
                child_protection_result=form.cleaned_data.get("child_protection_result", ""),
            )
        except Refused as error:
            messages.error(request, error.message)
            return redirect(case)
        messages.success(request, f"Fall {case.reference} ist abgeschlossen.")
        return redirect(case)
    return render(request, "cases/case_close.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
@roles_required(*FAMILIENAMT_ROLES)
def case_reopen_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Reopen a case closed by mistake: ask first, with the reason for the timeline."""
    case = _visible_case(request, pk)
    if case.status != Status.CLOSED:
        messages.error(request, f"Der Fall {case.reference} ist nicht abgeschlossen.")
        return redirect(case)
    form = ReopenForm(
        request.POST if request.method == "POST" else None, initial={"version": case.version}
    )
    if not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(
            request, "cases/case_reopen.html", {"case": case, "form": form}, status=status
        )
    try:
        case_reopen(
            case_id=case.pk,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except Refused as error:
        data = request.POST.copy()
        data["version"] = str(Case.objects.get(pk=case.pk).version)
        return refused_response(
            request, "cases/case_reopen.html", {"case": case, "form": ReopenForm(data)}, error
        )
    messages.success(request, f"Der Fall {case.reference} ist wieder geöffnet.")
    return redirect(case)


@submissions.creates
@require_http_methods(["GET", "POST"])
@roles_required(Role.TEAM)
def recommendation_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The team recommends; only the Familienamt decides."""
    case = _visible_case(request, pk)
    if case.status == Status.CLOSED:
        messages.error(request, "Der Fall ist abgeschlossen; eine Empfehlung ist nicht mehr nötig.")
        return redirect(case)
    form = RecommendationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        submissions.once(
            request.user,
            form.submission_key,
            lambda: case_recommend(
                case_id=case.pk,
                actor=request.user,
                text=form.cleaned_data["text"],
                hours_per_week=form.cleaned_data["hours_per_week"],
            ),
        )
        messages.success(
            request, "Ihre Empfehlung ist gespeichert. Das Familienamt ist informiert."
        )
        return redirect(case)
    return render(request, "cases/recommendation_form.html", {"case": case, "form": form})


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@roles_required(*FAMILIENAMT_ROLES)
def decision_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    # A post goes to the service even so: it says who moved the case meanwhile,
    # and the form comes back with what was typed.
    if case.status != Status.DECISION and request.method != "POST":
        messages.error(
            request,
            f"Der Fall {case.reference} liegt nicht zur Entscheidung vor "
            f"(Status: {case.get_status_display()}).",
        )
        return redirect(case)
    today = timezone.localdate()
    initial, draft = drafts.initial_with_draft(
        request.user, DecisionForm, case.pk, {"version": case.version}
    )
    kind = _chosen_help_kind(request, case, draft.data.get("help_kind") if draft else None)
    if kind is not None:
        initial["help_kind"] = kind.code  # the kind shown, even where the draft had another
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        school=case.school,
        today=today,
        kind=kind,
        initial=initial,
    )
    if form.is_valid():
        data = form.cleaned_data
        grant = data.get("grant") or GrantDetails()
        try:
            decision = case_decide(
                case_id=case.pk,
                actor=request.user,
                expected_version=data["version"],
                outcome=data["outcome"],
                reason=data["reason"],
                help_kind=data["help_kind"].code,
                **{f.name: getattr(grant, f.name) for f in fields(grant)},
            )
        except Refused as error:
            # Nothing decided, nothing lost: the form again with what was typed.
            retyped = request.POST.copy()
            retyped["version"] = str(Case.objects.get(pk=case.pk).version)
            return refused_response(
                request,
                "cases/decision_form.html",
                _decision_context(
                    case,
                    DecisionForm(retyped, school=case.school, today=today, kind=kind),
                ),
                error,
            )
        drafts.discard(request.user, DecisionForm, case.pk)
        messages.success(
            request,
            f"Bescheid {decision.reference} erlassen: Hilfe {decision.get_outcome_display()}.",
        )
        return redirect(decision)
    # Choosing a kind swaps only the fields that kind needs (without JS the page reloads).
    template = partial_template(request, "cases/decision_form.html", "kind-fields")
    if request.method == "POST":
        template = "cases/decision_form.html"
    return render(request, template, {**_decision_context(case, form), "draft": draft})


def _chosen_help_kind(
    request: AuthenticatedHttpRequest, case: Case, drafted: str | None = None
) -> HelpKind | None:
    """The kind of help being decided: as posted, as chosen on the page, as in the
    person's draft (so its kind-specific fields come back with it), or the case's."""
    code = (
        request.POST.get("help_kind") or request.GET.get("hilfeart") or drafted or case.help_kind_id
    )
    return HelpKind.objects.filter(code=code, active=True).first()


def _decision_context(case: Case, form: DecisionForm) -> dict[str, object]:
    return {
        "case": case,
        "form": form,
        "kind_form": HelpKindChoiceForm(
            swap_url=reverse("cases:decide", args=[case.pk]), kind=form.kind
        ),
        "recommendations": case.recommendations.select_related("author")[:5],
    }


@require_GET
@roles_required(*CASEWORK_ROLES)
def decision_letter(request: AuthenticatedHttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    decision = get_object_or_404(
        Decision.objects.select_related(
            "provider", "pool__school", "decided_by", "help_kind"
        ).filter(case=case),
        pk=decision_pk,
    )
    return render(
        request,
        "cases/decision_letter.html",
        {"case": case, "decision": decision, "case_url": reverse("cases:detail", args=[case.pk])},
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@roles_required(*CASEWORK_ROLES)
def person_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find a child by name; the name travels in the POST body, never in the URL."""
    from apps.cases.search import RESULT_LIMIT, PersonSearchForm, search_persons

    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    hits = None
    if form.is_valid():
        hits = search_persons(
            request.user, form.cleaned_data["name"], form.cleaned_data["date_of_birth"]
        )
    return render(
        request,
        partial_template(request, "cases/search.html", "results"),
        {"form": form, "hits": hits, "limit": RESULT_LIMIT},
    )
