import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.accounts.models import Role, RoleAssignment, User
from apps.demo import seed
from apps.organisation.models import Schule, Standort, StreetSegment, Team
from apps.organisation.routing import responsibility_for_address

pytestmark = pytest.mark.django_db

NAMED_ACCOUNTS = set(seed.DEMO_USERNAMES)


BASE_STEPS = seed.STEPS[: seed.STEPS.index(seed.seed_school_leaders) + 1]


@pytest.fixture
def debug(settings, monkeypatch):
    settings.DEBUG = True
    # These tests are about offices, schools, streets and accounts; requests and
    # cases take seconds per run and have their own tests (test_seed_cases.py).
    monkeypatch.setattr(seed, "STEPS", BASE_STEPS)


def _seed(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="nur in der Entwicklung"):
        _seed()

    assert not User.objects.exists()
    assert not Schule.objects.exists()


def test_creates_the_named_accounts_with_their_roles(debug):
    output = _seed()

    roles = {
        a.user.username: (
            a.role,
            a.team and a.team.sozialraum.slug,
            a.employer and a.employer.short_name,
        )
        for a in RoleAssignment.objects.select_related("user", "team__sozialraum", "employer")
        if a.user.username in NAMED_ACCOUNTS
    }
    assert roles == {
        "familienamt": (Role.FAMILIENAMT, None, None),
        "leitung": (Role.FAMILIENAMT_LEITUNG, None, None),
        "schule-west": (Role.SCHULLEITUNG, None, None),
        "schule-nord": (Role.SCHULLEITUNG, None, None),
        "team-west": (Role.TEAM, "west", "AWO"),
        "team-nord": (Role.TEAM, "nord-schoendorf", "Caritas"),
        "team-mitte": (Role.TEAM, "mitte-sued", "Diakonie"),
        "admin": (Role.ADMIN, None, None),
        "datenschutz": (Role.DATENSCHUTZ, None, None),
        "stadtrat": (Role.STADTRAT, None, None),
        "traeger-awo": (Role.TRAEGER_LEITUNG, None, "AWO"),
        "traeger-htg": (Role.TRAEGER_LEITUNG, None, "HTG"),
        "traeger-caritas": (Role.TRAEGER_LEITUNG, None, "Caritas"),
        "traeger-diakonie": (Role.TRAEGER_LEITUNG, None, "Diakonie"),
    }
    for username in NAMED_ACCOUNTS:
        assert username in output
    assert settings.DEMO_PASSWORD in output


def test_every_demo_account_has_the_demo_password_and_is_marked(debug):
    _seed()

    users = User.objects.filter(username__in=NAMED_ACCOUNTS)
    assert users.count() == len(NAMED_ACCOUNTS)
    for user in users:
        assert user.is_demo
        assert user.check_password(settings.DEMO_PASSWORD)
        assert not user.is_superuser
        assert user.is_staff == (user.username == "admin")


def test_admin_gets_only_master_data_and_account_permissions(debug):
    _seed()

    admin = User.objects.get(username="admin")
    models = {
        perm.split(".")[0] + "." + perm.split("_", 1)[1] for perm in admin.get_all_permissions()
    }
    apps = {model.split(".")[0] for model in models}
    assert apps == {
        "organisation",
        "accounts",
        "otp_totp",
        "otp_static",
        "cases",
        "referrals",
        "audit",
        "operations",  # scheduled jobs and worker heartbeats
        "django_tasks_database",  # the task queue (ids and error frames, no content)
        "reports",
    }
    # Of the apps with case content only master data: providers, pools, kinds of help,
    # request sources, closing reasons, retention periods, budgets and provider rates.
    assert {m for m in models if m.split(".")[0] in {"cases", "referrals", "audit", "reports"}} == {
        "cases.provider",
        "cases.pool",
        "cases.helpkind",
        "referrals.requestsource",
        "cases.closingreason",
        "audit.retentionrule",
        "reports.budget",
        "reports.providerrate",
    }


def test_schools_lead_by_demo_accounts_lie_in_their_sozialraum(debug):
    _seed()

    west = User.objects.get(username="schule-west").schools[0]
    nord = User.objects.get(username="schule-nord").schools[0]
    assert west.sozialraum.slug == "west"
    assert nord.sozialraum.slug == "nord-schoendorf"


def test_each_sozialraum_gets_several_demo_schools_and_each_team_an_office(debug):
    _seed()

    for team in Team.objects.select_related("sozialraum"):
        schools = Schule.objects.filter(stadtteil__sozialraum=team.sozialraum)
        assert schools.count() >= 3
        assert all(s.is_demo and s.school_number.startswith("DEMO-") for s in schools)
        office = Standort.objects.get(team=team)
        assert office.is_demo
        assert office.opening_hours
    west_office = Standort.objects.get(team__sozialraum__slug="west")
    assert west_office.street == "Soproner Straße 1b"
    for office in Standort.objects.exclude(team__sozialraum__slug="west"):
        assert "(Demo-Adresse)" in office.name


def test_each_team_has_about_six_people(debug):
    _seed()

    for team in Team.objects.all():
        assert RoleAssignment.objects.filter(role=Role.TEAM, team=team).count() == 6


def test_street_directory_covers_every_stadtteil_and_routes_addresses(debug):
    from apps.organisation.models import Stadtteil

    _seed()

    covered = set(
        StreetSegment.objects.filter(is_demo=True).values_list("stadtteil__name", flat=True)
    )
    assert covered == set(Stadtteil.objects.values_list("name", flat=True))
    assert responsibility_for_address("Marcel-Paul-Str.", "12").sozialraum.slug == "west"
    assert (
        responsibility_for_address("Ettersburger Straße", "3").sozialraum.slug == "nord-schoendorf"
    )
    assert responsibility_for_address("Frauenplan", "1").sozialraum.slug == "mitte-sued"
    # A border street: the two sides belong to different Stadtteile.
    assert responsibility_for_address("Schwanseestraße", "17").stadtteil.name == "Westvorstadt"
    assert responsibility_for_address("Schwanseestraße", "18").stadtteil.name == "Nordvorstadt"


def test_demo_schools_addresses_are_in_the_street_directory(debug):
    _seed()

    for school in Schule.objects.select_related("stadtteil"):
        street, number = school.street.rsplit(" ", 1)
        assert responsibility_for_address(street, number).stadtteil == school.stadtteil


def _school_names() -> list[str]:
    return list(Schule.objects.order_by("school_number").values_list("name", flat=True))


def test_same_seed_gives_the_same_school_names(debug):
    _seed("--seed", "7")
    first = _school_names()
    Schule.objects.update(name="x")

    _seed("--seed", "7")

    assert _school_names() == first


def test_another_seed_gives_other_school_names(debug):
    _seed("--seed", "1")
    first = _school_names()

    _seed("--seed", "2")

    assert _school_names() != first


def test_running_twice_changes_nothing(debug):
    _seed()
    counts = (User.objects.count(), Schule.objects.count(), StreetSegment.objects.count())
    roles = RoleAssignment.objects.count()
    offices = Standort.objects.count()

    _seed()

    assert (User.objects.count(), Schule.objects.count(), StreetSegment.objects.count()) == counts
    assert RoleAssignment.objects.count() == roles
    assert Standort.objects.count() == offices


def test_if_empty_does_nothing_the_second_time(debug):
    _seed("--if-empty")
    User.objects.filter(username="familienamt").update(first_name="Geändert")

    output = _seed("--if-empty")

    assert "schon vorhanden" in output
    assert User.objects.get(username="familienamt").first_name == "Geändert"


def test_scale_multiplies_schools_streets_and_team_members(debug):
    _seed()
    base = (Schule.objects.count(), StreetSegment.objects.count())
    members = RoleAssignment.objects.filter(role=Role.TEAM).count()

    _seed("--scale", "3")

    assert Schule.objects.count() == 3 * base[0]
    assert StreetSegment.objects.count() == 3 * base[1]
    assert RoleAssignment.objects.filter(role=Role.TEAM).count() == 3 * (members - 3) + 3


def test_scale_below_one_is_refused(debug):
    with pytest.raises(CommandError, match="mindestens 1"):
        _seed("--scale", "0")

    assert not User.objects.exists()


def test_refuses_to_overwrite_a_real_account_with_a_demo_name(debug):
    User.objects.create_user("admin", password="ein-echtes-passwort")

    with pytest.raises(CommandError, match="kein Demokonto"):
        _seed()

    real = User.objects.get(username="admin")
    assert real.check_password("ein-echtes-passwort")
    assert not real.is_demo
    # One transaction: nothing of the demo is left behind.
    assert not Schule.objects.exists()
    assert not User.objects.filter(is_demo=True).exists()


def test_later_steps_do_not_change_earlier_steps_output(db):
    first = seed.run(seed=5, steps=[seed.seed_schools])
    names = _school_names()

    seed.run(seed=5, steps=[seed.seed_offices, seed.seed_schools])

    assert _school_names() == names
    assert first.summary
