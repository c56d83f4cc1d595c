"""Invented demo data for Weimar: offices, schools, streets, accounts.

Everything written here is marked ``is_demo``; addresses that are not public
say so in their name. The seeder is a list of steps (:data:`STEPS`) run in
order inside one transaction; later features append their own steps (requests,
cases, ...). Each step gets its own random generator derived from the seed and
the step's name, so adding a step never changes what the others produce.
"""

import csv
import io
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q

from apps.accounts.models import Role, RoleAssignment, User
from apps.demo import (
    casework,
    conferences,
    intake,
    neighbourhood,
    participation,
    referrals,
    reports,
)
from apps.demo.context import TEAM_ACCOUNTS, DemoAccount, SeedContext, SeedError, Step
from apps.organisation import imports
from apps.organisation.models import Schule, Sozialraum, Standort, Team, Traeger

# Sozialraum slug → short code for invented school numbers, and the Stadtteil
# where most of its families live (the first school goes there).
SOZIALRAUM_CODES = {"west": "W", "nord-schoendorf": "N", "mitte-sued": "M"}
MAIN_STADTTEIL = {"west": "Weimar-West", "nord-schoendorf": "Weimar-Nord", "mitte-sued": "Altstadt"}

# Offices: team offices are not public, so these are invented, except that
# AWO's own address in Weimar-West is public (DOMAIN.md).
OFFICES = {
    "west": (
        "Büro Sozialraumteam West (Demo-Angaben)",
        "Soproner Straße 1b",
        "Anschrift der AWO Mitte-West-Thüringen; Sprechzeiten und Telefon sind erfunden.",
    ),
    "nord-schoendorf": (
        "Büro Sozialraumteam Nord und Schöndorf (Demo-Adresse)",
        "Ettersburger Straße 52",
        "Erfundene Adresse für die Demo.",
    ),
    "mitte-sued": (
        "Büro Sozialraumteam Mitte-Süd (Demo-Adresse)",
        "Berkaer Straße 14",
        "Erfundene Adresse für die Demo.",
    ),
}
OPENING_HOURS = [
    "Di 9–12 Uhr, Do 14–18 Uhr und nach Vereinbarung",
    "Mo 13–16 Uhr, Mi 9–12 Uhr und nach Vereinbarung",
    "Di 14–17 Uhr, Fr 9–12 Uhr und nach Vereinbarung",
]

# A few plausible streets per Stadtteil. Each street lies in one Stadtteil,
# except Schwanseestraße, whose two sides show a border street (parity).
STREETS: dict[str, list[str]] = {
    "Weimar-West": ["Marcel-Paul-Straße", "Soproner Straße", "Moskauer Straße", "Prager Straße"],
    "Westvorstadt": ["Erfurter Straße", "Humboldtstraße", "Trierer Straße", "Gutenbergstraße"],
    "Gaberndorf": ["Gaberndorfer Anger", "Kirschbachweg"],
    "Daasdorf am Berge": ["Daasdorfer Hauptstraße", "Am Großen Berg"],
    "Tröbsdorf": ["Tröbsdorfer Straße", "Am Lindenberg"],
    "Weimar-Nord": [
        "Ettersburger Straße",
        "Rießnerstraße",
        "Carl-von-Ossietzky-Straße",
        "Lützendorfer Straße",
    ],
    "Nordvorstadt": ["Buttelstedter Straße", "Ernst-Busse-Straße", "Friedrich-Ebert-Straße"],
    "Schöndorf (Waldstadt)": ["Schöndorfer Straße", "Am Waldrand", "Hohe Buche"],
    "Tiefurt": ["Tiefurter Allee", "Kammergutweg"],
    "Süßenborn": ["Süßenborner Straße", "Am Ilmhang"],
    "Altstadt": ["Frauenplan", "Marktstraße", "Schillerstraße", "Herderplatz"],
    "Südstadt": ["Berkaer Straße", "Freiherr-vom-Stein-Allee", "Wörthstraße"],
    "Parkvorstadt": ["Belvederer Allee", "Am Horn", "Corona-Schröter-Straße"],
    "Oberweimar/Ehringsdorf": ["Ehringsdorfer Straße", "Taubacher Straße"],
    "Taubach": ["Taubacher Dorfplatz", "Am Hainweg"],
    "Legefeld": ["Legefelder Hauptstraße", "Am Kirschberg"],
    "Gelmeroda": ["Gelmerodaer Kirchweg"],
    "Possendorf": ["Possendorfer Weg"],
    "Niedergrunstedt": ["Niedergrunstedter Straße"],
}
BORDER_STREET = ("Schwanseestraße", "Westvorstadt", "Nordvorstadt")  # odd side, even side
SEGMENT_LENGTH = 40  # house numbers per segment when --scale splits streets

SCHOOL_KINDS = [
    (Schule.Kind.GRUNDSCHULE, 9),
    (Schule.Kind.REGELSCHULE, 3),
    (Schule.Kind.GEMEINSCHAFTSSCHULE, 3),
    (Schule.Kind.GYMNASIUM, 2),
    (Schule.Kind.FOERDERZENTRUM, 2),
]
SCHOOLS_PER_SOZIALRAUM = 4
SCHOOL_NAMES = [
    "Am Lindenhof",
    "Am Wiesengrund",
    "An der Ilmaue",
    "Am Sonnenhang",
    "Am Eichenhain",
    "Regenbogen",
    "Am Mühlbach",
    "Zur Linde",
    "Am Rosengarten",
    "Am Birkenweg",
    "Kleeblatt",
    "Am Brunnen",
    "Am Auenpark",
    "Am Lerchenberg",
    "Am Ahornplatz",
    "An der Feldmark",
    "Kastanienhof",
    "Am Quellgrund",
    "Löwenzahn",
    "Am Hopfenberg",
    "Am Storchennest",
    "Am Hain",
    "Sonnenblume",
    "Am Weinberg",
]

FIRST_NAMES = [
    "Anja", "Birgit", "Carolin", "Daniela", "Franziska", "Heike", "Ines", "Jana", "Katja",
    "Lena", "Mandy", "Nadine", "Petra", "Sandra", "Susanne", "Tina", "Yvonne", "Andreas",
    "Christian", "Daniel", "Florian", "Frank", "Jan", "Kai", "Lars", "Matthias", "Michael",
    "Paul", "René", "Sebastian", "Steffen", "Tobias", "Uwe",
]  # fmt: skip
LAST_NAMES = [
    "Albrecht", "Bauer", "Beck", "Böhm", "Engel", "Fischer", "Franke", "Friedrich", "Günther",
    "Hahn", "Heinrich", "Hoffmann", "Jahn", "Keller", "Kühn", "Lange", "Ludwig", "Martin",
    "Meißner", "Neumann", "Otto", "Pohl", "Roth", "Schäfer", "Schubert", "Schulze", "Seidel",
    "Sommer", "Thiele", "Voigt", "Walther", "Weber", "Winkler", "Zimmermann",
]  # fmt: skip

EXTRA_MEMBERS_PER_TEAM = 5  # with the named account, about six people per team
ADMIN_APPS = ("organisation", "accounts", "otp_totp", "otp_static", "operations")
# Master data outside those apps that administrators maintain (no case content).
ADMIN_MODELS = (
    ("cases", "provider"),
    ("cases", "pool"),
    ("cases", "helpkind"),
    ("referrals", "requestsource"),
    ("cases", "closingreason"),
    ("audit", "retentionrule"),
    ("reports", "budget"),
    ("reports", "providerrate"),
    # Background work: task names, states and error classes, no case content.
    ("django_tasks_database", "dbtaskresult"),
)


def _school_number(slug: str, index: int) -> str:
    return f"DEMO-{SOZIALRAUM_CODES[slug]}-{index:03d}"


def demo_school_number(slug: str) -> str:
    """The demo school whose Schulleitung has a named demo account."""
    return _school_number(slug, 1)


def _csv(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _ranges(scale: int) -> list[tuple[int, int]]:
    bounds = [(i * SEGMENT_LENGTH + 1, (i + 1) * SEGMENT_LENGTH) for i in range(scale)]
    bounds[-1] = (bounds[-1][0], imports.LAST_HOUSE_NUMBER)
    return bounds


def seed_offices(ctx: SeedContext) -> None:
    rng = ctx.rng("offices")
    for team in Team.objects.select_related("sozialraum"):
        name, street, note = OFFICES[team.sozialraum.slug]
        number = rng.randint(100, 999)
        Standort.objects.update_or_create(
            team=team,
            name=name,
            defaults={
                "street": street,
                "opening_hours": rng.choice(OPENING_HOURS),
                "phone": f"03643 000 {number}",
                "email": f"{team.sozialraum.slug}@demo.invalid",
                "accessibility": note,
                "is_primary": True,
                "is_demo": True,
            },
        )
    ctx.summary.append(f"{Team.objects.count()} Büros")


def seed_streets(ctx: SeedContext) -> None:
    rows: list[tuple[object, ...]] = []
    for stadtteil, streets in STREETS.items():
        for street in streets:
            rows += [(street, low, high, "alle", stadtteil) for low, high in _ranges(ctx.scale)]
    street, odd_side, even_side = BORDER_STREET
    for low, high in _ranges(ctx.scale):
        rows += [
            (street, low, high, "ungerade", odd_side),
            (street, low, high, "gerade", even_side),
        ]
    parsed, errors = imports.parse_streets(_csv(imports.STREET_COLUMNS, rows))
    if errors:
        raise SeedError("; ".join(str(error) for error in errors))
    summary = imports.write_streets(parsed, is_demo=True)
    ctx.summary.append(f"{summary.created} Straßenabschnitte")


def _school_name(rng: random.Random, kind: str, stadtteil: str, used: set[str]) -> str:
    label = Schule.Kind(kind).label
    for stem in rng.sample(SCHOOL_NAMES, len(SCHOOL_NAMES)):
        name = f"{label} „{stem}“"
        if name not in used:
            return name
    base = f"{label} {stadtteil}"
    name, number = base, 1
    while name in used:
        number += 1
        name = f"{base} {number}"
    return name


def seed_schools(ctx: SeedContext) -> None:
    rng = ctx.rng("schools")
    kinds, weights = zip(*SCHOOL_KINDS, strict=True)
    used: set[str] = set()
    rows: list[tuple[object, ...]] = []
    for sozialraum in Sozialraum.objects.prefetch_related("stadtteile"):
        stadtteile = sorted(s.name for s in sozialraum.stadtteile.all())
        for index in range(1, SCHOOLS_PER_SOZIALRAUM * ctx.scale + 1):
            # The named school leader's school is a Grundschule in the main district.
            stadtteil = MAIN_STADTTEIL[sozialraum.slug] if index == 1 else rng.choice(stadtteile)
            kind = Schule.Kind.GRUNDSCHULE if index == 1 else rng.choices(kinds, weights)[0]
            name = _school_name(rng, kind, stadtteil, used)
            used.add(name)
            street = f"{rng.choice(STREETS[stadtteil])} {rng.randint(1, 40)}"
            number = _school_number(sozialraum.slug, index)
            rows.append((number, name, kind, street, "99423", stadtteil))
    parsed, errors = imports.parse_schools(_csv(imports.SCHOOL_COLUMNS, rows))
    if errors:
        raise SeedError("; ".join(str(error) for error in errors))
    summary = imports.write_schools(parsed, is_demo=True)
    ctx.summary.append(f"{len(parsed)} Schulen ({summary.created} neu)")


def _demo_user(
    ctx: SeedContext, username: str, first_name: str, last_name: str, *, is_staff: bool = False
) -> User:
    user = User.objects.filter(username=username).first()
    if user is not None and not user.is_demo:
        raise SeedError(
            f"Das Konto „{username}“ gibt es schon, und es ist kein Demokonto. "
            "Die Demodaten würden es überschreiben; deshalb bricht der Befehl ab."
        )
    user = user or User(username=username)
    user.first_name, user.last_name = first_name, last_name
    user.email = f"{username}@demo.invalid"
    user.password = ctx.password_hash
    user.is_demo, user.is_staff, user.is_superuser, user.is_active = True, is_staff, False, True
    user.save()
    return user


def _assign(
    user: User,
    role: str,
    *,
    school: Schule | None = None,
    team: Team | None = None,
    employer: Traeger | None = None,
) -> None:
    assignment, _ = RoleAssignment.objects.update_or_create(
        user=user, role=role, school=school, team=team, defaults={"employer": employer}
    )
    # A re-run leaves exactly the roles the demo describes.
    user.role_assignments.exclude(pk=assignment.pk).delete()


TRAEGER_ACCOUNTS = (
    ("traeger-awo", "AWO", ("Petra", "Neumann")),
    ("traeger-htg", "HTG", ("Uwe", "Fischer")),
    ("traeger-caritas", "Caritas", ("Monika", "Becker")),
    ("traeger-diakonie", "Diakonie", ("Frank", "Schulz")),
)


def seed_accounts(ctx: SeedContext) -> None:
    schools = Schule.objects.in_bulk(
        [demo_school_number("west"), demo_school_number("nord-schoendorf")],
        field_name="school_number",
    )
    teams = {t.sozialraum.slug: t for t in Team.objects.select_related("sozialraum")}
    traeger = {t.short_name: t for t in Traeger.objects.all()}

    def add(username: str, first: str, last: str, description: str, **kwargs: bool) -> User:
        user = _demo_user(ctx, username, first, last, **kwargs)
        ctx.accounts.append(DemoAccount(username, f"{first} {last}", description))
        return user

    _assign(add("familienamt", "Katrin", "Vogel", "Familienamt"), Role.FAMILIENAMT)
    _assign(add("leitung", "Thomas", "Brandt", "Leitung Familienamt"), Role.FAMILIENAMT_LEITUNG)
    for username, slug, first, last in [
        ("schule-west", "west", "Sabine", "Möller"),
        ("schule-nord", "nord-schoendorf", "Jens", "Hartmann"),
    ]:
        school = schools[demo_school_number(slug)]
        user = add(username, first, last, f"Schulleitung, {school.name}")
        _assign(user, Role.SCHULLEITUNG, school=school)
    for (username, (slug, employer)), (first, last) in zip(
        TEAM_ACCOUNTS.items(),
        [("Anna", "Schreiber"), ("Markus", "Lehmann"), ("Julia", "Krüger")],
        strict=True,
    ):
        team = teams[slug]
        user = add(username, first, last, f"{team.name} ({employer})")
        _assign(user, Role.TEAM, team=team, employer=traeger[employer])
    admin = add("admin", "Stefan", "Richter", "Administration", is_staff=True)
    _assign(admin, Role.ADMIN)
    # Staff, not superuser: master data and accounts only, never case content.
    master_data = Q(content_type__app_label__in=ADMIN_APPS)
    for app_label, model in ADMIN_MODELS:
        master_data |= Q(content_type__app_label=app_label, content_type__model=model)
    admin.user_permissions.set(Permission.objects.filter(master_data))
    _assign(add("datenschutz", "Claudia", "Wolf", "Datenschutz"), Role.DATENSCHUTZ)
    councillor = add("stadtrat", "Heike", "Sommer", "Stadtrat, Jugendhilfeausschuss")
    _assign(councillor, Role.STADTRAT)
    for username, short_name, (first, last) in TRAEGER_ACCOUNTS:
        user = add(username, first, last, f"Trägerleitung {short_name}")
        _assign(user, Role.TRAEGER_LEITUNG, employer=traeger[short_name])


def seed_team_staff(ctx: SeedContext) -> None:
    rng = ctx.rng("team-staff")
    count = 0
    teams = Team.objects.select_related("sozialraum").prefetch_related("traeger")
    for team in teams:
        prefix = next(u for u, (slug, _) in TEAM_ACCOUNTS.items() if slug == team.sozialraum.slug)
        employers = sorted(team.traeger.all(), key=lambda t: (not t.is_city, t.short_name))
        for number in range(2, EXTRA_MEMBERS_PER_TEAM * ctx.scale + 2):
            user = _demo_user(
                ctx, f"{prefix}-{number:02d}", rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            )
            employer = employers[number % len(employers)]
            _assign(user, Role.TEAM, team=team, employer=employer)
            count += 1
    ctx.summary.append(f"{count} weitere Teammitglieder (team-west-02 usw.)")


def seed_school_leaders(ctx: SeedContext) -> None:
    """A Schulleitung account for every other demo school, so requests come from many schools."""
    rng = ctx.rng("school-leaders")
    named = {demo_school_number("west"), demo_school_number("nord-schoendorf")}
    count = 0
    for school in Schule.objects.filter(is_demo=True, school_number__startswith="DEMO-").order_by(
        "school_number"
    ):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if school.school_number in named:
            continue
        username = "schule-" + school.school_number.removeprefix("DEMO-").lower()
        _assign(_demo_user(ctx, username, first, last), Role.SCHULLEITUNG, school=school)
        count += 1
    ctx.summary.append(f"{count} weitere Schulleitungen (schule-w-002 usw.)")


STEPS: list[Step] = [
    seed_offices,
    seed_streets,
    seed_schools,
    seed_accounts,
    seed_team_staff,
    seed_school_leaders,
    referrals.seed_requests_and_cases,
    intake.seed_intake,
    casework.seed_case_files,
    casework.seed_help_plans,
    conferences.seed_conferences,
    neighbourhood.seed_neighbourhood,
    participation.seed_participation,
    reports.seed_reports,
]

DEMO_USERNAMES = (
    "familienamt",
    "leitung",
    "schule-west",
    "schule-nord",
    "team-west",
    "team-nord",
    "team-mitte",
    "admin",
    "datenschutz",
    "stadtrat",
    "traeger-awo",
    "traeger-htg",
    "traeger-caritas",
    "traeger-diakonie",
)


def demo_accounts_exist() -> bool:
    return User.objects.filter(username__in=DEMO_USERNAMES, is_demo=True).exists()


def run(*, seed: int = 1, scale: int = 1, steps: list[Step] | None = None) -> SeedContext:
    if scale < 1:
        raise SeedError("--scale muss mindestens 1 sein.")
    # One hash for every demo account: the password is the same anyway, and
    # hashing it per account makes large --scale runs slow.
    ctx = SeedContext(seed=seed, scale=scale, password_hash=make_password(settings.DEMO_PASSWORD))
    with transaction.atomic():
        for step in steps if steps is not None else STEPS:
            step(ctx)
    return ctx
