import datetime

import pytest

from apps.accounts.models import Role, RoleAssignment, User
from apps.cases.models import Case, Person
from apps.casework.models import CaseNote, NoteVersion
from apps.organisation.models import Traeger

URLS = "tests.casework.urls"


def _case(team, reference: str, first_name: str) -> Case:
    person = Person.objects.create(
        first_name=first_name, last_name="Beispiel", date_of_birth=datetime.date(2015, 5, 1)
    )
    return Case.objects.create(
        reference=reference, person=person, sozialraum=team.sozialraum, team=team
    )


@pytest.fixture
def west_case(team_west) -> Case:
    return _case(team_west, "F-2026-00001", "Mila")


@pytest.fixture
def nord_case(team_nord) -> Case:
    return _case(team_nord, "F-2026-00002", "Jonas")


@pytest.fixture
def west_colleague(team_west) -> User:
    user = User.objects.create_user(
        username="tm-west-2",
        password="correct-horse-battery",
        first_name="Ute",
        last_name="Kollegin",
    )
    RoleAssignment.objects.create(
        user=user, role=Role.TEAM, team=team_west, employer=Traeger.objects.get(short_name="AWO")
    )
    return user


def write_note(case: Case, author: User, text: str, *, confided: bool = False) -> CaseNote:
    note = CaseNote.objects.create(case=case, author=author, confided=confided)
    NoteVersion.objects.create(note=note, number=1, text=text, created_by=author)
    return note


@pytest.fixture
def confided_note(west_case, west_member) -> CaseNote:
    return write_note(
        west_case, west_member, "Die Mutter erzählte vom Streit mit dem Vater.", confided=True
    )
