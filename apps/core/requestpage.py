"""What apps above ``referrals`` add to a request's status page, and what a school may follow.

``referrals`` renders the request's status page but must not import the
apps that know about cases, consents and grants. They register here in
``AppConfig.ready``:

* a **section provider** gets the request and the (already scope-checked)
  referral and returns a section for the page, or None;
* a **follow policy** gets a list of referrals and returns the ids whose
  school may follow the case beyond "taken up" (a valid consent for exchange
  with the school). Without a policy nobody may (fail closed).
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest

from apps.core.startpage import StartSection

RequestSectionProvider = Callable[[HttpRequest, Any], StartSection | None]
FollowPolicy = Callable[[list[Any]], set[int]]

_providers: list[RequestSectionProvider] = []
_policies: list[FollowPolicy] = []


def register(provider: RequestSectionProvider) -> RequestSectionProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def register_follow_policy(policy: FollowPolicy) -> FollowPolicy:
    if policy not in _policies:
        _policies.append(policy)
    return policy


def sections_for(request: HttpRequest, referral: Any) -> list[StartSection]:
    found = [s for provider in _providers if (s := provider(request, referral)) is not None]
    return sorted(found, key=lambda section: section.order)


def school_may_follow(referrals: Iterable[Any]) -> set[int]:
    """Ids of ``referrals`` whose school may see more than "taken up" (one query per policy)."""
    rows = list(referrals)
    allowed: set[int] = set()
    for policy in _policies:
        allowed |= policy(rows)
    return allowed
