"""Preconditions of the spine that the case data answers (registered in ``CasesConfig.ready``)."""

from typing import TYPE_CHECKING

from apps.referrals.workflow import register_precondition

if TYPE_CHECKING:
    from apps.cases.models import Case


@register_precondition(
    "team_recommendation",
    "Es fehlt die Empfehlung des Sozialraumteams (unten „Empfehlung abgeben“).",
)
def has_team_recommendation(case: "Case") -> bool:
    return case.recommendations.exists()
