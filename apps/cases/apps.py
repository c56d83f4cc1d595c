from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.core.startpage import SECTIONS, StartSection

if TYPE_CHECKING:
    from apps.cases.models import Case

START_LIST_SIZE = 10


def team_cases_waiting(request: HttpRequest) -> StartSection | None:
    """Team members: their team's open cases where the team must act, longest waiting first."""
    from apps.accounts.models import Role
    from apps.cases.models import Case
    from apps.referrals.workflow import Party

    user = request.user
    if Role.TEAM not in getattr(user, "role_names", frozenset()):
        return None
    # Filter by team explicitly: someone who is also Familienamt staff sees all cases.
    waiting = (
        Case.objects.visible_to(user)  # type: ignore[arg-type]
        .open()
        .filter(whose_move=Party.TEAM, team__in=user.teams)  # type: ignore[union-attr]
        .select_related("person", "team", "school")
        .order_by("whose_move_since", "pk")
    )
    return StartSection(
        title="Fälle Ihres Teams, bei denen Sie am Zug sind",
        template="cases/start_team.html",
        context=_first(waiting),
    )


def cases_to_decide(request: HttpRequest) -> StartSection | None:
    """Familienamt: cases waiting for a decision (Bescheid), longest waiting first."""
    from apps.cases.models import Case
    from apps.referrals.workflow import Status

    user = request.user
    if not getattr(user, "is_familienamt", False):
        return None
    waiting = (
        Case.objects.visible_to(user)  # type: ignore[arg-type]
        .filter(status=Status.DECISION)
        .select_related("person", "team", "school")
        .order_by("whose_move_since", "pk")
    )
    return StartSection(
        title="Fälle zur Entscheidung",
        template="cases/start_decisions.html",
        context=_first(waiting),
    )


def _first(cases: "QuerySet[Case]") -> dict[str, Any]:
    """The longest waiting cases, and whether there are more (one query, no count)."""
    shown = list(cases[: START_LIST_SIZE + 1])
    return {"cases": shown[:START_LIST_SIZE], "more": len(shown) > START_LIST_SIZE}


class CasesConfig(AppConfig):
    name = "apps.cases"
    label = "cases"
    verbose_name = "Fälle"

    def ready(self) -> None:
        import apps.cases.spine  # noqa: F401  (registers the spine's preconditions)
        from apps.cases.oversight import oversight_section
        from apps.cases.timeline import provide_kinds

        SECTIONS.provide("oversight", oversight_section)
        SECTIONS.provide("team_cases", team_cases_waiting)
        SECTIONS.provide("decisions", cases_to_decide)
        provide_kinds()
