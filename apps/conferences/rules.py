"""Whether a case may be discussed with names, and how it looks when it may not."""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from apps.cases.models import Case
from apps.conferences.models import Participant
from apps.organisation.models import Traeger
from apps.referrals.models import Consent

# How city staff (the Familienamt) may be named in a consent's recipients.
CITY_NAMES = ("Stadt Weimar", "Familienamt", "Jugendamt")


def organisation_names(organisation: Traeger) -> tuple[str, ...]:
    names = (organisation.short_name, organisation.name)
    return names + CITY_NAMES if organisation.is_city else names


def _names_in(names: Iterable[str], text: str) -> bool:
    return any(
        re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE)
        for name in names
        if name
    )


def case_conference_consents(case: Case) -> list[Consent]:
    """The case's consents for conferences; uses ``referral__consents`` if prefetched."""
    referral = case.referral
    if referral is None:
        return []
    return [
        consent
        for consent in referral.consents.all()
        if consent.purpose == Consent.Purpose.CASE_CONFERENCE
    ]


def consent_covers(case: Case, participants: Iterable[Participant]) -> bool:
    """Whether the family's consent lets ``case`` be discussed by name among ``participants``.

    The rule: there is one consent on the case's referral with purpose
    CASE_CONFERENCE that is valid today (not withdrawn, not expired:
    ``Consent.is_valid``) and whose free-text ``recipients`` name the
    organisation of every participant. An organisation counts as named when
    its short name ("AWO") or full name appears in the recipients as a whole
    word, case-insensitive; the city (Familienamt staff, city team members)
    also counts as named by "Stadt Weimar", "Familienamt" or "Jugendamt".

    It fails closed: no participants, a participant without a known
    organisation, a case without referral, or recipients that do not name an
    organisation ("das zuständige Sozialraumteam") mean pseudonymised.
    Several consents are not combined: one consent must cover everyone.
    """
    organisations = [participant.organisation for participant in participants]
    if not organisations or any(organisation is None for organisation in organisations):
        return False
    return any(
        consent.is_valid
        and all(
            _names_in(organisation_names(organisation), consent.recipients)
            for organisation in organisations
            if organisation is not None
        )
        for consent in case_conference_consents(case)
    )


def initials(first_name: str, last_name: str) -> str:
    """ "Jürgen Müller" -> "J. M."; double names keep each part ("A.-L. M.")."""

    def of(name: str) -> str:
        parts = [part for part in re.split(r"[-\s]+", name.strip()) if part]
        return "-".join(f"{part[0].upper()}." for part in parts)

    return " ".join(part for part in (of(first_name), of(last_name)) if part)


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


@dataclass(frozen=True)
class CaseLabel:
    """How an agenda case is shown: by name, or by code, initials and age."""

    reference: str
    named: bool
    name: str
    initials: str
    age: int

    def __str__(self) -> str:
        who = self.name if self.named else self.initials
        return f"{self.reference}: {who}, {self.age} Jahre"


def case_label(case: Case, participants: Iterable[Participant], day: datetime.date) -> CaseLabel:
    person = case.person
    named = consent_covers(case, participants)
    return CaseLabel(
        reference=case.reference,
        named=named,
        name=f"{person.first_name} {person.last_name}" if named else "",
        initials=initials(person.first_name, person.last_name),
        age=age_on(person.date_of_birth, day),
    )
