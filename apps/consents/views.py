"""Consents on the case page: record, renew, withdraw, open a scan.

The case's team and the Familienamt do this; whoever cannot see the case
gets 404 (``Case.objects.visible_to``), school leaders and others 403.
"""

from django.contrib import messages
from django.http import (
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import CASEWORK_ROLES
from apps.cases.models import Case
from apps.consents import services
from apps.consents.forms import ConsentForm, RenewForm, WithdrawForm
from apps.consents.models import CaseConsent
from apps.core import submissions, uploads
from apps.core.access import roles_required
from apps.core.http import AuthenticatedHttpRequest
from apps.core.refusals import StaleRecord


def _case(request: AuthenticatedHttpRequest, case_pk: int) -> Case:
    return get_object_or_404(Case.objects.visible_to(request.user), pk=case_pk)


def _consent(case: Case, consent_pk: int) -> CaseConsent:
    return get_object_or_404(CaseConsent.objects.filter(case=case), pk=consent_pk)


def _list_url(case: Case) -> str:
    return reverse("consents:list", args=[case.pk])


def consents_of(case: Case) -> list[CaseConsent]:
    return list(
        CaseConsent.objects.filter(case=case)
        .select_related("recorded_by", "withdrawn_recorded_by", "renews")
        .prefetch_related(
            "recipient_organisations", "recipient_schools", "recipient_providers", "renewals"
        )
        .order_by("-given_on", "-pk")
    )


def _page(
    request: AuthenticatedHttpRequest, case: Case, form: ConsentForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "consents/consent_list.html",
        {"case": case, "consents": consents_of(case), "form": form},
        status=status,
    )


@require_GET
@roles_required(*CASEWORK_ROLES)
def consent_list(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    return _page(request, case, ConsentForm())


@submissions.creates
@require_POST
@roles_required(*CASEWORK_ROLES)
def consent_create(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    form = ConsentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, case, form, status=400)
    user = request.user
    data = form.to_input()
    submissions.once(
        user,
        form.submission_key,
        lambda: services.consent_record(case=case, actor=user, data=data),
    )
    messages.success(request, "Die Einwilligung ist erfasst.")
    return HttpResponseRedirect(_list_url(case))


@submissions.creates
@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def consent_renew(request: AuthenticatedHttpRequest, case_pk: int, consent_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    consent = _consent(case, consent_pk)
    posted = request.method == "POST"
    form = RenewForm(request.POST, request.FILES) if posted else RenewForm()
    if posted and form.is_valid():
        try:
            submissions.once(
                request.user,
                form.submission_key,
                lambda: services.consent_renew(
                    consent_id=consent.pk,
                    actor=request.user,
                    given_on=form.cleaned_data["given_on"],
                    valid_until=form.cleaned_data["valid_until"],
                    form=form.cleaned_data["form"],
                    scan=form.cleaned_data.get("scan"),
                ),
            )
        except StaleRecord as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Die Einwilligung ist erneuert.")
        return HttpResponseRedirect(_list_url(case))
    return render(
        request,
        "consents/consent_renew.html",
        {"case": case, "consent": consent, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def consent_withdraw(
    request: AuthenticatedHttpRequest, case_pk: int, consent_pk: int
) -> HttpResponse:
    case = _case(request, case_pk)
    consent = _consent(case, consent_pk)
    posted = request.method == "POST"
    form = WithdrawForm(request.POST) if posted else WithdrawForm()
    if posted and form.is_valid():
        try:
            services.consent_withdraw(
                consent_id=consent.pk,
                actor=request.user,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                note=form.cleaned_data["note"],
            )
        except StaleRecord as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                "Der Widerruf ist erfasst und gilt ab sofort: in der Fallberatung wird der "
                "Fall pseudonymisiert, die Schule erhält keine Rückmeldung mehr.",
            )
        return HttpResponseRedirect(_list_url(case))
    return render(
        request,
        "consents/consent_withdraw.html",
        {"case": case, "consent": consent, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_GET
@roles_required(*CASEWORK_ROLES)
def consent_scan(
    request: AuthenticatedHttpRequest, case_pk: int, consent_pk: int
) -> HttpResponseBase:
    case = _case(request, case_pk)
    consent = get_object_or_404(
        CaseConsent.objects.filter(case=case).exclude(scan=""), pk=consent_pk
    )
    return uploads.download(consent.scan, f"Einwilligung-{case.reference}")
