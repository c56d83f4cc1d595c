import datetime

import pytest

from apps.accounts.models import Role, RoleAssignment, User
from apps.cases.models import Case, Decision, Person
from apps.casework.models import CaseNote, HelpPlan, HelpPlanVersion, NoteVersion, Task
from apps.organisation.models import Traeger

HISTORY_MIDDLEWARE = "pghistory.middleware.HistoryMiddleware"


@pytest.fixture(autouse=True)
def _history_middleware(settings):
    """Who changed something comes from the request; the middleware must follow the login."""
    middleware = list(settings.MIDDLEWARE)
    if HISTORY_MIDDLEWARE not in middleware:
        middleware.insert(
            middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
            HISTORY_MIDDLEWARE,
        )
    settings.MIDDLEWARE = middleware


def make_case(team, reference: str, first_name: str) -> Case:
    person = Person.objects.create(
        first_name=first_name, last_name="Beispiel", date_of_birth=datetime.date(2015, 5, 1)
    )
    return Case.objects.create(
        reference=reference, person=person, sozialraum=team.sozialraum, team=team
    )


@pytest.fixture
def west_case(team_west) -> Case:
    return make_case(team_west, "F-2026-00001", "Mila")


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
def task(west_case, west_member) -> Task:
    return Task.objects.create(
        case=west_case,
        title="Schule anrufen",
        due_date=datetime.date(2026, 12, 1),
        assignee=west_member,
        created_by=west_member,
    )


@pytest.fixture
def decision(west_case, familienamt_worker) -> Decision:
    return Decision.objects.create(
        help_kind_id="sb_35a",
        case=west_case,
        reference="B-2026-00001",
        outcome=Decision.Outcome.REFUSED,
        decided_by=familienamt_worker,
        reason="Kein Bedarf festgestellt.",
    )


@pytest.fixture
def help_plan(west_case, west_member) -> HelpPlan:
    plan = HelpPlan.objects.create(case=west_case)
    HelpPlanVersion.objects.create(
        plan=plan,
        number=1,
        created_by=west_member,
        meeting_date=datetime.date(2026, 9, 1),
        need="Begleitung im Unterricht",
        help_kind="Schulbegleitung",
        goals="Mila nimmt am Unterricht teil.",
        participants="Mutter, Klassenlehrerin",
        next_review=datetime.date(2027, 3, 1),
    )
    return plan
