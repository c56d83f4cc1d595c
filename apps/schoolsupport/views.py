"""The Schulbegleitung year for the Familienamt, and the school's part while help runs.

Familienamt: all running grants by school, provider and pool; the renewal
wave as a worklist with a bulk "start review"; hours per provider without
names. School leaders: feedback on a running help and a one-step request to
continue, both only where a valid consent for exchange with the school
covers the case (otherwise 403: the request is theirs, the case is not).
"""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from apps.accounts.models import FAMILIENAMT_ROLES, Role, User
from apps.cases.models import Case, Decision
from apps.consents import rules
from apps.core import submissions
from apps.core.access import roles_required
from apps.core.htmx import partial_template
from apps.core.http import AuthenticatedHttpRequest
from apps.core.paging import CURSOR_PARAM, keyset_page
from apps.referrals import progress
from apps.referrals.models import Referral
from apps.referrals.workflow import Status
from apps.schoolsupport import schoolyear, services
from apps.schoolsupport.forms import FeedbackForm, GrantFilter
from apps.schoolsupport.models import ContinuationRequest
from apps.schoolsupport.selectors import follow_up_exists, running_grants

PAGE_SIZE = 50
BULK_MAX = 200
FEEDBACK_STATUSES = (Status.RUNNING, Status.REVIEW)


def _page(request: AuthenticatedHttpRequest, grants: QuerySet[Decision]) -> dict[str, Any]:
    """One page of running grants, those ending first on top (the shared keyset pager)."""
    page = keyset_page(grants, ("valid_until", "pk"), request.GET.get(CURSOR_PARAM), PAGE_SIZE)
    return {"rows": page.rows, "page": page}


def _filtered(
    request: AuthenticatedHttpRequest, grants: QuerySet[Decision]
) -> tuple[GrantFilter, QuerySet[Decision]]:
    form = GrantFilter(request.GET)
    if not form.is_valid():
        return form, grants
    data = form.cleaned_data
    if data["schule"]:
        grants = grants.filter(case__school=data["schule"])
    if data["anbieter"]:
        grants = grants.filter(provider=data["anbieter"])
    if data["pool"]:
        grants = grants.filter(pool=data["pool"])
    if data["team"]:
        grants = grants.filter(case__team=data["team"])
    return form, grants


@require_GET
@vary_on_headers("HX-Request")
@roles_required(*FAMILIENAMT_ROLES)
def year(request: AuthenticatedHttpRequest) -> HttpResponse:
    """All running Schulbegleitung grants, by school, provider and pool."""
    form, grants = _filtered(request, running_grants())
    totals = grants.aggregate(count=Count("pk"), hours=Sum("hours_per_week"))
    context = {"filter": form, "totals": totals, **_page(request, grants)}
    return render(request, partial_template(request, "schoolsupport/year.html", "table"), context)


def _renewal_wave(today: datetime.date) -> QuerySet[Decision]:
    """Grants ending before the next school year, without a follow-up grant yet."""
    end = schoolyear.year_of(today).end
    asked = ContinuationRequest.objects.filter(
        case=OuterRef("case"), grant_until=OuterRef("valid_until")
    )
    return (
        running_grants(today)
        .filter(valid_until__lte=end)
        .annotate(follow_up=follow_up_exists(), continuation_asked=Exists(asked))
        .filter(follow_up=False)
    )


@require_GET
@vary_on_headers("HX-Request")
@roles_required(*FAMILIENAMT_ROLES)
def renewals(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The renewal wave as a worklist: filter, tick, start the reviews in one go."""
    today = timezone.localdate()
    form, grants = _filtered(request, _renewal_wave(today))
    state = form.cleaned_data.get("stand") if form.is_valid() else ""
    if state == "offen":
        grants = grants.filter(case__status=Status.RUNNING)
    elif state == "begonnen":
        grants = grants.filter(case__status__in=(Status.REVIEW, Status.DECISION))
    elif state == "fortsetzung":
        grants = grants.filter(Q(continuation_asked=True))
    school_year = schoolyear.year_of(today)
    context = {
        "filter": form,
        "school_year": school_year,
        "year_end": school_year.end,
        "next_year": school_year.next_name,
        "running": Status.RUNNING,
        **_page(request, grants),
    }
    return render(
        request, partial_template(request, "schoolsupport/renewals.html", "table"), context
    )


@require_POST
@roles_required(*FAMILIENAMT_ROLES)
def renewals_start(request: AuthenticatedHttpRequest) -> HttpResponseRedirect:
    user = request.user
    back = reverse("schoolsupport:renewals")
    ids = [int(v) for v in request.POST.getlist("fall") if v.isdigit()][:BULK_MAX]
    if not ids:
        messages.error(request, "Bitte wählen Sie mindestens einen Fall aus.")
        return HttpResponseRedirect(back)
    cases = list(Case.objects.visible_to(user).filter(pk__in=ids).order_by("pk"))
    started, skipped = services.reviews_start(cases=cases, actor=user)
    if started:
        messages.success(
            request,
            f"Fortschreibung begonnen für {len(started)} "
            f"{'Fall' if len(started) == 1 else 'Fälle'}: "
            + ", ".join(case.reference for case in started),
        )
    if skipped:
        messages.warning(
            request,
            "Nicht begonnen (läuft nicht mehr oder wurde inzwischen geändert): "
            + ", ".join(case.reference for case in skipped),
        )
    return HttpResponseRedirect(back)


@require_GET
@roles_required(*FAMILIENAMT_ROLES)
def hours(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Hours per provider and per school for staffing talks: figures only, no names."""
    grants = running_grants()
    per_provider = list(
        grants.values("provider__name")
        .annotate(grants=Count("pk"), hours=Sum("hours_per_week"))
        .order_by("provider__name")
    )
    per_school = list(
        grants.values("provider__name", "case__school__name", "pool__name")
        .annotate(grants=Count("pk"), hours=Sum("hours_per_week"))
        .order_by("provider__name", "case__school__name", "pool__name")
    )
    return render(
        request,
        "schoolsupport/hours.html",
        {"per_provider": per_provider, "per_school": per_school},
    )


# The school leader's side ------------------------------------------------------------


def _followed_case(request: AuthenticatedHttpRequest, pk: int) -> tuple[Referral, Case]:
    """The school's own request and its case, if a consent lets the school follow it."""
    user = request.user
    referral = get_object_or_404(
        Referral.objects.visible_to(user)
        .filter(school__in=user.schools)
        .select_related("school", "case__team"),
        pk=pk,
    )
    case = progress.case_of(referral)
    if case is None or not rules.school_may_know(case, referral.school):
        raise PermissionDenied
    return referral, case


@submissions.creates
@require_POST
@roles_required(Role.SCHULLEITUNG)
def feedback(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
    referral, case = _followed_case(request, pk)
    back = HttpResponseRedirect(f"{referral.get_absolute_url()}#rueckmeldung")
    if case.status not in FEEDBACK_STATUSES:
        messages.error(request, "Eine Rückmeldung ist möglich, solange die Hilfe läuft.")
        return back
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
        return back
    user, data = request.user, form.cleaned_data
    submissions.once(
        user,
        form.submission_key,
        lambda: services.school_feedback_send(case=case, actor=user, **data),
    )
    messages.success(request, "Danke! Ihre Rückmeldung ist beim Sozialraumteam angekommen.")
    return back


def _ending_grants(user: User, today: datetime.date) -> list[Decision]:
    """Running grants of the school's pupils ending with this school year, consent given."""
    end = schoolyear.year_of(today).end
    asked = ContinuationRequest.objects.filter(
        case=OuterRef("case"), grant_until=OuterRef("valid_until")
    )
    grants = list(
        running_grants(today)
        .filter(case__referral__school__in=user.schools, valid_until__lte=end)
        .annotate(follow_up=follow_up_exists(), continuation_asked=Exists(asked))
        .filter(follow_up=False)
        .order_by("valid_until", "pk")
    )
    followed = rules.school_follow_policy([grant.case.referral for grant in grants])
    return [grant for grant in grants if grant.case.referral_id in followed]


@require_GET
@roles_required(Role.SCHULLEITUNG)
def continuations(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    end = schoolyear.year_of(today).end
    return render(
        request,
        "schoolsupport/continuations.html",
        {"grants": _ending_grants(request.user, today), "year_end": end},
    )


@require_POST
@roles_required(Role.SCHULLEITUNG)
def continuation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
    referral, case = _followed_case(request, pk)
    back = HttpResponseRedirect(reverse("schoolsupport:continuations"))
    today = timezone.localdate()
    end = schoolyear.year_of(today).end
    grant = running_grants(today).filter(case=case).order_by("-decided_at").first()
    if grant is None or grant.valid_until is None or grant.valid_until > end:
        messages.error(
            request, "Für diese Schülerin oder diesen Schüler endet keine Schulbegleitung."
        )
        return back
    _, created = services.continuation_request(
        case=case, actor=request.user, grant_until=grant.valid_until
    )
    if created:
        messages.success(
            request,
            f"Ihre Bitte um Fortsetzung zu {referral.reference} ist beim Sozialraumteam "
            "und beim Familienamt.",
        )
    else:
        messages.info(request, f"Um Fortsetzung zu {referral.reference} haben Sie bereits gebeten.")
    return back
