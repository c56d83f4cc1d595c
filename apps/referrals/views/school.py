"""The school's side: file a request or a §8a report, follow it, answer questions.

School leaders see their own school's requests only; team members of the
routed team see the same status page. Neither ever sees notes, diagnoses or
the reasons of a decision: the status page shows the case's status label and
whose move it is, nothing from inside the case.
"""

from typing import Any

from django.contrib import messages
from django.db.models import Case as DbCase
from django.db.models import Prefetch, Q, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from apps.accounts.models import FAMILIENAMT_ROLES, Role, User
from apps.core import drafts, requestpage, submissions, uploads
from apps.core.access import roles_required
from apps.core.htmx import partial_template
from apps.core.http import AuthenticatedHttpRequest
from apps.core.paging import CURSOR_PARAM, keyset_page
from apps.core.refusals import Refused
from apps.core.startpage import StartSection
from apps.organisation.models import Standort
from apps.referrals import progress
from apps.referrals.forms import (
    AnswerForm,
    ChildProtectionForm,
    DraftableForm,
    ReferralForm,
    SchoolReferralFilter,
)
from apps.referrals.models import (
    Consent,
    EmergencyContact,
    Question,
    Referral,
    ReferralDraft,
)
from apps.referrals.services import (
    may_open_at_office,
    referral_answer_question,
    referral_submit,
)
from apps.referrals.workflow import (
    CASE_STATUSES,
    OPEN_REQUEST_STATUSES,
    Party,
    Status,
)

PAGE_SIZE = 25
# A draft is typed text only; anything bigger is not a person typing.
DRAFT_MAX_FIELD_CHARS = 5000
DRAFT_MAX_TOTAL_CHARS = 40_000


def _own_school_referrals(user: User) -> Any:
    """The requests of the leader's own schools, within what they may see at all."""
    return Referral.objects.visible_to(user).filter(school__in=user.schools)


# --- Filing a request ---------------------------------------------------------


def _draft_initial(user: User, kind: str, form_class: type[DraftableForm]) -> dict[str, Any]:
    draft = ReferralDraft.objects.filter(owner=user, kind=kind).first()
    if draft is None:
        return {}
    allowed = set(form_class.draft_fields())
    initial = {k: v for k, v in draft.data.items() if k in allowed}
    initial["_draft_saved_at"] = draft.updated_at
    return initial


def _submit(
    request: AuthenticatedHttpRequest, form: ReferralForm | ChildProtectionForm, kind: str
) -> HttpResponse:
    user = request.user
    referral, created = submissions.once(
        user,
        form.submission_key,
        lambda: referral_submit(
            author=user,
            school=form.selected_school(),
            kind=kind,
            fields=form.referral_fields(),
            consent=form.consent_data() if isinstance(form, ReferralForm) else None,
        ),
    )
    if not created:
        messages.info(
            request,
            f"Diese Anfrage wurde bereits gesendet ({referral.reference}); "
            "sie wurde nicht ein zweites Mal angelegt.",
        )
    elif kind == Referral.Kind.KINDERSCHUTZ:
        messages.success(
            request,
            f"Ihre Meldung {referral.reference} ist beim Familienamt eingegangen. "
            "Das Familienamt wurde sofort benachrichtigt und ruft Sie zurück.",
        )
    elif referral.pseudonymised:
        messages.success(
            request,
            f"Ihre Anfrage {referral.reference} ist ohne Namen beim Familienamt eingegangen. "
            + progress.next_step(referral),
        )
    else:
        messages.success(
            request,
            f"Ihre Anfrage {referral.reference} ist beim Familienamt eingegangen. "
            + progress.next_step(referral),
        )
    return redirect(referral)


def _new_form_data(user: User, kind: str, form_class: type[DraftableForm]) -> dict[str, Any]:
    initial = {
        "contact_name": user.get_full_name(),
        "contact_email": user.email,
    }
    return initial | _draft_initial(user, kind, form_class)


@submissions.creates
@require_http_methods(["GET", "POST"])
@roles_required(Role.SCHULLEITUNG)
def referral_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    schools = user.schools
    if request.method == "POST":
        form = ReferralForm(request.POST, request.FILES, schools=schools)
        if form.is_valid():
            return _submit(request, form, Referral.Kind.SCHULBEGLEITUNG)
        messages.error(request, "Die Anfrage wurde nicht gesendet. Bitte prüfen Sie die Hinweise.")
        draft_saved_at = None
    else:
        initial = _new_form_data(user, Referral.Kind.SCHULBEGLEITUNG, ReferralForm)
        draft_saved_at = initial.pop("_draft_saved_at", None)
        form = ReferralForm(initial=initial, schools=schools)
    return render(
        request,
        "referrals/referral_form.html",
        {
            "form": form,
            "kind": Referral.Kind.SCHULBEGLEITUNG,
            "draft_saved_at": draft_saved_at,
            "school": schools[0] if len(schools) == 1 else None,
            "triage_days": progress.TRIAGE_RESPONSE_WORKING_DAYS,
        },
    )


@submissions.creates
@require_http_methods(["GET", "POST"])
@roles_required(Role.SCHULLEITUNG, *FAMILIENAMT_ROLES)
def child_protection_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    is_familienamt = user.is_familienamt
    schools = [] if is_familienamt else user.schools
    kind = Referral.Kind.KINDERSCHUTZ
    if request.method == "POST":
        form = ChildProtectionForm(request.POST, schools=schools, any_school=is_familienamt)
        if form.is_valid():
            return _submit(request, form, kind)
        messages.error(request, "Die Meldung wurde nicht gesendet. Bitte prüfen Sie die Hinweise.")
        draft_saved_at = None
    else:
        initial = _new_form_data(user, kind, ChildProtectionForm)
        draft_saved_at = initial.pop("_draft_saved_at", None)
        if is_familienamt:
            # Staff take the caller's details, not their own.
            initial.pop("contact_name", None)
            initial.pop("contact_email", None)
        form = ChildProtectionForm(initial=initial, schools=schools, any_school=is_familienamt)
    return render(
        request,
        "referrals/child_protection_form.html",
        {
            "form": form,
            "kind": kind,
            "draft_saved_at": draft_saved_at,
            "emergency_contacts": EmergencyContact.objects.all(),
            "is_familienamt": is_familienamt,
            "school": schools[0] if len(schools) == 1 else None,
        },
    )


@require_POST
@vary_on_headers("HX-Request")
@drafts.autosave_view("referrals/referral_form.html#draft-status")
@roles_required(Role.SCHULLEITUNG, *FAMILIENAMT_ROLES)
def draft_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Keep what the person typed; validates nothing but the payload's shape."""
    user = request.user
    template = partial_template(request, "referrals/referral_form.html", "draft-status")
    kind = request.POST.get("kind", "")
    forms_by_kind: dict[str, type[DraftableForm]] = {
        Referral.Kind.SCHULBEGLEITUNG: ReferralForm,
        Referral.Kind.KINDERSCHUTZ: ChildProtectionForm,
    }
    form_class = forms_by_kind.get(kind)
    if kind == Referral.Kind.KINDERSCHUTZ and not user.has_role(
        Role.SCHULLEITUNG, *FAMILIENAMT_ROLES
    ):
        form_class = None
    if kind == Referral.Kind.SCHULBEGLEITUNG and not user.has_role(Role.SCHULLEITUNG):
        form_class = None
    if form_class is None:
        return render(
            request, template, {"draft_error": "Unbekannte Art des Entwurfs."}, status=400
        )
    data = {name: request.POST.get(name, "") for name in form_class.draft_fields()}
    refused = drafts.refusal(data, max_field=DRAFT_MAX_FIELD_CHARS, max_total=DRAFT_MAX_TOTAL_CHARS)
    if refused:
        return render(request, template, {"draft_error": refused}, status=400)
    # A save that arrives after the form was sent must not bring the draft back.
    if submissions.spent(user, request.POST.get(submissions.FIELD, "")):
        return render(request, template, {"draft_sent": True})
    draft, _ = ReferralDraft.objects.update_or_create(
        owner=user, kind=kind, defaults={"data": data}
    )
    return render(request, template, {"draft_saved_at": draft.updated_at})


# --- The school's list --------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
@roles_required(Role.SCHULLEITUNG)
def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    status_filter = SchoolReferralFilter(request.GET)
    referrals = _own_school_referrals(user).select_related("school", "team", "case__team")
    if status_filter.is_valid():
        status = status_filter.cleaned_data["status"]
        if status == SchoolReferralFilter.OPEN:
            referrals = referrals.open()
        elif status:
            referrals = referrals.filter(status=status)
    page = keyset_page(referrals, ("-received_at", "-pk"), request.GET.get(CURSOR_PARAM), PAGE_SIZE)
    followed = requestpage.school_may_follow(page.rows)
    return render(
        request,
        partial_template(request, "referrals/referral_list.html", "table"),
        {
            "filter": status_filter,
            "rows": [
                {"referral": referral, **progress.school_row(referral, followed)}
                for referral in page.rows
            ],
            "page": page,
        },
    )


# --- The status page ----------------------------------------------------------


def status_detail(request: AuthenticatedHttpRequest, referral: Referral) -> HttpResponse:
    """The request's status for school leaders and team members (no case content)."""
    user = request.user
    referral = (
        Referral.objects.select_related(
            "school", "team__sozialraum", "sozialraum", "case__team__sozialraum"
        )
        .prefetch_related(
            "events",
            Prefetch("questions", queryset=Question.objects.order_by("asked_at", "pk")),
            Prefetch("consents", queryset=Consent.objects.order_by("-given_on", "-pk")),
        )
        .get(pk=referral.pk)
    )
    case = progress.case_of(referral)
    team = case.team if case is not None else referral.team
    standort = (
        Standort.objects.filter(team=team).order_by("-is_primary", "name").first()
        if team is not None
        else None
    )
    is_school_leader = referral.school_id is not None and referral.school in user.schools
    # A school leader who is not also casework staff sees the case only with consent.
    as_school = is_school_leader and not (user.is_familienamt or Role.TEAM in user.role_names)
    followed = requestpage.school_may_follow([referral]) if as_school else {referral.pk}
    seen = progress.school_row(referral, followed)
    party, since = seen["whose_move"]
    answer_forms = {
        question.pk: AnswerForm(auto_id=f"antwort-{question.pk}-%s")
        for question in referral.questions.all()
        if question.answered_at is None
    }
    return render(
        request,
        "referrals/status_detail.html",
        {
            "referral": referral,
            "case": case,
            "team": team,
            "standort": standort,
            "status_label": seen["status"],
            "next_step": seen["next_step"],
            "taken_up_only": seen["taken_up_only"],
            "sections": [
                (section.title, section.render(request))
                for section in requestpage.sections_for(request, referral)
            ],
            "whose_move": party,
            "whose_move_since": since,
            "is_done": not seen["taken_up_only"]
            and (case.whose_move if case else referral.whose_move) == Party.NOBODY,
            "triage_deadline": progress.triage_deadline(referral),
            "may_open_case": may_open_at_office(referral, request.user),
            "questions": [
                (question, answer_forms.get(question.pk)) for question in referral.questions.all()
            ],
            "can_answer": is_school_leader,
            "consents": referral.consents.all() if is_school_leader else [],
            "show_rejection_reason": referral.status == Status.REJECTED,
            # Until a case is open the Familienamt answers the school's questions.
            "familienamt_is_contact": referral.status in OPEN_REQUEST_STATUSES,
        },
    )


@require_POST
@roles_required(Role.SCHULLEITUNG)
def question_answer(request: AuthenticatedHttpRequest, pk: int, question_pk: int) -> HttpResponse:
    user = request.user
    referral = get_object_or_404(_own_school_referrals(user), pk=pk)
    question = get_object_or_404(referral.questions, pk=question_pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("answer", []):
            messages.error(request, str(error))
        return redirect(f"{referral.get_absolute_url()}#rueckfrage-{question.pk}")
    try:
        referral_answer_question(
            question_id=question.pk, actor=user, answer=form.cleaned_data["answer"]
        )
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "Ihre Antwort ist beim Familienamt. Die Prüfung Ihrer Anfrage geht weiter."
        )
    return redirect(referral)


@require_GET
@roles_required(Role.SCHULLEITUNG, *FAMILIENAMT_ROLES)
def consent_scan(request: AuthenticatedHttpRequest, pk: int, consent_pk: int) -> HttpResponseBase:
    """The scanned consent, only for the school that filed it and the Familienamt."""
    user = request.user
    referrals = Referral.objects.visible_to(user)
    if not user.is_familienamt:
        referrals = referrals.filter(school__in=user.schools)
    referral = get_object_or_404(referrals, pk=pk)
    consent = get_object_or_404(referral.consents.exclude(scan=""), pk=consent_pk)
    return uploads.download(consent.scan, f"Einwilligung-{referral.reference}")


# --- The start page -----------------------------------------------------------

START_SECTION_LIMIT = 10


def school_start_section(request: HttpRequest) -> StartSection | None:
    """'Ihre Anfragen': the school's open requests, those waiting for the school first."""
    user = request.user
    if not isinstance(user, User) or Role.SCHULLEITUNG not in user.role_names:
        return None
    running_case = Q(status=Status.ACCEPTED, case__status__in=CASE_STATUSES - {Status.CLOSED})
    referrals = (
        _own_school_referrals(user)
        .filter(Q(status__in=OPEN_REQUEST_STATUSES) | running_case)
        .select_related("school", "team", "case__team")
        .order_by(
            DbCase(When(whose_move=Party.SCHOOL, then=Value(0)), default=Value(1)),
            "-received_at",
            "-pk",
        )
    )
    rows = list(referrals[: START_SECTION_LIMIT + 1])
    followed = requestpage.school_may_follow(rows[:START_SECTION_LIMIT])
    return StartSection(
        title="Ihre Anfragen",
        template="referrals/start_section_school.html",
        context={
            "rows": [
                {
                    "referral": referral,
                    "status": (seen := progress.school_row(referral, followed))["status"],
                    "whose_move": seen["whose_move_text"],
                    "waits_for_school": referral.whose_move == Party.SCHOOL,
                }
                for referral in rows[:START_SECTION_LIMIT]
            ],
            "more": len(rows) > START_SECTION_LIMIT,
        },
    )
