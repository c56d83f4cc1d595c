"""The steering figures, each computed in the database in one grouped query.

Every function takes a :class:`Scope` (period and filters) and returns a
:class:`~apps.reports.tables.Figure` with the period and the same period a
year before side by side. No function loads cases or requests into Python:
they group and count in PostgreSQL (medians and 90th percentiles with
``percentile_cont``), so the number of queries does not grow with the data.

These read across apps (requests, cases, help plans, neighbourhood work),
which is why they live here in one ``selectors``-like module and not in the
apps' querysets. They return counts only: no names, no file numbers.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Aggregate,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Func,
    Min,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from apps.cases.models import Case, ChildProtectionResult, ClosingReason, Decision, HelpKind
from apps.casework.models import Attainment, GoalAttainment
from apps.neighbourhood.models import Activity
from apps.organisation.models import Sozialraum, Team
from apps.referrals.models import Referral, ReferralEvent, RequestSource
from apps.referrals.workflow import CASE_STATUSES, Party, Status
from apps.reports.models import Budget
from apps.reports.periods import Period
from apps.reports.tables import AMOUNT, MEASURE, Column, Figure, Row

DAY_SECONDS = 86400
HOUR_SECONDS = 3600
ENDING_SOON_DAYS = 56  # eight weeks

# The request kind that belongs to a group of kinds of help, so one filter serves
# requests (which have no kind of help yet) and cases.
REFERRAL_KIND_OF_GROUP: dict[str, str] = {
    HelpKind.Group.SCHULBEGLEITUNG: Referral.Kind.SCHULBEGLEITUNG,
    HelpKind.Group.KINDERSCHUTZ: Referral.Kind.KINDERSCHUTZ,
}


class Percentile(Aggregate):
    """``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`` (PostgreSQL)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        if not 0 < fraction < 1:
            raise ValueError("fraction must lie between 0 and 1")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def _seconds(expression: Any) -> Func:
    return Func(
        expression,
        template="EXTRACT(EPOCH FROM %(expressions)s)",
        output_field=FloatField(),
    )


@dataclass(frozen=True)
class Scope:
    """The period and the filters of one view of the figures."""

    period: Period
    sozialraum_id: int | None = None
    team_id: int | None = None
    traeger_id: int | None = None
    school_id: int | None = None
    # A kind of help (its code) and the group it belongs to.
    help_kind: str = ""
    help_kind_group: str = ""
    # Träger management sees only the teams its staff work in (None: all teams).
    team_ids: tuple[int, ...] | None = None
    now: datetime.datetime = field(default_factory=timezone.now)

    @property
    def previous(self) -> Period:
        return self.period.year_before()

    @property
    def reference_day(self) -> datetime.date:
        """The day stock figures are taken on: the period's last day, or today."""
        return min(self.period.last_day, timezone.localdate(self.now))

    def teams_q(self, prefix: str = "") -> Q:
        q = Q()
        if self.sozialraum_id:
            q &= Q(**{f"{prefix}team__sozialraum_id": self.sozialraum_id})
        if self.team_id:
            q &= Q(**{f"{prefix}team_id": self.team_id})
        if self.traeger_id:
            q &= Q(**{f"{prefix}team__traeger": self.traeger_id})
        if self.team_ids is not None:
            q &= Q(**{f"{prefix}team_id__in": self.team_ids})
        return q

    def case_q(self, prefix: str = "") -> Q:
        q = self.teams_q(prefix)
        if self.school_id:
            q &= Q(**{f"{prefix}school_id": self.school_id})
        if self.help_kind:
            q &= Q(**{f"{prefix}help_kind": self.help_kind})
        return q

    def referral_q(self) -> Q:
        q = Q()
        if self.sozialraum_id:
            q &= Q(sozialraum_id=self.sozialraum_id) | Q(team__sozialraum_id=self.sozialraum_id)
        if self.team_id:
            q &= Q(team_id=self.team_id)
        if self.traeger_id:
            q &= Q(team__traeger=self.traeger_id)
        if self.team_ids is not None:
            q &= Q(team_id__in=self.team_ids)
        if self.school_id:
            q &= Q(school_id=self.school_id)
        if self.help_kind:
            q &= Q(kind=REFERRAL_KIND_OF_GROUP.get(self.help_kind_group, Referral.Kind.OTHER_HELP))
        return q

    def decision_q(self) -> Q:
        """Decisions of the cases in scope; the kind of help is the decision's own."""
        q = self.teams_q("case__")
        if self.school_id:
            q &= Q(case__school_id=self.school_id)
        if self.help_kind:
            q &= Q(help_kind=self.help_kind)
        return q

    @property
    def filters_cases_only(self) -> bool:
        """School or kind of help chosen: figures without either cannot be narrowed."""
        return bool(self.school_id or self.help_kind)


def _in(field_name: str, period: Period, *, dates: bool = False) -> Q:
    if dates:
        return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lt": period.end})
    start, end = period.bounds()
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


def _either(field_name: str, scope: Scope, *, dates: bool = False) -> Q:
    """In the period or the year before; the span around both is one index range."""
    span = Period(scope.period.kind, scope.previous.start, scope.period.end)
    if scope.previous.end == scope.period.start:  # a year and the year before: the span is both
        return _in(field_name, span, dates=dates)
    return _in(field_name, span, dates=dates) & (
        _in(field_name, scope.period, dates=dates) | _in(field_name, scope.previous, dates=dates)
    )


def _by(key: str, rows: Any) -> dict[Any, dict[str, Any]]:
    """Grouped rows (``values().annotate()``) by their group key."""
    return {row[key]: dict(row) for row in rows}


def _now_and_before(grouped: dict[Any, dict[str, Any]], key: Any) -> list[Any]:
    """One group's count in the period and in the year before (0 where it has none)."""
    row = grouped.get(key, {})
    return [row.get("now", 0), row.get("before", 0)]


def _compare_columns(label: str = "Anzahl") -> list[Column]:
    return [Column(label), Column(f"{label} Vorjahreszeitraum")]


def _total(rows: list[Row], columns: int) -> Row:
    sums: list[Any] = []
    for index in range(columns):
        values = [row.values[index] for row in rows if row.values[index] is not None]
        sums.append(sum(values) if values else 0)
    return Row("Insgesamt", sums, is_total=True)


def _round(value: float | Decimal | None, places: int = 1) -> float | None:
    return None if value is None else round(float(value), places)


# --- Requests ---------------------------------------------------------------------------


def requests_by_source(scope: Scope) -> Figure:
    rows_by_source = _by(
        "source",
        Referral.objects.exclude(status=Status.DRAFT)
        .filter(scope.referral_q() & _either("received_at", scope))
        .values("source")
        .annotate(
            now=Count("pk", filter=_in("received_at", scope.period)),
            before=Count("pk", filter=_in("received_at", scope.previous)),
        ),
    )
    rows = [
        Row(
            label,
            [
                rows_by_source.get(value, {}).get("now", 0),
                rows_by_source.get(value, {}).get("before", 0),
            ],
        )
        for value, label in RequestSource.objects.order_by("sort_order", "name").values_list(
            "code", "name"
        )
    ]
    return Figure(
        key="anfragen",
        title="Eingegangene Anfragen nach Herkunft (wer die Hilfe angeregt hat)",
        row_header="Herkunft",
        columns=_compare_columns(),
        rows=[*rows, _total(rows, 2)],
        compare_column=1,
    )


# First moments per request as grouped minimums over a join, not correlated subqueries:
# an aggregate over them runs on a grouped subquery that PostgreSQL computes once per
# request; a subquery annotation was repeated in every FILTER that names it (each
# figure read all requests ever received a dozen times: 20 s at 100,000 requests).
#
# Each join reads only the rows since the earlier period began (``since``): a request's
# events, its case and the case's decisions all come after its receipt, so nothing
# older can belong to a request received in the periods, and the decades of history
# behind them stay unread (indexes on the event's, the opening's and the decision's
# moment).


def _since_periods(since: datetime.datetime) -> dict[str, FilteredRelation]:
    return {
        "recent_events": FilteredRelation(
            "events", condition=Q(events__at__gte=since, events__from_status=Status.RECEIVED)
        ),
        "recent_case": FilteredRelation("case", condition=Q(case__opened_at__gte=since)),
        "recent_decisions": FilteredRelation(
            "recent_case__decisions", condition=Q(recent_case__decisions__decided_at__gte=since)
        ),
    }


def _first_handling() -> Min:
    """The first event that took the request out of "received" (its first triage)."""
    return Min("recent_events__at")


def _first_decision() -> Min:
    return Min("recent_decisions__decided_at")


def _duration_aggregates(
    measures: dict[str, Any], scope: Scope, unit_seconds: int
) -> dict[str, Aggregate]:
    aggregates: dict[str, Aggregate] = {}
    for name, expression in measures.items():
        value = ExpressionWrapper(_seconds(expression) / unit_seconds, output_field=FloatField())
        for tag, period in (("now", scope.period), ("before", scope.previous)):
            within = _in("received_at", period) & Q(**{f"{name}_at__isnull": False})
            aggregates[f"{name}_{tag}_n"] = Count("pk", filter=within)
            aggregates[f"{name}_{tag}_median"] = Percentile(value, 0.5, filter=within)
            aggregates[f"{name}_{tag}_p90"] = Percentile(value, 0.9, filter=within)
    return aggregates


def _duration_columns(unit: str) -> list[Column]:
    return [
        Column("Anzahl"),
        Column("Median", MEASURE, basis=0, unit=unit),
        Column("90. Perzentil", MEASURE, basis=0, unit=unit),
        Column("Anzahl Vorjahreszeitraum"),
        Column("Median Vorjahreszeitraum", MEASURE, basis=3, unit=unit),
        Column("90. Perzentil Vorjahreszeitraum", MEASURE, basis=3, unit=unit),
    ]


def _duration_row(label: str, name: str, data: dict[str, Any]) -> Row:
    return Row(
        label,
        [
            data[f"{name}_now_n"],
            _round(data[f"{name}_now_median"]),
            _round(data[f"{name}_now_p90"]),
            data[f"{name}_before_n"],
            _round(data[f"{name}_before_median"]),
            _round(data[f"{name}_before_p90"]),
        ],
    )


def waiting_times(scope: Scope) -> Figure:
    """From receipt to first handling, to the case opening and to the first decision."""
    measures = {
        "triage": F("triage_at") - F("received_at"),
        "opening": F("opening_at") - F("received_at"),
        "decision": F("decision_at") - F("received_at"),
    }
    data = (
        Referral.objects.exclude(status=Status.DRAFT)
        .filter(scope.referral_q() & _either("received_at", scope))
        .annotate(**_since_periods(scope.previous.bounds()[0]))
        .annotate(
            triage_at=_first_handling(),
            opening_at=Min("recent_case__opened_at"),
            decision_at=_first_decision(),
        )
        .aggregate(**_duration_aggregates(measures, scope, DAY_SECONDS))
    )
    return Figure(
        key="bearbeitungszeiten",
        title=(
            "Zeit vom Eingang einer Anfrage bis zur ersten Bearbeitung, "
            "Falleröffnung und Entscheidung"
        ),
        row_header="Schritt",
        columns=_duration_columns("Tage"),
        rows=[
            _duration_row("Eingang → erste Bearbeitung", "triage", data),
            _duration_row("Eingang → Falleröffnung", "opening", data),
            _duration_row("Eingang → erster Bescheid", "decision", data),
        ],
        note="Anfragen, die im Zeitraum eingegangen sind; Median und 90. Perzentil in Tagen.",
        chart_column=1,
        compare_column=4,
    )


DONE_STATUSES = [Status.ACCEPTED, Status.REJECTED]
OPEN_REQUEST_STATUSES = [Status.RECEIVED, Status.IN_TRIAGE, Status.QUESTION]
WAIT_BUCKETS = ((0, 7, "bis 7 Tage"), (8, 14, "8 bis 14 Tage"), (15, 28, "15 bis 28 Tage"))


def open_requests(scope: Scope) -> Figure:
    """Requests not yet accepted or rejected on the reference day, by how long they wait."""
    tz = timezone.get_current_timezone()
    moments = {
        "now": datetime.datetime.combine(
            scope.reference_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
    }
    moments["now"] = min(moments["now"], scope.now)
    moments["before"] = moments["now"].replace(year=moments["now"].year - 1)
    aggregates: dict[str, Aggregate] = {}
    for tag, moment in moments.items():
        waiting = ExpressionWrapper(
            _seconds(Value(moment) - F("received_at")) / DAY_SECONDS, output_field=FloatField()
        )
        is_open = Q(received_at__lt=moment) & (Q(done_at__isnull=True) | Q(done_at__gte=moment))
        for low, high, _ in WAIT_BUCKETS:
            bucket = is_open & Q(
                received_at__lte=moment - datetime.timedelta(days=low),
                received_at__gt=moment - datetime.timedelta(days=high + 1),
            )
            aggregates[f"{tag}_{low}"] = Count("pk", filter=bucket)
        aggregates[f"{tag}_long"] = Count(
            "pk",
            filter=is_open & Q(received_at__lte=moment - datetime.timedelta(days=29)),
        )
        aggregates[f"{tag}_all"] = Count("pk", filter=is_open)
        aggregates[f"{tag}_median"] = Percentile(waiting, 0.5, filter=is_open)
    # Open at either moment: open today, or accepted or rejected since the earlier one
    # (both are final, so a request's only such event is the one since then). The rest
    # of all requests ever received and their events need not be read.
    since = moments["before"]
    open_today = Referral.objects.filter(status__in=OPEN_REQUEST_STATUSES).values("pk")
    done_since = ReferralEvent.objects.filter(to_status__in=DONE_STATUSES, at__gte=since).values(
        "referral_id"
    )
    data = (
        Referral.objects.filter(pk__in=open_today.union(done_since))
        .exclude(status=Status.DRAFT)
        .filter(scope.referral_q())
        .filter(received_at__lt=moments["now"])
        .annotate(
            done_events=FilteredRelation(
                "events", condition=Q(events__to_status__in=DONE_STATUSES, events__at__gte=since)
            )
        )
        .annotate(done_at=Min("done_events__at"))
        .aggregate(**aggregates)
    )
    rows = [
        Row(label, [data[f"now_{low}"], None, data[f"before_{low}"], None])
        for low, _, label in WAIT_BUCKETS
    ]
    rows.append(Row("mehr als 28 Tage", [data["now_long"], None, data["before_long"], None]))
    rows.append(
        Row(
            "Insgesamt",
            [
                data["now_all"],
                _round(data["now_median"]),
                data["before_all"],
                _round(data["before_median"]),
            ],
            is_total=True,
        )
    )
    return Figure(
        key="offene-anfragen",
        title="Offene Anfragen und wie lange sie warten",
        row_header="Wartezeit",
        columns=[
            Column("Anzahl"),
            Column("Median Wartezeit", MEASURE, basis=0, unit="Tage"),
            Column("Anzahl ein Jahr zuvor"),
            Column("Median Wartezeit ein Jahr zuvor", MEASURE, basis=2, unit="Tage"),
        ],
        rows=rows,
        note=f"Stand {scope.reference_day:%d.%m.%Y}: noch nicht angenommen oder abgelehnt.",
        compare_column=2,
    )


# --- Cases ------------------------------------------------------------------------------

OPEN_CASE_STATUSES = [s for s in Status if s in CASE_STATUSES and s != Status.CLOSED]
PARTIES = [Party.TEAM, Party.FAMILIENAMT, Party.PARENTS, Party.SCHOOL]


def cases_by_status(scope: Scope) -> Figure:
    """Open cases today per status and whose move it is; a year ago only the total is known."""
    grouped = _by(
        "status",
        Case.objects.filter(scope.case_q())
        .exclude(status=Status.CLOSED)
        .values("status")
        .annotate(
            **{f"p_{party.value}": Count("pk", filter=Q(whose_move=party)) for party in PARTIES},
            all=Count("pk"),
        ),
    )
    year_ago = scope.now.replace(year=scope.now.year - 1)
    open_then = (
        Case.objects.filter(scope.case_q())
        .filter(opened_at__lt=year_ago)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=year_ago))
        .count()
    )
    rows = []
    for status in OPEN_CASE_STATUSES:
        data = grouped.get(status, {})
        rows.append(
            Row(
                status.label,
                [*(data.get(f"p_{party.value}", 0) for party in PARTIES), data.get("all", 0), None],
            )
        )
    total = _total(rows, len(PARTIES) + 1)
    total.values.append(open_then)
    columns = [Column(f"am Zug: {party.label}", summand=True) for party in PARTIES]
    columns += [Column("Insgesamt", total=True), Column("offen ein Jahr zuvor")]
    return Figure(
        key="faelle-status",
        title="Offene Fälle nach Status und wer am Zug ist",
        row_header="Status",
        columns=columns,
        rows=[*rows, total],
        # A date, not "today": a published report keeps this note for years.
        note=(
            f"Stand {timezone.localdate(scope.now):%d.%m.%Y}. Für das Vorjahr ist nur die Zahl "
            "der damals offenen Fälle bekannt."
        ),
        chart_column=len(PARTIES),
    )


def _active_on(day: datetime.date) -> Q:
    return Q(valid_from__lte=day, valid_until__gte=day)


def schulbegleitung_hours(scope: Scope) -> Figure:
    """Hours per week of Schulbegleitung granted and running, by provider and pool."""
    day = scope.reference_day
    before = (
        day.replace(year=day.year - 1)
        if not (day.month == 2 and day.day == 29)
        else (day.replace(year=day.year - 1, day=28))
    )
    now_q, before_q = _active_on(day), _active_on(before)
    grouped = list(
        Decision.objects.filter(
            outcome=Decision.Outcome.GRANTED, help_kind__group=HelpKind.Group.SCHULBEGLEITUNG
        )
        .filter(scope.decision_q())
        .filter(now_q | before_q)
        .values("provider__name", "pool__name")
        .annotate(
            n_now=Count("pk", filter=now_q),
            h_now=Sum("hours_per_week", filter=now_q),
            n_before=Count("pk", filter=before_q),
            h_before=Sum("hours_per_week", filter=before_q),
        )
        .order_by("provider__name", "pool__name")
    )
    rows = [
        Row(
            f"{row['provider__name']} – {row['pool__name'] or 'ohne Pool'}",
            [row["n_now"], row["h_now"] or 0, row["n_before"], row["h_before"] or 0],
        )
        for row in grouped
    ]
    total = _total(rows, 4)
    return Figure(
        key="schulbegleitung",
        title="Bewilligte Schulbegleitung: Stunden pro Woche nach Leistungserbringer und Pool",
        row_header="Leistungserbringer – Pool",
        columns=[
            Column("Bewilligungen"),
            Column("Stunden pro Woche", MEASURE, basis=0),
            Column("Bewilligungen Vorjahr"),
            Column("Stunden pro Woche Vorjahr", MEASURE, basis=2),
        ],
        rows=[*rows, total],
        note=f"Laufende Bewilligungen am {day:%d.%m.%Y} und ein Jahr zuvor.",
        chart_column=1,
        compare_column=3,
    )


def grants_ending(scope: Scope) -> Figure:
    """Grants that end in the next eight weeks, per team (and the same weeks a year ago)."""
    today = timezone.localdate(scope.now)
    horizon = today + datetime.timedelta(days=ENDING_SOON_DAYS)
    year_ago = today - datetime.timedelta(days=365)
    now_q = Q(valid_until__gte=today, valid_until__lt=horizon)
    before_q = Q(valid_until__gte=year_ago, valid_until__lt=horizon - datetime.timedelta(days=365))
    # The span around both is one range of the (outcome, valid_until) index.
    span_q = Q(valid_until__gte=year_ago, valid_until__lt=horizon)
    grouped = _by(
        "case__team",
        Decision.objects.filter(outcome=Decision.Outcome.GRANTED)
        .filter(scope.decision_q())
        .filter(span_q & (now_q | before_q))
        .values("case__team")
        .annotate(now=Count("pk", filter=now_q), before=Count("pk", filter=before_q)),
    )
    rows = [
        Row(
            team.name,
            _now_and_before(grouped, team.pk),
        )
        for team in _teams(scope)
    ]
    return Figure(
        key="bewilligungen-enden",
        title="Bewilligungen, die in den nächsten 8 Wochen enden",
        row_header="Team",
        columns=_compare_columns(),
        rows=[*rows, _total(rows, 2)],
        compare_column=1,
        note=f"Enden vom {today:%d.%m.%Y} bis {horizon - datetime.timedelta(days=1):%d.%m.%Y}.",
    )


def _teams(scope: Scope) -> list[Team]:
    teams = Team.objects.all()
    if scope.team_ids is not None:
        teams = teams.filter(pk__in=scope.team_ids)
    if scope.team_id:
        teams = teams.filter(pk=scope.team_id)
    if scope.sozialraum_id:
        teams = teams.filter(sozialraum_id=scope.sozialraum_id)
    if scope.traeger_id:
        teams = teams.filter(traeger=scope.traeger_id)
    return list(teams.order_by("sozialraum__sort_order"))


def closing_reasons(scope: Scope) -> Figure:
    grouped = _by(
        "closing_reason",
        Case.objects.filter(scope.case_q())
        .filter(status=Status.CLOSED)
        .filter(_either("closed_at", scope))
        .values("closing_reason")
        .annotate(
            now=Count("pk", filter=_in("closed_at", scope.period)),
            before=Count("pk", filter=_in("closed_at", scope.previous)),
        ),
    )
    reasons = ClosingReason.objects.order_by("sort_order", "label").values_list("pk", "label")
    rows = [Row(label, _now_and_before(grouped, pk)) for pk, label in reasons]
    rows.append(
        Row(
            "ohne Grund (Hilfe abgelehnt oder vor Einführung)",
            _now_and_before(grouped, None),
        )
    )
    return Figure(
        key="beendigungsgruende",
        title="Beendete Fälle nach Beendigungsgrund",
        row_header="Beendigungsgrund",
        columns=_compare_columns(),
        rows=[*rows, _total(rows, 2)],
        compare_column=1,
    )


def goal_attainment(scope: Scope) -> Figure:
    grouped = _by(
        "attainment",
        GoalAttainment.objects.filter(scope.case_q("review__plan__case__"))
        .filter(_either("recorded_at", scope))
        .values("attainment")
        .annotate(
            now=Count("pk", filter=_in("recorded_at", scope.period)),
            before=Count("pk", filter=_in("recorded_at", scope.previous)),
        ),
    )
    rows = [Row(label, _now_and_before(grouped, value)) for value, label in Attainment.choices]
    return Figure(
        key="zielerreichung",
        title="Zielerreichung bei Fortschreibungen des Hilfeplans (Ziele)",
        row_header="Ziel",
        columns=_compare_columns("Ziele"),
        rows=[*rows, _total(rows, 2)],
        compare_column=1,
        note="Jedes Ziel des Hilfeplans wird bei der Fortschreibung bewertet.",
    )


def child_protection(scope: Scope) -> Figure:
    """§ 8a reports received and how fast they were first handled (in hours)."""
    measures = {"handling": F("handling_at") - F("received_at")}
    data = (
        Referral.objects.exclude(status=Status.DRAFT)
        .filter(kind=Referral.Kind.KINDERSCHUTZ)
        .filter(scope.referral_q() & _either("received_at", scope))
        .annotate(recent_events=_since_periods(scope.previous.bounds()[0])["recent_events"])
        .annotate(handling_at=_first_handling())
        .aggregate(
            now_all=Count("pk", filter=_in("received_at", scope.period)),
            before_all=Count("pk", filter=_in("received_at", scope.previous)),
            **_duration_aggregates(measures, scope, HOUR_SECONDS),
        )
    )
    return Figure(
        key="kinderschutz",
        title="Meldungen nach § 8a SGB VIII und Zeit bis zur ersten Bearbeitung",
        row_header="",
        columns=[
            Column("Meldungen"),
            *_duration_columns("Stunden")[:3],
            Column("Meldungen Vorjahreszeitraum"),
            *_duration_columns("Stunden")[3:],
        ],
        rows=[
            Row(
                "Meldungen",
                [
                    data["now_all"],
                    data["handling_now_n"],
                    _round(data["handling_now_median"]),
                    _round(data["handling_now_p90"]),
                    data["before_all"],
                    data["handling_before_n"],
                    _round(data["handling_before_median"]),
                    _round(data["handling_before_p90"]),
                ],
            )
        ],
        note="Zeit bis zur ersten Bearbeitung im Familienamt, in Stunden.",
        chart_column=None,
    )


def child_protection_results(scope: Scope) -> Figure:
    grouped = _by(
        "case__child_protection_result",
        Referral.objects.exclude(status=Status.DRAFT)
        .filter(kind=Referral.Kind.KINDERSCHUTZ)
        .filter(scope.referral_q() & _either("received_at", scope))
        .values("case__child_protection_result")
        .annotate(
            now=Count("pk", filter=_in("received_at", scope.period)),
            before=Count("pk", filter=_in("received_at", scope.previous)),
        ),
    )
    rows = [
        Row(label, _now_and_before(grouped, value))
        for value, label in ChildProtectionResult.choices
    ]
    pending = [
        sum(grouped.get(key, {}).get(tag, 0) for key in (None, "")) for tag in ("now", "before")
    ]
    rows.append(Row("noch keine Einschätzung erfasst", pending))
    return Figure(
        key="kinderschutz-ergebnis",
        title="Ergebnis der Gefährdungseinschätzungen (§ 8a SGB VIII)",
        row_header="Ergebnis",
        columns=_compare_columns("Meldungen"),
        rows=[*rows, _total(rows, 2)],
        compare_column=1,
        note="Meldungen, die im Zeitraum eingegangen sind.",
    )


# --- Neighbourhood work and budget ------------------------------------------------------


def unspecific_hours(scope: Scope) -> Figure:
    """Fallunspezifische Arbeit per team: hours spent and people reached."""
    now_q = _in("date", scope.period, dates=True)
    before_q = _in("date", scope.previous, dates=True)
    grouped = _by(
        "team",
        Activity.objects.filter(scope.teams_q())
        .filter(now_q | before_q)
        .values("team")
        .annotate(
            activities=Count("pk", filter=now_q),
            hours=Sum("hours_spent", filter=now_q),
            people=Sum("participants", filter=now_q),
            hours_before=Sum("hours_spent", filter=before_q),
        ),
    )
    rows = []
    for team in _teams(scope):
        data = grouped.get(team.pk, {})
        rows.append(
            Row(
                team.name,
                [
                    data.get("activities", 0),
                    data.get("hours") or Decimal(0),
                    data.get("people") or 0,
                    data.get("hours_before") or Decimal(0),
                ],
            )
        )
    figure = Figure(
        key="fallunspezifisch",
        title="Fallunspezifische Arbeit je Team: Stunden und erreichte Personen",
        row_header="Team",
        columns=[
            Column("Aktivitäten", AMOUNT),
            Column("Stunden", AMOUNT),
            Column("erreichte Personen", AMOUNT),
            Column("Stunden Vorjahreszeitraum", AMOUNT),
        ],
        rows=[*rows, _total(rows, 4)],
        chart_column=1,
        compare_column=3,
    )
    if scope.filters_cases_only:
        figure.notices.append(
            "Schule und Hilfeart gelten hier nicht: diese Arbeit hat keinen Fall."
        )
    return figure


def budget(scope: Scope) -> Figure:
    """Planned against used for the calendar year of the period, per Sozialraum."""
    year = scope.period.start.year
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    sozialraum_q = Q()
    if scope.sozialraum_id:
        sozialraum_q &= Q(sozialraum_id=scope.sozialraum_id)
    if scope.team_id:
        sozialraum_q &= Q(sozialraum__team=scope.team_id)
    if scope.team_ids is not None:
        sozialraum_q &= Q(sozialraum__team__in=scope.team_ids)
    budget_q = sozialraum_q & (Q(traeger_id=scope.traeger_id) if scope.traeger_id else Q())
    planned = _by(
        "sozialraum",
        Budget.objects.filter(year=year)
        .filter(budget_q)
        .values("sozialraum")
        .annotate(
            payment=Sum("flat_payment"),
            schulbegleitung=Sum("schulbegleitung_planned"),
            unspecific=Sum(F("staff_hours") * F("unspecific_share") / 100),
        ),
    )
    # Grant days inside the year: PostgreSQL subtracts dates to whole days.
    overlap = Func(
        Least(F("valid_until"), Value(end - datetime.timedelta(days=1))),
        Greatest(F("valid_from"), Value(start)),
        template="(%(expressions)s)",
        arg_joiner=" - ",
        output_field=FloatField(),
    )
    # The provider's rate of the year: at most one (unique per year and provider), joined.
    used = _by(
        "case__sozialraum",
        Decision.objects.filter(outcome=Decision.Outcome.GRANTED)
        .filter(scope.decision_q())
        .filter(valid_from__lt=end, valid_until__gte=start)
        .annotate(rate=FilteredRelation("provider__rates", condition=Q(provider__rates__year=year)))
        .annotate(
            grant_cost=ExpressionWrapper(
                F("hours_per_week")
                * (overlap + 1)
                / 7
                * Coalesce(F("rate__hourly_rate"), Value(Decimal(0))),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            )
        )
        .values("case__sozialraum")
        .annotate(cost=Sum("grant_cost")),
    )
    hours = {
        row["sozialraum"]: row["hours"]
        for row in Activity.objects.filter(scope.teams_q())
        .filter(date__gte=start, date__lt=end)
        .values("sozialraum")
        .annotate(hours=Sum("hours_spent"))
    }
    sozialraeume = Sozialraum.objects.filter(
        Q(pk__in=planned.keys()) | Q(pk__in=used.keys()) | Q(pk__in=hours.keys())
    ).order_by("sort_order")
    rows = []
    for sozialraum in sozialraeume:
        plan = planned.get(sozialraum.pk, {})
        rows.append(
            Row(
                sozialraum.name,
                [
                    _money(plan.get("payment")),
                    _money(plan.get("schulbegleitung")),
                    _money(used.get(sozialraum.pk, {}).get("cost")),
                    _round(plan.get("unspecific")) or 0,
                    _round(hours.get(sozialraum.pk)) or 0,
                ],
            )
        )
    figure = Figure(
        key="budget",
        title=f"Sozialraumbudget {year}: geplant und verbraucht",
        row_header="Sozialraum",
        columns=[
            Column("Pauschale", AMOUNT, unit="Euro"),
            Column("Schulbegleitung geplant", AMOUNT, unit="Euro"),
            Column("Schulbegleitung bewilligt", AMOUNT, unit="Euro"),
            Column("fallunspezifisch geplant", AMOUNT, unit="Stunden"),
            Column("fallunspezifisch geleistet", AMOUNT, unit="Stunden"),
        ],
        rows=[*rows, _total(rows, 5)],
        note=(
            "Bewilligt: Stunden pro Woche × Wochen der Bewilligung im Jahr × Stundensatz des "
            "Leistungserbringers (anteilig über den Bewilligungszeitraum, Ferien nicht abgezogen)."
        ),
        chart_column=2,
        internal=True,
    )
    if scope.traeger_id or scope.team_id:
        figure.notices.append(
            "Bewilligungen und Stunden gelten für die gewählten Teams, die Planung für die "
            "gewählten Budgets."
        )
    return figure


def _money(value: Decimal | None) -> int:
    return round(value or 0)


# Order on the page; a council report takes all but the internal ones.
FIGURES: tuple[Callable[[Scope], Figure], ...] = (
    requests_by_source,
    waiting_times,
    open_requests,
    cases_by_status,
    schulbegleitung_hours,
    grants_ending,
    closing_reasons,
    goal_attainment,
    child_protection,
    child_protection_results,
    unspecific_hours,
    budget,
)
FIGURE_KEYS = {
    "anfragen": requests_by_source,
    "bearbeitungszeiten": waiting_times,
    "offene-anfragen": open_requests,
    "faelle-status": cases_by_status,
    "schulbegleitung": schulbegleitung_hours,
    "bewilligungen-enden": grants_ending,
    "beendigungsgruende": closing_reasons,
    "zielerreichung": goal_attainment,
    "kinderschutz": child_protection,
    "kinderschutz-ergebnis": child_protection_results,
    "fallunspezifisch": unspecific_hours,
    "budget": budget,
}


def all_figures(scope: Scope) -> list[Figure]:
    return [compute(scope) for compute in FIGURES]
