"""Figures for the Familienamt's Leitung: waiting times and workload per team.

Two grouped queries whatever the number of requests and cases; no names,
only counts, so the figures can go to the council as they are.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Min, Q
from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.models import Role
from apps.cases.models import Case
from apps.core.startpage import StartSection
from apps.organisation.models import Team
from apps.referrals.models import Referral
from apps.referrals.workflow import OPEN_REQUEST_STATUSES, Party, Status


@dataclass(frozen=True)
class TeamFigures:
    team: Team
    open_requests: int
    oldest_request_days: int | None
    open_cases: int
    team_to_move: int
    decisions_waiting: int
    help_running: int


def team_figures() -> list[TeamFigures]:
    now = timezone.now()
    requests: dict[int | None, dict[str, Any]] = {
        row["team"]: dict(row)
        for row in Referral.objects.filter(status__in=OPEN_REQUEST_STATUSES)
        .values("team")
        .annotate(open=Count("pk"), oldest=Min("received_at"))
    }
    cases: dict[int | None, dict[str, Any]] = {
        row["team"]: dict(row)
        for row in Case.objects.exclude(status=Status.CLOSED)
        .values("team")
        .annotate(
            open=Count("pk"),
            team_to_move=Count("pk", filter=Q(whose_move=Party.TEAM)),
            deciding=Count("pk", filter=Q(status=Status.DECISION)),
            running=Count("pk", filter=Q(status__in=[Status.RUNNING, Status.REVIEW])),
        )
    }
    figures = []
    for team in Team.objects.select_related("sozialraum"):
        req = requests.get(team.pk, {})
        case = cases.get(team.pk, {})
        oldest = req.get("oldest")
        figures.append(
            TeamFigures(
                team=team,
                open_requests=req.get("open", 0),
                oldest_request_days=(now - oldest) // timedelta(days=1) if oldest else None,
                open_cases=case.get("open", 0),
                team_to_move=case.get("team_to_move", 0),
                decisions_waiting=case.get("deciding", 0),
                help_running=case.get("running", 0),
            )
        )
    return figures


def oversight_section(request: HttpRequest) -> StartSection | None:
    if Role.FAMILIENAMT_LEITUNG not in getattr(request.user, "role_names", frozenset()):
        return None
    unrouted = Referral.objects.filter(status__in=OPEN_REQUEST_STATUSES, team__isnull=True)
    return StartSection(
        title="Überblick: Wartezeiten und Arbeitslast je Team",
        template="cases/start_oversight.html",
        context={"figures": team_figures(), "unrouted": unrouted.count()},
    )
