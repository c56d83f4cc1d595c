"""The Familienamt's triage: the queue of incoming requests and the actions on one.

Every action posts the version of the request the person saw; the service
refuses with :class:`StaleRecord` when someone else acted in between, so two
staff working on the same request never both get their way.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from apps.accounts.models import FAMILIENAMT_ROLES, User
from apps.core import forms as core_forms
from apps.core import submissions
from apps.core.access import roles_required
from apps.core.htmx import partial_template
from apps.core.http import AuthenticatedHttpRequest
from apps.core.paging import CURSOR_PARAM, keyset_page
from apps.core.refusals import Refused, refused_response
from apps.core.submissions import SubmissionKeyMixin
from apps.organisation.models import Team
from apps.referrals.filters import (
    ReferralFilter,
    clean_filter_query,
    status_counts,
)
from apps.referrals.forms import AssignForm, SavedFilterForm
from apps.referrals.models import Consent, Question, Referral, ReferralEvent, SavedFilter
from apps.referrals.services import (
    referral_ask_question,
    referral_reject,
    referral_reroute,
    referral_start_triage,
    referrals_assign,
)
from apps.referrals.workflow import (
    OPEN_REQUEST_STATUSES,
    REQUEST_STATUSES,
    Status,
    TransitionNotAllowed,
    next_steps,
)

QUEUE_TEMPLATE = "referrals/queue.html"
DETAIL_TEMPLATE = "referrals/triage_detail.html"
PAGE_SIZE = 50
# Open § 8a reports above the queue, oldest first; more than this is an emergency of its own.
CHILD_PROTECTION_SHOWN = 50
LIST_RELATED = ("school", "sozialraum", "team", "assignee")


@dataclass(frozen=True)
class QueueRow:
    referral: Referral
    waiting_days: int


def _rows(referrals: list[Referral]) -> list[QueueRow]:
    today = timezone.localdate()
    return [QueueRow(r, (today - timezone.localtime(r.received_at).date()).days) for r in referrals]


# --- the queue ---------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
@roles_required(*FAMILIENAMT_ROLES)
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    visible = Referral.objects.visible_to(user)
    referral_filter = ReferralFilter(request.GET, queryset=visible, request=request)

    # §8a reports never wait in the normal queue: open ones stand on top, whatever the filters.
    open_child_protection = Q(kind=Referral.Kind.KINDERSCHUTZ, status__in=OPEN_REQUEST_STATUSES)
    base = referral_filter.base_queryset().exclude(open_child_protection)
    statuses = referral_filter.selected_statuses
    counts = status_counts(base, statuses)

    page = keyset_page(
        base.filter(status__in=statuses).select_related(*LIST_RELATED),
        # Urgent requests first, then the longest waiting.
        ("-urgent", "received_at", "pk"),
        request.GET.get(CURSOR_PARAM),
        PAGE_SIZE,
    )

    context = {
        "filter": referral_filter,
        "rows": _rows(page.rows),
        "page": page,
        "next_cursor": page.next_cursor,
        "total": counts.pop("total"),
        "total_is_of_last_year": not set(statuses) <= OPEN_REQUEST_STATUSES,
        "status_counts": [
            (
                value,
                label if value in OPEN_REQUEST_STATUSES else f"{label} (12 Monate)",
                counts[value],
            )
            for value, label in Status.choices
            if value in REQUEST_STATUSES
        ],
        "current_query": clean_filter_query(request.GET.urlencode()),
        "cursor_param": CURSOR_PARAM,
    }
    template = partial_template(request, QUEUE_TEMPLATE, "queue-table")
    if template == QUEUE_TEMPLATE:
        child_protection = list(
            visible.filter(open_child_protection)
            .select_related(*LIST_RELATED)
            .order_by("received_at", "pk")[: CHILD_PROTECTION_SHOWN + 1]
        )
        context |= {
            "child_protection": _rows(child_protection[:CHILD_PROTECTION_SHOWN]),
            "child_protection_more": len(child_protection) > CHILD_PROTECTION_SHOWN,
            "saved_filters": list(SavedFilter.objects.filter(owner=user)),
            "assign_form": AssignForm(
                me=user,
                label="Ausgewählte Anfragen zuweisen an",
                chosen=None,
                choose_first=True,
                auto_id="bulk-%s",
            ),
            "save_form": SavedFilterForm(auto_id="filter-save-%s"),
        }
    return render(request, template, context)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.strip().isdigit()]


def _safe_next(request: AuthenticatedHttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
@roles_required(*FAMILIENAMT_ROLES)
def bulk_assign(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    back = HttpResponseRedirect(_safe_next(request, reverse("referrals:queue")))
    ids = list(
        Referral.objects.visible_to(user)
        .filter(pk__in=_ids(request.POST.getlist("ids")))
        .values_list("pk", flat=True)
    )
    assignee_ids = _ids([request.POST.get("assignee", "")])
    assignee = (
        User.objects.filter(
            pk=assignee_ids[0], is_active=True, role_assignments__role__in=FAMILIENAMT_ROLES
        )
        .distinct()
        .first()
        if assignee_ids
        else None
    )
    if not ids:
        messages.error(request, "Bitte wählen Sie mindestens eine Anfrage aus.")
        return back
    if assignee is None:
        messages.error(
            request, "Bitte wählen Sie eine Mitarbeiterin oder einen Mitarbeiter des Familienamts."
        )
        return back
    try:
        changed = referrals_assign(referral_ids=ids, assignee=assignee, actor=user)
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
        return back
    if changed == 1:
        messages.success(request, f"1 Anfrage zugewiesen an {assignee}.")
    elif changed:
        messages.success(request, f"{changed} Anfragen zugewiesen an {assignee}.")
    else:
        messages.info(
            request,
            "0 Anfragen zugewiesen: Die gewählten Anfragen sind erledigt "
            "oder waren schon so zugewiesen.",
        )
    return back


# --- saved filters -----------------------------------------------------------


@require_POST
@roles_required(*FAMILIENAMT_ROLES)
def filter_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = SavedFilterForm(request.POST)
    valid = form.is_valid()
    query = clean_filter_query(form.cleaned_data.get("query", "")) if valid else ""
    back = redirect(f"{reverse('referrals:queue')}?{query}" if query else "referrals:queue")
    if not valid:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return back
    name = form.cleaned_data["name"]
    if len(query) > SavedFilter._meta.get_field("query").max_length:  # type: ignore[operator]
        messages.error(request, "Dieser Filter ist zu umfangreich, um ihn zu speichern.")
        return back
    try:
        with transaction.atomic():
            SavedFilter.objects.create(owner=user, name=name, query=query)
    except IntegrityError:
        messages.error(
            request,
            f"Sie haben schon einen Filter „{name}“. Bitte wählen Sie einen anderen Namen.",
        )
        return back
    messages.success(request, f"Filter „{name}“ gespeichert.")
    return back


@require_POST
@roles_required(*FAMILIENAMT_ROLES)
def filter_delete(request: AuthenticatedHttpRequest, filter_pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedFilter, pk=filter_pk, owner=request.user)
    saved.delete()
    messages.success(request, f"Filter „{saved.name}“ gelöscht.")
    return redirect("referrals:queue")


# --- one request -------------------------------------------------------------


class VersionForm(core_forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class AskForm(SubmissionKeyMixin, VersionForm):
    text = forms.CharField(
        label="Ihre Frage an die Schule",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Die Schulleitung sieht die Frage und antwortet in der Anwendung. "
        "Bitte nennen Sie keine Namen, die die Schule nicht kennt.",
        error_messages={"required": "Bitte schreiben Sie Ihre Frage an die Schule."},
    )


class RejectForm(VersionForm):
    reason = forms.CharField(
        label="Begründung (die Schule sieht sie)",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Die Schule sieht diese Begründung. Schreiben Sie nichts, was die "
        "Sorgeberechtigten nicht zur Weitergabe freigegeben haben.",
        error_messages={
            "required": "Bitte begründen Sie die Ablehnung. Die Schule sieht den Text."
        },
    )


class RerouteForm(VersionForm):
    team = forms.ModelChoiceField(
        label="Zuständiges Sozialraumteam",
        queryset=Team.objects.select_related("sozialraum"),
        empty_label="Bitte wählen",
        error_messages={
            "required": "Bitte wählen Sie das zuständige Team.",
            "invalid_choice": "Bitte wählen Sie eines der angebotenen Teams.",
        },
    )
    reason = forms.CharField(
        label="Begründung der Änderung",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Bitte begründen Sie, warum Sie die Zuständigkeit ändern."},
    )


VERSION_MISSING = (
    "Das Formular ist unvollständig. "
    "Bitte laden Sie die Seite neu und versuchen Sie es noch einmal."
)


def triage_detail(
    request: AuthenticatedHttpRequest,
    referral: Referral,
    *,
    forms_with_errors: dict[str, forms.Form] | None = None,
    status: int = 200,
    refusal: Refused | None = None,
    compared: tuple[dict[str, str], dict[str, str], dict[str, str]] | None = None,
) -> HttpResponse:
    """Everything the Familienamt needs to triage one request (called by ``detail``)."""
    user = request.user
    referral = (
        Referral.objects.select_related(
            "school__stadtteil", "sozialraum", "team", "assignee", "created_by"
        )
        .prefetch_related(
            Prefetch("consents", queryset=Consent.objects.select_related("recorded_by")),
            Prefetch(
                "questions",
                queryset=Question.objects.select_related("asked_by", "answered_by"),
            ),
            Prefetch("events", queryset=ReferralEvent.objects.select_related("actor")),
        )
        .get(pk=referral.pk)
    )
    targets = {step.target for step in next_steps(referral.status, user.role_names)}
    initial = {"version": referral.version}
    context: dict[str, Any] = {
        "referral": referral,
        "can_start": Status.IN_TRIAGE in targets,
        "can_ask": Status.QUESTION in targets and referral.school_id is not None,
        "can_reject": Status.REJECTED in targets,
        "can_open_case": Status.ACCEPTED in targets,
        "can_reroute": referral.is_open,
        "can_assign": referral.is_open,
        "ask_form": AskForm(initial=initial),
        "reject_form": RejectForm(initial=initial),
        "reroute_form": RerouteForm(initial=initial | {"team": referral.team_id}),
        "assign_form": AssignForm(
            me=user,
            label="Zuweisen an",
            chosen=referral.assignee_id,
            choose_first=False,
            auto_id="%s",
        )
        if referral.is_open
        else None,
        "is_child_protection": referral.kind == Referral.Kind.KINDERSCHUTZ,
    }
    context |= forms_with_errors or {}
    if refusal is not None:
        labels, saved, typed = compared or ({}, {}, {})
        return refused_response(
            request, DETAIL_TEMPLATE, context, refusal, labels=labels, saved=saved, typed=typed
        )
    return render(request, DETAIL_TEMPLATE, context, status=status)


def _visible_referral(request: AuthenticatedHttpRequest, pk: int) -> Referral:
    return get_object_or_404(Referral.objects.visible_to(request.user), pk=pk)


def _refused(request: AuthenticatedHttpRequest, referral: Referral, error: Refused) -> HttpResponse:
    """A refused step with nothing typed: back to the request, with the reason."""
    messages.error(request, error.message)
    return redirect(referral)


def _refused_keeping_input(
    request: AuthenticatedHttpRequest,
    referral: Referral,
    name: str,
    form: forms.Form,
    error: Refused,
) -> HttpResponse:
    """A refused step with typed text: the page again (409), the text kept, set against
    what the request says now, so a colleague's Rückfrage or decision is seen first."""
    referral = Referral.objects.select_related("team").get(pk=referral.pk)
    typed = {key: str(value) for key, value in form.cleaned_data.items() if key != "version"}
    last_question = referral.questions.order_by("-asked_at", "-pk").first()
    saved = {
        "text": last_question.text if last_question else "",
        "reason": referral.override_reason if name == "reroute_form" else referral.rejection_reason,
        "team": str(referral.team or ""),
    }
    labels = {key: str(form.fields[key].label) for key in typed}
    data = request.POST.copy()
    data["version"] = str(referral.version)
    retyped = type(form)(data)
    retyped.is_valid()
    return triage_detail(
        request,
        referral,
        forms_with_errors={name: retyped},
        refusal=error,
        compared=(labels, {key: saved[key] for key in labels}, typed),
    )


def _invalid(
    request: AuthenticatedHttpRequest, referral: Referral, name: str, form: forms.Form
) -> HttpResponse:
    if "version" in form.errors:
        messages.error(request, VERSION_MISSING)
        return redirect(referral)
    # The page again with what was typed, so nothing is lost.
    return triage_detail(request, referral, forms_with_errors={name: form}, status=400)


@require_POST
@roles_required(*FAMILIENAMT_ROLES)
def start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = _visible_referral(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, VERSION_MISSING)
        return redirect(referral)
    try:
        referral_start_triage(
            referral_id=referral.pk,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except Refused as refusal:
        return _refused(request, referral, refusal)
    messages.success(request, f"Sie prüfen jetzt die Anfrage {referral.reference}.")
    return redirect(referral)


@submissions.creates
@require_POST
@roles_required(*FAMILIENAMT_ROLES)
def ask(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = _visible_referral(request, pk)
    form = AskForm(request.POST)
    try:
        if submissions.sent_before(form, request.user) is None:
            if not form.is_valid():
                return _invalid(request, referral, "ask_form", form)
            submissions.once(
                request.user,
                form.submission_key,
                lambda: referral_ask_question(
                    referral_id=referral.pk,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    expected_version=form.cleaned_data["version"],
                ),
            )
    except Refused as refusal:
        return _refused_keeping_input(request, referral, "ask_form", form, refusal)
    messages.success(request, "Ihre Rückfrage ist an die Schule gegangen.")
    return redirect(referral)


@require_POST
@roles_required(*FAMILIENAMT_ROLES)
def reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = _visible_referral(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _invalid(request, referral, "reject_form", form)
    try:
        referral_reject(
            referral_id=referral.pk,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except Refused as refusal:
        return _refused_keeping_input(request, referral, "reject_form", form, refusal)
    messages.success(request, f"Die Anfrage {referral.reference} ist abgelehnt.")
    return redirect(referral)


@require_POST
@roles_required(*FAMILIENAMT_ROLES)
def reroute(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = _visible_referral(request, pk)
    form = RerouteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, referral, "reroute_form", form)
    try:
        changed = referral_reroute(
            referral_id=referral.pk,
            actor=request.user,
            team=form.cleaned_data["team"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except Refused as refusal:
        return _refused_keeping_input(request, referral, "reroute_form", form, refusal)
    messages.success(request, f"Zuständig ist jetzt: {changed.team}.")
    return redirect(referral)
