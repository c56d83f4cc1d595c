"""What a grant of each kind of help needs, and how its period and dates agree.

The one place for these rules: the decision form shows their messages at the
fields, and :func:`apps.cases.services.case_decide` refuses with them, so a
grant written by any other path obeys them too.
"""

import datetime
from dataclasses import dataclass, fields, replace
from decimal import Decimal

from apps.cases.models import Decision, DecisionField, HelpKind, Pool, Provider
from apps.organisation.models import SchoolYear

MISSING = {
    DecisionField.HOURS: "Bitte geben Sie die Stunden pro Woche an.",
    DecisionField.PERIOD: "Bitte wählen Sie Schuljahr oder Schulhalbjahr.",
    DecisionField.PROVIDER: "Bitte wählen Sie den Leistungserbringer.",
    DecisionField.POOL: "Bitte wählen Sie den Pool.",
    DecisionField.HELP_FORM: "Bitte wählen Sie die Art der Hilfe.",
    DecisionField.EXTENT: "Bitte geben Sie den Umfang an, zum Beispiel "
    "„4 Fachleistungsstunden pro Woche“.",
    DecisionField.START: "Bitte geben Sie den Beginn an.",
    DecisionField.END: "Bitte geben Sie das Ende an.",
    DecisionField.REVIEW: "Bitte geben Sie an, wann die Hilfe überprüft wird.",
}


@dataclass(frozen=True)
class GrantDetails:
    hours_per_week: Decimal | None = None
    period: str = ""
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    provider: Provider | None = None
    pool: Pool | None = None
    help_form: str = ""
    extent: str = ""
    review_on: datetime.date | None = None
    backdating_reason: str = ""


EMPTY = GrantDetails()


class NoSchoolYear(LookupError):
    pass


def period_dates(period: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The school year or half-year (from the calendar data) that ``day`` falls in."""
    school_year = SchoolYear.objects.containing(day)
    if school_year is None:
        raise NoSchoolYear(
            f"Für den {day:%d.%m.%Y} ist kein Schuljahr hinterlegt. Bitte lassen Sie die "
            "Schuljahre in der Verwaltung ergänzen."
        )
    if period == Decision.Period.SCHOOL_YEAR:
        return school_year.whole
    return school_year.half_containing(day)


def label(help_kind: HelpKind, name: str) -> str:
    if name == DecisionField.HELP_FORM and help_kind.help_form_label:
        return help_kind.help_form_label
    if name in DecisionField.values:
        return str(DecisionField(name).label)
    return "Begründung für den Beginn in der Vergangenheit"


def check_grant(
    help_kind: HelpKind,
    details: GrantDetails,
    *,
    today: datetime.date,
    school_id: int | None,
) -> tuple[GrantDetails, dict[str, str]]:
    """The grant as it will be written, and what is wrong with it (field → message).

    Details the kind does not ask for are dropped; dates left empty are filled
    from the chosen period; a start before ``today`` needs a reason.
    """
    wanted = set(help_kind.decision_fields)
    kept = {
        f.name: getattr(details, f.name)
        for f in fields(GrantDetails)
        if f.name in wanted
        or f.name == "backdating_reason"
        # the period's dates are the grant's start and end
        or (f.name in {"valid_from", "valid_until"} and DecisionField.PERIOD in wanted)
    }
    grant = replace(EMPTY, **kept)
    problems: dict[str, str] = {}
    for name in help_kind.required_fields:
        if getattr(grant, name) in (None, ""):
            message = MISSING[DecisionField(name)]
            if name == DecisionField.HELP_FORM and help_kind.help_form_label:
                message = f"Bitte geben Sie an: {help_kind.help_form_label}."
            problems[name] = message
    if grant.help_form and help_kind.help_forms and grant.help_form not in help_kind.help_forms:
        problems["help_form"] = "Bitte wählen Sie aus der Liste."
    if grant.pool is not None and school_id is not None and grant.pool.school_id != school_id:
        problems["pool"] = "Der Pool gehört zu einer anderen Schule."
    if grant.period and "period" not in problems:
        grant = _dates_of_period(grant, today, problems)
    if grant.valid_from is None and not problems:
        # Every grant starts somewhere: without a date asked for, on the day of the decision.
        grant = replace(grant, valid_from=today)
    if grant.valid_from and grant.valid_until and grant.valid_from > grant.valid_until:
        problems.setdefault("valid_until", "„Ende“ liegt vor dem Beginn.")
    if grant.valid_from and grant.review_on and grant.review_on < grant.valid_from:
        problems.setdefault("review_on", "Die Überprüfung liegt vor dem Beginn der Hilfe.")
    if grant.valid_from and grant.valid_from < today and not grant.backdating_reason.strip():
        problems["backdating_reason"] = (
            f"Die Hilfe beginnt in der Vergangenheit ({grant.valid_from:%d.%m.%Y}). "
            "Bitte begründen Sie das."
        )
    if grant.valid_from is None or grant.valid_from >= today:
        grant = replace(grant, backdating_reason="")
    return grant, problems


def _dates_of_period(
    grant: GrantDetails, today: datetime.date, problems: dict[str, str]
) -> GrantDetails:
    """Fill or check the dates of a school-year or half-year grant."""
    anchor = grant.valid_from or today
    try:
        start, end = period_dates(grant.period, anchor)
    except NoSchoolYear as error:
        problems["valid_from"] = str(error)
        return grant
    name = "Schuljahr" if grant.period == Decision.Period.SCHOOL_YEAR else "Schulhalbjahr"
    valid_from = grant.valid_from or max(start, today)
    valid_until = grant.valid_until or end
    if valid_until != end:
        problems["valid_until"] = (
            f"Das {name} endet am {end:%d.%m.%Y}; eine Bewilligung für ein {name} endet "
            "an diesem Tag. Bitte passen Sie „Ende“ oder den Zeitraum an."
        )
    elif not (start <= valid_from <= end):
        problems["valid_from"] = (
            f"Der Beginn liegt nicht im {name} vom {start:%d.%m.%Y} bis {end:%d.%m.%Y}."
        )
    return replace(grant, valid_from=valid_from, valid_until=valid_until)


def refusal_message(help_kind: HelpKind, problems: dict[str, str]) -> str:
    listed = "; ".join(f"{label(help_kind, name)}: {text}" for name, text in problems.items())
    return f"Der Bescheid ist unvollständig, es wurde nichts gespeichert. {listed}"
