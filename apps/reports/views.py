"""Pages of the steering layer.

Who sees what:

- the steering page: Familienamt (Leitung and staff) with exact counts;
  Träger management for the teams its staff work in, suppressed like a
  published report (it is not the Familienamt);
- council reports: the Leitung drafts, previews and publishes; council
  members, Träger management and Familienamt staff read published versions;
- the statistics export: the Leitung only, with a purpose, logged;
- budgets: the Leitung edits; Familienamt staff read; Träger management
  reads its own Träger's budgets.

None of these pages shows a name, a file number or any case content.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Max
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from apps.accounts.models import FAMILIENAMT_ROLES, Role, User
from apps.audit.log import log_access
from apps.audit.models import Action
from apps.core import submissions
from apps.core.access import roles_required
from apps.core.htmx import partial_template
from apps.core.http import AuthenticatedHttpRequest
from apps.organisation.models import Team
from apps.reports import statistics
from apps.reports.figures import FIGURE_KEYS, Scope
from apps.reports.forms import (
    BudgetForm,
    PublishForm,
    ReportForm,
    StatisticsExportForm,
    SteeringFilterForm,
)
from apps.reports.models import Budget, CouncilReport, ProviderRate, PublishedReport
from apps.reports.periods import PeriodKind, current_period, parse_period
from apps.reports.services import ReportNotPublishable, council_figures, report_publish
from apps.reports.snapshot import (
    figures_html,
    published_figures_html,
    steering_figure,
    steering_snapshot,
    with_charts,
)
from apps.reports.suppression import suppress
from apps.reports.tables import Figure, figure_csv

FA = tuple(FAMILIENAMT_ROLES)
LEITUNG = Role.FAMILIENAMT_LEITUNG
STEERING_ROLES = (*FA, Role.TRAEGER_LEITUNG)
READERS = (*FA, Role.STADTRAT, Role.TRAEGER_LEITUNG)


def _managed_team_ids(user: User) -> list[int] | None:
    """Teams whose figures ``user`` may see; None: all (the Familienamt)."""
    if user.is_familienamt:
        return None
    traeger = user.managed_traeger
    return list(Team.objects.filter(traeger__in=traeger).values_list("pk", flat=True).distinct())


def _scope(form: SteeringFilterForm, team_ids: list[int] | None) -> Scope:
    data = form.cleaned_data if form.is_valid() else {}
    if not form.is_valid():
        # Keep what was valid; an unknown value falls back to "alle".
        data = {
            name: form.cleaned_data.get(name)
            for name in getattr(form, "cleaned_data", {})
            if name not in form.errors
        }
    period = parse_period(data.get("zeitraum") or "") or current_period(PeriodKind.YEAR)

    def pk(name: str) -> int | None:
        value = data.get(name)
        return value.pk if value is not None else None

    kind = data.get("hilfeart")
    return Scope(
        period=period,
        sozialraum_id=pk("sozialraum"),
        team_id=pk("team"),
        traeger_id=pk("traeger"),
        school_id=pk("schule"),
        help_kind=kind.code if kind is not None else "",
        help_kind_group=kind.group if kind is not None else "",
        team_ids=tuple(team_ids) if team_ids is not None else None,
    )


def _csv_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- The steering page ------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
@roles_required(*STEERING_ROLES)
def steering(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    team_ids = _managed_team_ids(user)
    form = SteeringFilterForm(request.GET or None, team_ids=team_ids)
    scope = _scope(form, team_ids)
    snapshot = steering_snapshot(scope)
    return render(
        request,
        partial_template(request, "reports/steering.html", "figures"),
        {
            "form": form,
            "scope": scope,
            "figures_html": snapshot.figures_html,
            "computed_at": snapshot.computed_at,
            "cache_minutes": settings.STEERING_CACHE_SECONDS // 60,
            "exact": team_ids is None,
        },
    )


@require_GET
@roles_required(*STEERING_ROLES)
def steering_csv(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    if key not in FIGURE_KEYS:
        return HttpResponseBadRequest("Diese Kennzahl gibt es nicht.")
    team_ids = _managed_team_ids(request.user)
    form = SteeringFilterForm(request.GET or None, team_ids=team_ids)
    scope = _scope(form, team_ids)
    figure = steering_figure(scope, key)
    return _csv_response(figure_csv([figure]), f"{key}-{scope.period.key}.csv")


# --- Council reports --------------------------------------------------------------------


@require_GET
@roles_required(*READERS)
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    published = list(
        PublishedReport.objects.latest_versions().only(
            "pk", "report_id", "number", "title", "period_label", "published_at"
        )
    )
    published.sort(key=lambda version: version.published_at, reverse=True)
    drafts: list[CouncilReport] = []
    if user.has_role(LEITUNG):
        drafts = list(
            CouncilReport.objects.annotate(last=Max("versions__number")).order_by("-updated_at")
        )
    return render(
        request,
        "reports/report_list.html",
        {"published": published, "drafts": drafts, "may_edit": user.has_role(LEITUNG)},
    )


@submissions.creates
@require_http_methods(["GET", "POST"])
@roles_required(LEITUNG)
def report_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def create() -> CouncilReport:
            report = form.save(commit=False)
            report.created_by = request.user
            report.save()
            return report

        report, _ = submissions.once(request.user, form.submission_key, create)
        messages.success(request, "Der Bericht ist als Entwurf gespeichert.")
        return redirect("reports:report_preview", pk=report.pk)
    return render(request, "reports/report_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@roles_required(LEITUNG)
def report_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(CouncilReport, pk=pk)
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        report = form.save(commit=False)
        report.updated_at = timezone.now()
        report.save()
        messages.success(request, "Der Entwurf ist gespeichert.")
        return redirect("reports:report_preview", pk=report.pk)
    return render(request, "reports/report_form.html", {"form": form, "report": report})


@require_GET
@roles_required(LEITUNG)
def report_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The report as the council would see it, computed now; nothing is frozen yet."""
    report = get_object_or_404(CouncilReport, pk=pk)
    period = parse_period(report.period_key) or current_period(PeriodKind.HALF_YEAR)
    latest = report.versions.order_by("-number").first()
    return render(
        request,
        "reports/report.html",
        {
            "report": report,
            "title": report.title,
            "period_label": period.label,
            "text": report.text,
            "figures_html": figures_html(with_charts(council_figures(period))),
            "preview": True,
            "latest": latest,
            "publish_form": PublishForm(),
        },
    )


@submissions.creates
@require_POST
@roles_required(LEITUNG)
def report_publish_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(CouncilReport, pk=pk)
    form = PublishForm(request.POST)
    # A repeat would need a change note as a correction: it gets the first POST's answer.
    version = submissions.sent_before(form, request.user)
    if version is not None:
        messages.success(request, f"Fassung {version.number} ist veröffentlicht.")
        return redirect(version)
    if not form.is_valid():
        refused = form.non_field_errors()
        messages.error(
            request,
            str(refused[0])
            if refused
            else "Der Hinweis zur Korrektur ist zu lang (höchstens 2000 Zeichen).",
        )
        return redirect("reports:report_preview", pk=report.pk)
    try:
        version, _ = submissions.once(
            request.user,
            form.submission_key,
            lambda: report_publish(
                report_id=report.pk,
                actor=request.user,
                change_note=form.cleaned_data["change_note"],
            ),
        )
    except ReportNotPublishable as error:
        messages.error(request, str(error))
        return redirect("reports:report_preview", pk=report.pk)
    messages.success(request, f"Fassung {version.number} ist veröffentlicht.")
    return redirect(version)


def _published(pk: int) -> PublishedReport:
    return get_object_or_404(PublishedReport.objects.select_related("report"), pk=pk)


@require_GET
@roles_required(*READERS)
def published_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = _published(pk)
    others = list(
        PublishedReport.objects.filter(report_id=version.report_id)
        .only("pk", "number", "published_at", "change_note")
        .order_by("-number")
    )
    return render(
        request,
        "reports/report.html",
        {
            "version": version,
            "title": version.title,
            "period_label": version.period_label,
            "text": version.text,
            "figures_html": published_figures_html(version),
            "versions": others,
            "preview": False,
        },
    )


@require_GET
@roles_required(*READERS)
def published_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = _published(pk)
    # The frozen figures were suppressed when published; suppressing again changes nothing.
    figures = [suppress(Figure.from_json(data)) for data in version.figures]
    return _csv_response(
        figure_csv(figures), f"bericht-{version.period_key}-fassung-{version.number}.csv"
    )


# --- Annual statistics ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@roles_required(LEITUNG)
def statistics_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {"jahr": timezone.localdate().year - 1}
    form = StatisticsExportForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            year, part = form.cleaned_data["jahr"], form.cleaned_data["teil"]
            log_access(
                request,
                Action.EXPORT,
                purpose=f"KJH-Statistik {year} ({part}): {form.cleaned_data['zweck']}",
            )
            return _csv_response(
                statistics.export_csv(year, part), f"kjh-statistik-{year}-{part}.csv"
            )
        return render(request, "reports/statistics.html", {"form": form}, status=400)
    return render(request, "reports/statistics.html", {"form": form})


# --- Budget -----------------------------------------------------------------------------


def _budgets_for(user: User) -> Any:
    budgets = Budget.objects.select_related("sozialraum", "traeger")
    if user.is_familienamt:
        return budgets
    return budgets.filter(traeger__in=user.managed_traeger)


@require_GET
@roles_required(*STEERING_ROLES)
def budget_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    budgets = list(_budgets_for(user).order_by("-year", "sozialraum__sort_order"))
    rates = list(
        ProviderRate.objects.select_related("provider").order_by("-year", "provider__name")
    )
    return render(
        request,
        "reports/budget_list.html",
        {"budgets": budgets, "rates": rates, "may_edit": user.has_role(LEITUNG)},
    )


@submissions.creates
@require_http_methods(["GET", "POST"])
@roles_required(LEITUNG)
def budget_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _budget_form(request, None)


@require_http_methods(["GET", "POST"])
@roles_required(LEITUNG)
def budget_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _budget_form(request, get_object_or_404(Budget, pk=pk))


def _budget_form(request: AuthenticatedHttpRequest, budget: Budget | None) -> HttpResponse:
    initial = {"year": timezone.localdate().year} if budget is None else None
    form = BudgetForm(request.POST or None, instance=budget, initial=initial)
    saved = submissions.sent_before(form, request.user)
    if saved is None and request.method == "POST" and form.is_valid():

        def save() -> Budget:
            budget = form.save(commit=False)
            budget.updated_by = request.user
            budget.save()
            return budget

        saved, _ = submissions.once(request.user, form.submission_key, save)
    if saved is not None:
        messages.success(request, f"Das Budget {saved} ist gespeichert.")
        return redirect("reports:budget_list")
    return render(request, "reports/budget_form.html", {"form": form, "budget": budget})
