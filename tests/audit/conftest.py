import datetime

import pytest

from apps.cases.models import Case, Person
from apps.core.dbroles import as_owner

MIDDLEWARE = "apps.audit.middleware.AccessLogMiddleware"
TABLE = "audit_accesslogentry"


@pytest.fixture(autouse=True)
def _audit_wired_in(settings):
    """What settings.py and urls.py get once the access log is mounted."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]
    settings.ROOT_URLCONF = "tests.audit.urls"


def _case(team, reference: str) -> Case:
    person = Person.objects.create(
        first_name="Jürgen", last_name="Müller", date_of_birth=datetime.date(2016, 3, 4)
    )
    return Case.objects.create(
        reference=reference, person=person, sozialraum=team.sozialraum, team=team
    )


@pytest.fixture
def west_case(team_west) -> Case:
    return _case(team_west, "F-2026-0001")


@pytest.fixture
def nord_case(team_nord) -> Case:
    return _case(team_nord, "F-2026-0002")


@pytest.fixture
def tamper():
    """Run SQL with the append-only trigger switched off, as only the table's owner could.

    The application role can do none of this (tests/audit/test_roles.py); these
    tests show what ``verify_access_log`` reports if someone with the owner's
    rights did it.
    """

    def _tamper(sql: str, params: list | None = None) -> None:
        with as_owner() as connection, connection.cursor() as cursor:
            # Deferred constraint checks pending on the table would block ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_accesslog_no_change")
            cursor.execute(sql, params or [])
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_accesslog_no_change")

    return _tamper
