"""Preconditions of the spine that casework answers (registered in ``CaseworkConfig.ready``)."""

from typing import TYPE_CHECKING

from apps.cases.models import HelpKind
from apps.referrals.workflow import register_precondition

if TYPE_CHECKING:
    from apps.cases.models import Case

# Help that § 36 SGB VIII / § 19 SGB IX plans in a Hilfeplan before it is granted.
NEEDS_HELP_PLAN = frozenset(
    {
        HelpKind.SCHULBEGLEITUNG_35A,
        HelpKind.SCHULBEGLEITUNG_112,
        HelpKind.ERZIEHUNGSHILFE,
        HelpKind.EINGLIEDERUNGSHILFE,
    }
)


@register_precondition(
    "current_helpplan",
    "Es fehlt ein aktueller Hilfeplan: bitte den Hilfeplan in dieser Phase aufstellen "
    "oder fortschreiben.",
)
def has_current_helpplan(case: "Case") -> bool:
    """A help plan version written since the case entered help planning or review."""
    from apps.casework.models import HelpPlanVersion

    if case.help_kind_id not in NEEDS_HELP_PLAN:
        return True
    return HelpPlanVersion.objects.filter(
        plan__case=case, created_at__gte=case.whose_move_since
    ).exists()
