"""Whether a consent lets something happen: the one place every consumer asks.

The answer is computed at the moment of use from the case's consents (valid
today, the purpose named, the recipient named), so a withdrawal takes effect
at once everywhere: the Fallberatung shows the case pseudonymised on its next
page load, the school sees no more than "taken up" on its next request.

A list page prefetches ``consents`` with :func:`prefetch` to ask for many
cases without a query per case.
"""

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Prefetch
from django.utils import timezone

from apps.cases.models import Case
from apps.consents.models import CaseConsent, Purpose
from apps.organisation.models import Schule, Traeger
from apps.referrals.workflow import Status

# How the city (Familienamt staff, city team members) may be named in free text.
CITY_NAMES = ("Stadt Weimar", "Familienamt", "Jugendamt")


def prefetch(path: str = "consents") -> Prefetch:
    """Consents not withdrawn, with their recipients: enough for every rule below."""
    return Prefetch(
        path,
        queryset=CaseConsent.objects.filter(withdrawn_at__isnull=True).prefetch_related(
            "recipient_organisations", "recipient_schools", "recipient_providers"
        ),
        to_attr="running_consents",
    )


def _consents(case: Case, purpose: str, day: datetime.date) -> list[CaseConsent]:
    running = getattr(case, "running_consents", None)
    if running is None:
        running = list(
            CaseConsent.objects.filter(case=case, withdrawn_at__isnull=True).prefetch_related(
                "recipient_organisations", "recipient_schools", "recipient_providers"
            )
        )
    return [c for c in running if purpose in c.purposes and c.is_valid_on(day)]


def covers_organisations(
    case: Case, organisations: Iterable[Traeger | None], day: datetime.date | None = None
) -> bool:
    """One valid consent for the Fallberatung names every one of ``organisations``.

    Fails closed: no organisations, or one unknown (None), means no. Several
    consents are not combined: one consent must cover everyone.
    """
    wanted = list(organisations)
    if not wanted or any(organisation is None for organisation in wanted):
        return False
    day = day or timezone.localdate()
    wanted_ids = {organisation.pk for organisation in wanted if organisation is not None}
    return any(
        wanted_ids <= {o.pk for o in consent.recipient_organisations.all()}
        for consent in _consents(case, Purpose.CASE_CONFERENCE, day)
    )


def school_may_know(case: Case, school: Schule | None, day: datetime.date | None = None) -> bool:
    """Whether ``school`` may learn about the help and send feedback (exchange with the school)."""
    if school is None:
        return False
    day = day or timezone.localdate()
    return any(
        school.pk in {s.pk for s in consent.recipient_schools.all()}
        for consent in _consents(case, Purpose.SCHOOL_EXCHANGE, day)
    )


def organisations_named_in(text: str, organisations: Iterable[Traeger]) -> list[Traeger]:
    """The organisations whose short or full name (or, for the city, "Familienamt" etc.)
    appears in ``text`` as a whole word: for consents recorded as free text."""

    def named(organisation: Traeger) -> bool:
        names: tuple[str, ...] = (organisation.short_name, organisation.name)
        if organisation.is_city:
            names += CITY_NAMES
        return any(
            re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE)
            for name in names
            if name
        )

    return [organisation for organisation in organisations if named(organisation)]


def school_follow_policy(referrals: list[Any]) -> set[int]:
    """Ids of accepted ``referrals`` whose school a valid consent names for exchange (one query)."""
    ids = [r.pk for r in referrals if r.school_id is not None and r.status == Status.ACCEPTED]
    if not ids:
        return set()
    return set(
        CaseConsent.objects.valid()
        .for_purpose(Purpose.SCHOOL_EXCHANGE)
        .filter(case__referral_id__in=ids, recipient_schools=F("case__referral__school_id"))
        .values_list("case__referral_id", flat=True)
    )
