import datetime

import pytest

from apps.accounts.models import User
from apps.cases.models import Case, Person
from apps.neighbourhood.models import Activity, Resource, ResourceCaseLink
from apps.organisation.models import Team


def make_case(team: Team, reference: str, first_name: str = "Mila") -> Case:
    person = Person.objects.create(
        first_name=first_name, last_name="Beispiel", date_of_birth=datetime.date(2015, 5, 1)
    )
    return Case.objects.create(
        reference=reference, person=person, sozialraum=team.sozialraum, team=team
    )


def make_activity(team: Team, author: User, **fields: object) -> Activity:
    values: dict[str, object] = {
        "kind": Activity.Kind.OPEN_OFFER,
        "title": "Offenes Basketballtraining",
        "date": datetime.date(2026, 3, 10),
        "place": "Sporthalle Weimar-West",
        "participants": 12,
        "outcome": "Zwei Jugendliche fragen nach dem Jugendclub.",
        **fields,
    }
    return Activity.objects.create(team=team, created_by=author, **values)  # type: ignore[arg-type]


def make_resource(team: Team, author: User, **fields: object) -> Resource:
    values: dict[str, object] = {
        "kind": Resource.Kind.OFFER,
        "name": "Hausaufgabenhilfe im Stadtteilzentrum",
        "description": "Montags bis donnerstags, für Klassen 1 bis 6.",
        "contact": "03643 000000",
        "opening_hours": "Mo–Do 14–16 Uhr",
        "address": "Musterweg 3",
        **fields,
    }
    return Resource.objects.create(
        sozialraum=team.sozialraum,
        created_by=author,
        **values,  # type: ignore[arg-type]
    )


@pytest.fixture
def west_case(team_west) -> Case:
    return make_case(team_west, "F-2026-00101")


@pytest.fixture
def nord_case(team_nord) -> Case:
    return make_case(team_nord, "F-2026-00202", "Jonas")


@pytest.fixture
def west_activity(team_west, west_member) -> Activity:
    return make_activity(team_west, west_member)


@pytest.fixture
def nord_activity(team_nord, nord_member) -> Activity:
    return make_activity(team_nord, nord_member, title="Netzwerktreffen Kitas Nord")


@pytest.fixture
def west_resource(team_west, west_member) -> Resource:
    return make_resource(team_west, west_member)


@pytest.fixture
def nord_resource(team_nord, nord_member) -> Resource:
    return make_resource(team_nord, nord_member, name="Sportverein Schöndorf", kind="ort")


@pytest.fixture
def west_link(west_resource, west_case, west_member) -> ResourceCaseLink:
    return ResourceCaseLink.objects.create(
        resource=west_resource,
        case=west_case,
        note="Macht jetzt regelmäßig Hausaufgaben dort",
        created_by=west_member,
    )
