"""Sections of the case file page contributed by apps above ``cases``.

``cases`` renders the case page but must not import ``casework``; the apps
above provide sections in the :data:`SECTIONS` slot.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from apps.core.slots import Slot
from apps.core.startpage import StartSection

CaseSectionProvider = Callable[[HttpRequest, Any], StartSection | None]

SECTIONS: Slot[CaseSectionProvider] = Slot(
    "casefile",
    places=(
        "notes",  # casework
        "helpplan",  # casework: the current Hilfeplan
        "consents",  # consents: the case's consents and what they allow
        "tasks",  # casework: Wiedervorlagen
        "contacts",  # casework
        "documents",  # documents: the last uploaded documents
        "resources",  # neighbourhood: linked resources
        "handover",  # casework: a pending handover to another team
        "changes",  # history: the last changes, with a link to all
    ),
    contract=(
        "A provider gets the request and the case (already checked with "
        "visible_to) and returns a StartSection, or None when the person may not "
        "see it. Constant queries per case."
    ),
)


def sections_for(request: HttpRequest, case: Any) -> list[StartSection]:
    """The case page's sections for this person, in the slot's order."""
    return [s for _, provider in SECTIONS.providers() if (s := provider(request, case)) is not None]
