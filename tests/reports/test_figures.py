"""Each figure against counts the test works out itself from the rows it wrote."""

import datetime
import math
import random
from collections import Counter
from decimal import Decimal

import pytest

from apps.cases.models import ClosingReason, HelpKind
from apps.casework.models import Attainment, GoalAttainment, HelpPlan, HelpPlanGoal, HelpPlanVersion
from apps.neighbourhood.models import Activity
from apps.referrals.models import RequestSource
from apps.referrals.workflow import Party, Status
from apps.reports import figures
from apps.reports.figures import Scope
from apps.reports.periods import parse_period
from tests.reports.conftest import at, make_case, make_grant, make_referral

pytestmark = pytest.mark.django_db

YEAR = parse_period("2025")
assert YEAR is not None


def _values(figure, label):
    return next(row.values for row in figure.rows if row.label == label)


def percentile_cont(values: list[float], fraction: float) -> float:
    """PostgreSQL's percentile_cont, written out: linear between the two nearest ranks."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def test_requests_by_source_count_this_period_and_the_one_before(familienamt_worker, team_west):
    rng = random.Random(4)
    written = []
    for _ in range(40):
        source = rng.choice(["school", "family", "other"])
        day = datetime.date(
            rng.choice([2023, 2024, 2025, 2026]), rng.randint(1, 12), rng.randint(1, 28)
        )
        make_referral(familienamt_worker, received=at(day), team=team_west, source=source)
        written.append((source, day.year))

    figure = figures.requests_by_source(Scope(period=YEAR))

    expected = Counter(written)
    for source, label in RequestSource.objects.values_list("code", "name"):
        assert _values(figure, label) == [expected[(source, 2025)], expected[(source, 2024)]]
    assert _values(figure, "Insgesamt") == [
        sum(1 for _, y in written if y == 2025),
        sum(1 for _, y in written if y == 2024),
    ]


def test_a_quarter_counts_its_own_months_and_the_same_months_a_year_before(
    familienamt_worker, team_west
):
    """The quarter and the one a year before are not adjacent: the months between count not."""
    quarter = parse_period("2025-Q2")
    days = {
        datetime.date(2025, 4, 1): "now",
        datetime.date(2025, 6, 30): "now",
        datetime.date(2024, 5, 15): "before",
        datetime.date(2024, 7, 1): None,  # between the two quarters
        datetime.date(2025, 3, 31): None,
        datetime.date(2025, 7, 1): None,
    }
    for day in days:
        make_referral(familienamt_worker, received=at(day), team=team_west, source="family")

    figure = figures.requests_by_source(Scope(period=quarter))

    tags = list(days.values())
    assert _values(figure, "Insgesamt") == [tags.count("now"), tags.count("before")]


def test_filters_narrow_requests_to_the_team(familienamt_worker, team_west, team_nord):
    make_referral(familienamt_worker, received=at(datetime.date(2025, 3, 1)), team=team_west)
    make_referral(familienamt_worker, received=at(datetime.date(2025, 3, 2)), team=team_nord)
    make_referral(familienamt_worker, received=at(datetime.date(2025, 3, 3)), team=team_nord)

    west = figures.requests_by_source(Scope(period=YEAR, team_id=team_west.pk))
    nord_traeger = figures.requests_by_source(
        Scope(period=YEAR, traeger_id=team_nord.traeger.exclude(is_city=True).first().pk)
    )

    assert _values(west, "Insgesamt")[0] == 1
    assert _values(nord_traeger, "Insgesamt")[0] == 2


def test_waiting_times_are_median_and_90th_percentile_in_days(familienamt_worker, team_west):
    rng = random.Random(7)
    days = []
    for index in range(23):
        waited = rng.randint(1, 400) / 10
        received = at(datetime.date(2025, 1 + index % 12, 5))
        make_referral(
            familienamt_worker,
            received=received,
            team=team_west,
            handled_after=datetime.timedelta(days=waited),
        )
        days.append(waited)
    # Not handled yet: counts nowhere in the waiting times.
    make_referral(familienamt_worker, received=at(datetime.date(2025, 6, 1)), team=team_west)

    figure = figures.waiting_times(Scope(period=YEAR))

    count, median, p90 = _values(figure, "Eingang → erste Bearbeitung")[:3]
    assert count == 23
    assert median == pytest.approx(percentile_cont(days, 0.5), abs=0.05)
    assert p90 == pytest.approx(percentile_cont(days, 0.9), abs=0.05)


def test_open_requests_on_the_reference_day_by_waiting_time(familienamt_worker, team_west):
    end = datetime.date(2025, 12, 31)
    for waited in (1, 3, 10, 20, 40, 50):
        make_referral(
            familienamt_worker, received=at(end - datetime.timedelta(days=waited)), team=team_west
        )
    # Handled in time: it was no longer open at the end of the year.
    make_referral(
        familienamt_worker,
        received=at(end - datetime.timedelta(days=30)),
        team=team_west,
        status=Status.REJECTED,
        handled_after=datetime.timedelta(days=1),
    ).events.filter(from_status=Status.RECEIVED).update(to_status=Status.REJECTED)

    figure = figures.open_requests(Scope(period=YEAR))

    assert [row.values[0] for row in figure.rows] == [2, 1, 1, 2, 6]


def test_cases_per_status_and_whose_move(familienamt_worker, team_west):
    layout = [(Status.WITH_TEAM, Party.TEAM)] * 3 + [(Status.DECISION, Party.FAMILIENAMT)] * 2
    for status, party in layout:
        referral = make_referral(
            familienamt_worker, received=at(datetime.date(2025, 2, 1)), team=team_west
        )
        case = make_case(referral, opened=at(datetime.date(2025, 2, 2)), status=status)
        case.whose_move = party
        case.save(update_fields=["whose_move"])

    figure = figures.cases_by_status(Scope(period=YEAR))

    team_column = 0
    assert _values(figure, Status.WITH_TEAM.label)[team_column] == 3
    assert _values(figure, Status.DECISION.label)[1] == 2
    assert _values(figure, "Insgesamt")[4] == 5


def test_closing_reasons_of_cases_closed_in_the_period(familienamt_worker, team_west):
    reasons = list(ClosingReason.objects.all())
    rng = random.Random(3)
    expected: Counter[str] = Counter()
    for _ in range(17):
        reason = rng.choice(reasons)
        closed = at(datetime.date(rng.choice([2024, 2025]), rng.randint(1, 12), 10))
        referral = make_referral(
            familienamt_worker, received=closed - datetime.timedelta(days=90), team=team_west
        )
        make_case(
            referral,
            opened=closed - datetime.timedelta(days=80),
            status=Status.CLOSED,
            closed=closed,
            closing_reason=reason,
        )
        expected[(reason.label, closed.year)] += 1

    figure = figures.closing_reasons(Scope(period=YEAR))

    for reason in reasons:
        assert _values(figure, reason.label) == [
            expected[(reason.label, 2025)],
            expected[(reason.label, 2024)],
        ]


def test_goal_attainment_counts_each_goal_once(familienamt_worker, team_west):
    referral = make_referral(
        familienamt_worker, received=at(datetime.date(2025, 1, 5)), team=team_west
    )
    case = make_case(referral, opened=at(datetime.date(2025, 1, 6)), status=Status.RUNNING)
    plan = HelpPlan.objects.create(case=case)
    first, review = (
        HelpPlanVersion.objects.create(
            plan=plan,
            number=number,
            created_by=familienamt_worker,
            meeting_date=datetime.date(2025, month, 1),
            need="-",
            help_kind="-",
            goals="-",
            participants="-",
            next_review=datetime.date(2025, month + 5, 1),
        )
        for number, month in ((1, 2), (2, 7))
    )
    judged = [Attainment.REACHED, Attainment.REACHED, Attainment.PARTLY, Attainment.OBSOLETE]
    for position, attainment in enumerate(judged, start=1):
        goal = HelpPlanGoal.objects.create(
            version=first, position=position, text=f"Ziel {position}"
        )
        GoalAttainment.objects.create(
            goal=goal,
            review=review,
            attainment=attainment,
            recorded_at=at(datetime.date(2025, 7, 1)),
        )

    figure = figures.goal_attainment(Scope(period=YEAR))

    assert _values(figure, Attainment.REACHED.label)[0] == 2
    assert _values(figure, Attainment.PARTLY.label)[0] == 1
    assert _values(figure, Attainment.NOT_YET.label)[0] == 0
    assert _values(figure, "Insgesamt")[0] == 4


def test_schulbegleitung_hours_running_on_the_reference_day(familienamt_worker, team_west):
    hours = ["10", "12.5", "8"]
    for value in hours:
        referral = make_referral(
            familienamt_worker, received=at(datetime.date(2025, 6, 1)), team=team_west
        )
        case = make_case(referral, opened=at(datetime.date(2025, 6, 2)), status=Status.RUNNING)
        make_grant(
            case,
            familienamt_worker,
            hours=value,
            valid_from=datetime.date(2025, 8, 1),
            valid_until=datetime.date(2026, 7, 31),
        )
    ended = make_case(
        make_referral(familienamt_worker, received=at(datetime.date(2025, 1, 1)), team=team_west),
        opened=at(datetime.date(2025, 1, 2)),
    )
    make_grant(
        ended,
        familienamt_worker,
        hours="20",
        valid_from=datetime.date(2025, 2, 1),
        valid_until=datetime.date(2025, 7, 31),
    )

    figure = figures.schulbegleitung_hours(Scope(period=YEAR))

    total = _values(figure, "Insgesamt")
    assert total[0] == 3
    assert Decimal(str(total[1])) == sum(Decimal(h) for h in hours)


def test_neighbourhood_hours_per_team(familienamt_worker, team_west, team_nord):
    rows = [
        (team_west, "2.5", 10, 2025),
        (team_west, "4", 5, 2025),
        (team_nord, "3", 7, 2025),
        (team_west, "6", 1, 2024),
    ]
    for team, hours, people, year in rows:
        Activity.objects.create(
            team=team,
            kind=Activity.Kind.OPEN_OFFER,
            title="Offener Treff",
            date=datetime.date(year, 5, 5),
            hours_spent=Decimal(hours),
            participants=people,
            created_by=familienamt_worker,
        )

    figure = figures.unspecific_hours(Scope(period=YEAR))

    activities, hours, people, before = _values(figure, team_west.name)
    assert (activities, Decimal(str(hours)), people, Decimal(str(before))) == (
        2,
        Decimal("6.5"),
        15,
        Decimal("6"),
    )
    assert _values(figure, "Insgesamt")[1] == Decimal("9.5")


def test_budget_used_is_hours_times_rate_prorated_over_the_grant(familienamt_worker, team_west):
    from apps.organisation.models import Traeger
    from apps.reports.models import Budget, ProviderRate

    awo = Traeger.objects.get(short_name="AWO")
    Budget.objects.create(
        year=2025,
        sozialraum=team_west.sozialraum,
        traeger=awo,
        flat_payment=Decimal("100000"),
        schulbegleitung_planned=Decimal("40000"),
        staff_hours=Decimal("1000"),
        unspecific_share=Decimal("15"),
    )
    referral = make_referral(
        familienamt_worker, received=at(datetime.date(2025, 6, 1)), team=team_west
    )
    case = make_case(referral, opened=at(datetime.date(2025, 6, 2)), status=Status.RUNNING)
    grant = make_grant(
        case,
        familienamt_worker,
        hours="10",
        valid_from=datetime.date(2025, 8, 1),
        valid_until=datetime.date(2026, 7, 31),
    )
    ProviderRate.objects.create(year=2025, provider=grant.provider, hourly_rate=Decimal("40"))

    figure = figures.budget(Scope(period=YEAR))

    row = _values(figure, team_west.sozialraum.name)
    days_in_2025 = (datetime.date(2026, 1, 1) - datetime.date(2025, 8, 1)).days  # 153
    assert row[0] == 100000 and row[1] == 40000
    assert row[2] == round(10 * days_in_2025 / 7 * 40)
    assert row[3] == 150.0


def test_the_kind_of_help_filter_reads_the_kinds_as_data(familienamt_worker, team_west):
    kinds = [HelpKind.EINGLIEDERUNGSHILFE] * 2 + [HelpKind.ERZIEHUNGSHILFE] * 3 + [None] * 4
    for kind in kinds:
        referral = make_referral(
            familienamt_worker, received=at(datetime.date(2025, 3, 1)), team=team_west
        )
        make_case(referral, opened=at(datetime.date(2025, 3, 2)), help_kind=kind)
    egh = HelpKind.objects.get(code=HelpKind.EINGLIEDERUNGSHILFE)

    figure = figures.cases_by_status(
        Scope(period=YEAR, help_kind=egh.code, help_kind_group=egh.group)
    )

    assert _values(figure, "Insgesamt")[4] == kinds.count(HelpKind.EINGLIEDERUNGSHILFE)


def test_schulbegleitung_hours_leave_other_kinds_of_help_out(familienamt_worker, team_west):
    for kind, hours in ((HelpKind.SCHULBEGLEITUNG_112, "15"), (HelpKind.ERZIEHUNGSHILFE, "4")):
        referral = make_referral(
            familienamt_worker, received=at(datetime.date(2025, 6, 1)), team=team_west
        )
        case = make_case(referral, opened=at(datetime.date(2025, 6, 2)), status=Status.RUNNING)
        make_grant(
            case,
            familienamt_worker,
            hours=hours,
            valid_from=datetime.date(2025, 8, 1),
            valid_until=datetime.date(2026, 7, 31),
            help_kind=kind,
        )

    total = _values(figures.schulbegleitung_hours(Scope(period=YEAR)), "Insgesamt")
    only_hze = _values(
        figures.schulbegleitung_hours(
            Scope(
                period=YEAR,
                help_kind=HelpKind.ERZIEHUNGSHILFE,
                help_kind_group=HelpKind.Group.ERZIEHUNGSHILFE,
            )
        ),
        "Insgesamt",
    )

    assert total[0] == 1 and Decimal(str(total[1])) == Decimal("15")
    assert only_hze[0] == 0


def test_grants_ending_in_the_next_eight_weeks_and_a_year_before(familienamt_worker, team_west):
    from django.utils import timezone

    today = timezone.localdate()
    ends = {
        "now": [today, today + datetime.timedelta(days=20), today + datetime.timedelta(days=55)],
        "later": [today + datetime.timedelta(days=56), today - datetime.timedelta(days=1)],
        "before": [today - datetime.timedelta(days=365 - 10)],
    }
    for until in [day for days in ends.values() for day in days]:
        referral = make_referral(familienamt_worker, received=at(until), team=team_west)
        case = make_case(referral, opened=at(until), status=Status.RUNNING)
        make_grant(
            case,
            familienamt_worker,
            hours="10",
            valid_from=until - datetime.timedelta(days=100),
            valid_until=until,
        )

    figure = figures.grants_ending(Scope(period=YEAR))

    assert _values(figure, team_west.name) == [len(ends["now"]), len(ends["before"])]
    assert _values(figure, "Insgesamt") == [len(ends["now"]), len(ends["before"])]


def test_child_protection_reports_and_hours_to_first_handling(familienamt_worker, team_west):
    from apps.referrals.models import Referral

    rng = random.Random(11)
    hours = [rng.randint(1, 90) / 4 for _ in range(7)]
    for index, waited in enumerate(hours):
        make_referral(
            familienamt_worker,
            received=at(datetime.date(2025, 1 + index, 3)),
            team=team_west,
            kind=Referral.Kind.KINDERSCHUTZ,
            handled_after=datetime.timedelta(hours=waited),
        )
    make_referral(
        familienamt_worker,
        received=at(datetime.date(2024, 5, 3)),
        team=team_west,
        kind=Referral.Kind.KINDERSCHUTZ,
    )
    # A Schulbegleitung request is no § 8a report.
    make_referral(familienamt_worker, received=at(datetime.date(2025, 5, 3)), team=team_west)

    values = _values(figures.child_protection(Scope(period=YEAR)), "Meldungen")

    assert values[0] == values[1] == len(hours)
    assert values[2] == pytest.approx(percentile_cont(hours, 0.5), abs=0.05)
    assert values[3] == pytest.approx(percentile_cont(hours, 0.9), abs=0.05)
    assert values[4] == 1 and values[5] == 0
