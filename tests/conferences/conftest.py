import datetime
import itertools

import pytest
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment, User
from apps.cases.models import Case, Person
from apps.conferences import services
from apps.conferences.models import AgendaItem, Conference
from apps.consents.models import CaseConsent, Purpose
from apps.consents.rules import organisations_named_in
from apps.organisation.models import Team, Traeger
from apps.referrals.models import Referral, RequestSource

_numbers = itertools.count(1)


def make_case(team: Team, first_name: str, last_name: str, author: User) -> Case:
    number = next(_numbers)
    referral = Referral.objects.create(
        reference=f"A-2026-{number:05d}",
        kind=Referral.Kind.SCHULBEGLEITUNG,
        source_id=RequestSource.FAMILY,
        created_by=author,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=datetime.date(2015, 5, 1),
        team=team,
        sozialraum=team.sozialraum,
    )
    person = Person.objects.create(
        first_name=first_name, last_name=last_name, date_of_birth=datetime.date(2015, 5, 1)
    )
    return Case.objects.create(
        reference=f"F-2026-{number:05d}",
        person=person,
        referral=referral,
        sozialraum=team.sozialraum,
        team=team,
    )


def give_consent(case: Case, recipients: str, author: User, **extra: object) -> CaseConsent:
    """A consent for the Fallberatung to the organisations ``recipients`` names."""
    consent = CaseConsent.objects.create(
        case=case,
        given_by="Anna Wunderlich",
        given_on=datetime.date(2026, 1, 5),
        purposes=[Purpose.CASE_CONFERENCE],
        recorded_by=author,
        **extra,
    )
    consent.recipient_organisations.set(organisations_named_in(recipients, Traeger.objects.all()))
    return consent


@pytest.fixture
def west_case(team_west, familienamt_worker) -> Case:
    return make_case(team_west, "Jakob", "Wunderlich", familienamt_worker)


@pytest.fixture
def nord_case(team_nord, familienamt_worker) -> Case:
    return make_case(team_nord, "Lena", "Schubert", familienamt_worker)


@pytest.fixture
def west_city_member(team_west) -> User:
    """A city employee in the West team."""
    user = User.objects.create_user(
        username="tm-west-stadt", password="x", first_name="Carla", last_name="Stadt"
    )
    RoleAssignment.objects.create(
        user=user,
        role=Role.TEAM,
        team=team_west,
        employer=Traeger.objects.get(is_city=True),
    )
    return user


@pytest.fixture
def conference(team_west, west_member, west_city_member) -> Conference:
    return services.conference_create(
        team=team_west,
        actor=west_member,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        place="Büro West",
        participants=list(
            services.team_colleagues(team_west).filter(pk__in=[west_member.pk, west_city_member.pk])
        ),
        moderator=west_member,
        note_taker=west_city_member,
    )


@pytest.fixture
def agenda_item(conference, west_case) -> AgendaItem:
    return services.agenda_add(conference=conference, case=west_case)
