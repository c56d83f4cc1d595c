import datetime

import pytest

from apps.cases.models import Case, Person, Provider
from apps.cases.services import case_open_from_referral, case_recommend, case_transition
from apps.referrals.models import Referral
from apps.referrals.services import ConsentData, referral_submit
from apps.referrals.workflow import Status

TO_DECISION = (Status.APPLICATION, Status.ASSESSMENT, Status.HELP_PLAN, Status.DECISION)


def submit_referral(
    author,
    school,
    *,
    first_name="Jürgen",
    last_name="Müller",
    date_of_birth=datetime.date(2016, 3, 4),
    consent=True,
) -> Referral:
    fields = {"school_class": "3b", "observations": "Braucht Unterstützung im Unterricht."}
    if consent:
        fields |= {"first_name": first_name, "last_name": last_name, "date_of_birth": date_of_birth}
    else:
        fields |= {"initials": "J. M.", "birth_year": date_of_birth.year}
    referral = referral_submit(
        author=author,
        school=school,
        kind=Referral.Kind.SCHULBEGLEITUNG,
        fields=fields,
        consent=ConsentData(
            given_by="Anna Müller",
            relation="Mutter",
            given_on=datetime.date(2026, 11, 1),
            purpose="referral",
            recipients="Familienamt und Sozialraumteam",
        )
        if consent
        else None,
    )
    return referral


def open_case(referral: Referral, actor, **kwargs) -> Case:
    return case_open_from_referral(
        referral_id=referral.pk, actor=actor, expected_version=referral.version, **kwargs
    )


def recommend(case: Case, actor) -> None:
    """The team's recommendation: "Zur Entscheidung vorlegen" needs one."""
    case_recommend(case_id=case.pk, actor=actor, text="Schulbegleitung.", hours_per_week=None)


def move_to_decision(case: Case, actor) -> Case:
    for target in TO_DECISION:
        if target == Status.DECISION:
            recommend(case, actor)
        case = case_transition(
            case_id=case.pk, actor=actor, target=target, expected_version=case.version
        )
    return case


@pytest.fixture
def west_referral(school_leader, school_west) -> Referral:
    return submit_referral(school_leader, school_west)


@pytest.fixture
def west_case(west_referral, familienamt_worker) -> Case:
    return open_case(west_referral, familienamt_worker)


@pytest.fixture
def nord_case(school_leader_nord, school_nord, familienamt_worker) -> Case:
    referral = submit_referral(
        school_leader_nord,
        school_nord,
        first_name="Lena",
        last_name="Schulz",
        date_of_birth=datetime.date(2015, 5, 6),
    )
    return open_case(referral, familienamt_worker)


@pytest.fixture
def decision_case(west_case, west_member) -> Case:
    return move_to_decision(west_case, west_member)


@pytest.fixture
def provider() -> Provider:
    return Provider.objects.get(name="Atze Assistenz gGmbH – Regionalteam Weimar")


@pytest.fixture
def known_mueller(db) -> Person:
    return Person.objects.create(
        first_name="Jürgen", last_name="Müller", date_of_birth=datetime.date(2016, 3, 4)
    )
