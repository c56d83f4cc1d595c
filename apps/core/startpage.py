"""What waits for a person: sections that the domain apps add to the start page.

The start page lives in ``accounts``, which must not import the apps above
it; those apps provide sections in the :data:`SECTIONS` slot.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from apps.core.slots import Slot


@dataclass
class StartSection:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)

    def render(self, request: HttpRequest) -> SafeString:
        """The section's HTML; its template sees ``context``, ``section``, ``request``,
        ``user`` and ``csrf_token``.

        A plain context, not a RequestContext: the page around the sections has run
        the context processors once already (header, navigation, unread count); a
        case page with eight sections would otherwise run them nine times.
        """
        context = {
            **self.context,
            "section": self,
            "request": request,
            "user": getattr(request, "user", None),
            "csrf_token": get_token(request),
        }
        return mark_safe(render_to_string(self.template, context))


SectionProvider = Callable[[HttpRequest], StartSection | None]

SECTIONS: Slot[SectionProvider] = Slot(
    "startpage",
    # Urgent first: what someone waits for (requests, overdue tasks, handovers,
    # approvals, Bescheide) before the team's cases, the school year and figures.
    places=(
        "triage",  # referrals: requests in the Familienamt's inbox, § 8a and urgent first
        "school_requests",  # referrals: a school's own requests, those waiting for it first
        "tasks",  # casework: the person's tasks due, overdue first
        "handovers",  # casework: handovers waiting for the team's answer
        "approvals",  # accounts: account changes waiting for the Leitung (four eyes)
        "decisions",  # cases: cases waiting for a Bescheid
        "team_cases",  # cases: the team's cases where it is their move
        "school_support",  # schoolsupport: help ending with the school year (school leaders)
        "conferences",  # conferences: the next Fallberatungen
        "oversight",  # cases: waiting times and workload per team (Leitung)
    ),
    contract=(
        "A provider gets the request (the person may hold any role) and returns a "
        "StartSection, or None when it has nothing for this person. It must not "
        "read personal data without visible_to(user) and should cost a constant "
        "number of queries."
    ),
)


def sections_for(request: HttpRequest) -> list[StartSection]:
    """The sections for this person, in the slot's order."""
    return [s for _, provider in SECTIONS.providers() if (s := provider(request)) is not None]
