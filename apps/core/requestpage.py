"""What apps above ``referrals`` add to a request's status page, and what a school may follow.

``referrals`` renders the request's status page but must not import the
apps that know about cases, consents and grants. They provide in two slots
in ``AppConfig.ready``:

* :data:`SECTIONS`: sections of the status page;
* :data:`FOLLOW_POLICIES`: whether a school may follow the case beyond
  "taken up". Without a policy nobody may (fail closed).
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest

from apps.core.slots import Slot
from apps.core.startpage import StartSection

RequestSectionProvider = Callable[[HttpRequest, Any], StartSection | None]
FollowPolicy = Callable[[list[Any]], set[int]]

SECTIONS: Slot[RequestSectionProvider] = Slot(
    "requestpage",
    places=("help",),  # schoolsupport: the decided help, the next review, the school's feedback
    contract=(
        "A provider gets the request and the referral (already checked with "
        "visible_to) and returns a StartSection, or None when the person may not "
        "see it. Constant queries per request."
    ),
)

FOLLOW_POLICIES: Slot[FollowPolicy] = Slot(
    "school_follow",
    places=("consent",),  # consents: a valid consent for exchange with the school
    contract=(
        "A policy gets a list of referrals and returns the ids whose school may "
        "follow the case beyond 'taken up', with one query for the whole list."
    ),
)


def sections_for(request: HttpRequest, referral: Any) -> list[StartSection]:
    """The status page's sections for this person, in the slot's order."""
    return [
        s for _, provider in SECTIONS.providers() if (s := provider(request, referral)) is not None
    ]


def school_may_follow(referrals: Iterable[Any]) -> set[int]:
    """Ids of ``referrals`` whose school may see more than "taken up" (one query per policy)."""
    rows = list(referrals)
    allowed: set[int] = set()
    for _, policy in FOLLOW_POLICIES.providers():
        allowed |= policy(rows)
    return allowed
