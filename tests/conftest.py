"""Personas shared by all tests.

Weimar's master data (Sozialräume, Stadtteile, Träger, teams) is loaded by a
migration, so every test database has it.
"""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings

from apps.accounts.models import Role, RoleAssignment, User
from apps.demo import seed
from apps.organisation.models import Schule, Stadtteil, Standort, Team, Traeger


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test database is created and migrated by the owner of the tables."""
    connection.settings_dict.update(settings.DATABASE_OWNER)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Tests run with the application's rights, as the web application does.

    The connection stays logged in as the owner and assumes the application
    role (``SET ROLE``), so a test can briefly act as the owner inside its
    own transaction (``apps.core.dbroles.as_owner``), and ``flush`` after
    transactional tests can empty the access log, which the application
    role cannot.
    """
    with django_db_blocker.unblock():
        connection.close()
        connection.settings_dict["OPTIONS"]["assume_role"] = settings.DATABASE_APP_ROLE
    yield
    with django_db_blocker.unblock():
        connection.close()
        del connection.settings_dict["OPTIONS"]["assume_role"]


# Fast hashing, and tasks run at once inside the test (tests/operations go through
# the real queue). Shared by every test and by the module-scoped demo below.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    # The second factor has its own tests (tests/accounts/test_second_factor.py).
    settings.SECOND_FACTOR_REQUIRED = False
    settings.TASKS = IMMEDIATE_TASKS
    # Figures counted anew on every view; tests/reports/test_snapshot.py covers the cache.
    settings.STEERING_CACHE_SECONDS = 0


def _user(username: str, *roles: dict) -> User:
    user = User.objects.create_user(username=username, password="correct-horse-battery")
    for role in roles:
        RoleAssignment.objects.create(user=user, **role)
    return user


@pytest.fixture
def team_west() -> Team:
    return Team.objects.get(sozialraum__slug="west")


@pytest.fixture
def team_nord() -> Team:
    return Team.objects.get(sozialraum__slug="nord-schoendorf")


@pytest.fixture
def team_mitte() -> Team:
    return Team.objects.get(sozialraum__slug="mitte-sued")


@pytest.fixture
def standort_west(team_west) -> Standort:
    return Standort.objects.create(
        team=team_west, name="Büro West", street="Musterweg 1", opening_hours="Di 9–12 Uhr"
    )


@pytest.fixture
def school_west() -> Schule:
    return Schule.objects.create(
        school_number="T-W-1",
        name="Testschule West",
        kind=Schule.Kind.GRUNDSCHULE,
        street="Testweg 1",
        stadtteil=Stadtteil.objects.get(name="Weimar-West"),
    )


@pytest.fixture
def school_nord() -> Schule:
    return Schule.objects.create(
        school_number="T-N-1",
        name="Testschule Nord",
        kind=Schule.Kind.REGELSCHULE,
        street="Testweg 2",
        stadtteil=Stadtteil.objects.get(name="Weimar-Nord"),
    )


@pytest.fixture
def familienamt_worker(db) -> User:
    return _user("fa-worker", {"role": Role.FAMILIENAMT})


@pytest.fixture
def familienamt_lead(db) -> User:
    return _user("fa-lead", {"role": Role.FAMILIENAMT_LEITUNG})


@pytest.fixture
def school_leader(school_west) -> User:
    return _user("sl-west", {"role": Role.SCHULLEITUNG, "school": school_west})


@pytest.fixture
def school_leader_nord(school_nord) -> User:
    return _user("sl-nord", {"role": Role.SCHULLEITUNG, "school": school_nord})


@pytest.fixture
def west_member(team_west) -> User:
    awo = Traeger.objects.get(short_name="AWO")
    return _user("tm-west", {"role": Role.TEAM, "team": team_west, "employer": awo})


@pytest.fixture
def nord_member(team_nord) -> User:
    caritas = Traeger.objects.get(short_name="Caritas")
    return _user("tm-nord", {"role": Role.TEAM, "team": team_nord, "employer": caritas})


@pytest.fixture
def admin_user(db) -> User:
    user = _user("it-admin", {"role": Role.ADMIN})
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def dpo(db) -> User:
    return _user("dsb", {"role": Role.DATENSCHUTZ})


@pytest.fixture
def councillor(db) -> User:
    """A member of the city council's youth-welfare committee: published reports only."""
    return _user("stadtrat", {"role": Role.STADTRAT})


@pytest.fixture
def traeger_awo(db) -> User:
    """AWO's management: figures and budget of the teams AWO staffs (West), nothing else."""
    awo = Traeger.objects.get(short_name="AWO")
    return _user("traeger-awo", {"role": Role.TRAEGER_LEITUNG, "employer": awo})


@pytest.fixture
def anonymous(db) -> None:
    return None


@pytest.fixture
def login_as(client: Client, request):
    """``login_as("west_member")`` logs the persona in; ``"anonymous"`` stays out."""

    def _login(persona: str) -> User | None:
        user = request.getfixturevalue(persona)
        if user is not None:
            client.force_login(user)
        return user

    return _login


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A transactional test must restore the master data it flushes.

    ``flush`` after a transactional test empties every table, including the
    master data the migrations load; without ``serialized_rollback`` every
    later transactional test then starts without teams and content types.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: django_db(transaction=True) needs serialized_rollback=True"
            )


@pytest.fixture(scope="module")
def demo_for_module(django_db_setup, django_db_blocker) -> Iterator[seed.SeedContext]:
    """The whole demo (seed 1), seeded once for a module and rolled back after it.

    Seeding takes seconds; tests that only read the demo share one copy. Each
    test still runs in its own savepoint (``db``), so what a test writes is gone
    before the next one. Only for modules without transactional tests.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, TASKS=IMMEDIATE_TASKS),
        transaction.atomic(),
    ):
        yield seed.run(seed=1)
        transaction.set_rollback(True)


@pytest.fixture
def demo_data(demo_for_module, db) -> seed.SeedContext:
    """The module's demo (offices, schools, accounts with DEMO_PASSWORD, cases) for a test."""
    return demo_for_module
