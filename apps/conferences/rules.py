"""Whether a case may be discussed with names, and how it looks when it may not."""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from apps.cases.models import Case
from apps.conferences.models import Participant
from apps.consents.rules import covers_organisations


def consent_covers(case: Case, participants: Iterable[Participant]) -> bool:
    """Whether the family's consent lets ``case`` be discussed by name among ``participants``.

    The rule (:func:`apps.consents.rules.covers_organisations`): one consent
    on the case for naming in a Fallberatung, valid today (not withdrawn, not
    expired), names the organisation of every participant among its
    recipients. The city's staff are covered when the Familienamt (the city
    as Träger) is a recipient.

    It fails closed: no participants or a participant without a known
    organisation mean pseudonymised. Several consents are not combined.
    """
    return covers_organisations(case, [participant.organisation for participant in participants])


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
