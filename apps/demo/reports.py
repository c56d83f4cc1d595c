"""Demo data for the steering layer: rates, budgets, last year's work, a published report.

The demo's requests and cases span the last three months and a few stories
of a year before (apps/demo/referrals.py); the comparison with the year
before also needs some neighbourhood work of last year, and the budget needs
rates and a plan per Sozialraum and Träger (invented figures).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Provider
from apps.demo.context import TEAM_ACCOUNTS, SeedContext
from apps.neighbourhood.models import Activity
from apps.organisation.models import Team
from apps.reports.models import Budget, CouncilReport, ProviderRate
from apps.reports.periods import current_period
from apps.reports.services import report_publish

RATES = (Decimal("38.50"), Decimal("41.20"), Decimal("36.80"))
DEMO_REPORT_TITLE = "Sozialraumorientierung in Weimar: Bericht an den Jugendhilfeausschuss"


def seed_reports(ctx: SeedContext) -> None:
    rng = ctx.rng("reports")
    today = timezone.localdate()
    years = (today.year - 1, today.year)
    for year in years:
        for index, provider in enumerate(Provider.objects.order_by("name")):
            ProviderRate.objects.get_or_create(
                year=year,
                provider=provider,
                defaults={"hourly_rate": RATES[index % len(RATES)] - (today.year - year)},
            )
    budgets = 0
    for team in Team.objects.select_related("sozialraum").prefetch_related("traeger"):
        partners = [t for t in team.traeger.all() if not t.is_city]
        for year in years:
            for traeger in partners:
                payment = Decimal(rng.randrange(380, 620) * 1000) / len(partners)
                _, created = Budget.objects.get_or_create(
                    year=year,
                    sozialraum=team.sozialraum,
                    traeger=traeger,
                    defaults={
                        "flat_payment": payment,
                        "schulbegleitung_planned": (payment * Decimal("0.45")).quantize(
                            Decimal("1")
                        ),
                        "staff_hours": Decimal(rng.randrange(4, 7) * 1600) / len(partners),
                        "unspecific_share": Decimal(rng.choice((10, 12, 15))),
                        "note": "Demo: erfundene Zahlen",
                    },
                )
                budgets += created
    # Last year's neighbourhood work, so the comparison column has something to show.
    accounts = User.objects.in_bulk(list(TEAM_ACCOUNTS), field_name="username")
    by_slug = {slug: accounts[name] for name, (slug, _) in TEAM_ACCOUNTS.items()}
    earlier = 0
    for team in Team.objects.select_related("sozialraum"):
        for number in range(3):
            day = today - datetime.timedelta(days=365 + rng.randint(2, 80))
            _, created = Activity.objects.get_or_create(
                team=team,
                title=f"Stadtteiltreffen (Vorjahr {number + 1})",
                defaults={
                    "kind": Activity.Kind.NETWORK_MEETING,
                    "date": day,
                    "participants": rng.randint(6, 30),
                    "hours_spent": Decimal(rng.choice((2, 3, 4))),
                    "created_by": by_slug[team.sozialraum.slug],
                },
            )
            earlier += created
    # A report the council can read at once: the current half-year so far.
    leitung = User.objects.get(username="leitung")
    period = current_period("half_year", today)
    report, created = CouncilReport.objects.get_or_create(
        title=DEMO_REPORT_TITLE,
        defaults={
            "period_key": period.key,
            "created_by": leitung,
            "text": (
                "Die Sozialraumteams arbeiten seit 2023 im Regelbetrieb. Dieser Bericht zeigt, "
                "wie viele Anfragen eingingen, wie schnell sie bearbeitet wurden und wie die "
                "Hilfen endeten. Kleine Zahlen sind zum Schutz der Kinder nicht genau angegeben. "
                "(Demo: alle Zahlen stammen aus erfundenen Daten.)"
            ),
        },
    )
    if created or not report.versions.exists():
        report_publish(report_id=report.pk, actor=leitung)
    ctx.summary.append(
        f"{budgets} Budgets, {earlier} Aktivitäten des Vorjahrs, ein veröffentlichter Bericht"
    )
