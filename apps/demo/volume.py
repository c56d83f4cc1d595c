"""Years of invented use on top of the demo, for measuring pages at a city's scale.

``manage.py generate_volume --size full`` writes what Weimar would hold after
about fifteen years under the § 9b retention: 100,000 children with a case
each, 110,000 requests, a million notes with their versions, tasks, contacts,
help plans, decisions, notifications, a million access-log entries, and the
change history that the database triggers record for all of it. One case (of
team West) carries exactly :data:`TIMELINE_CASE_ENTRIES` timeline entries.

Speed comes from writing in bulk, never one service call per row: persons,
requests and cases are drawn in Python and sent with ``COPY``; everything that
hangs off them is one ``INSERT … SELECT`` per table over ``generate_series``,
with its random choices taken from ``hashint8extended(row, seed)``, so the
same seed gives the same rows. The access log is written by one INSERT that
goes through its own trigger, which numbers and chains every row in order:
``verify_access_log`` passes afterwards. Dates are relative to the day of the
run (the same seed on the same day gives the same data).
"""

import datetime
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import FAMILIENAMT_ROLES, Role, RoleAssignment, User
from apps.cases.duplicates import name_key
from apps.cases.models import Gender, HelpKind, Provider
from apps.demo import texts
from apps.demo.seed import SeedError
from apps.organisation.models import Schule, Team
from apps.referrals.models import Referral, RequestSource
from apps.referrals.workflow import Party, Status

TIMELINE_CASE_ENTRIES = 200
# The timeline case's 200 entries: notes, contacts and status changes.
TIMELINE_CASE_NOTES, TIMELINE_CASE_CONTACTS, TIMELINE_CASE_EVENTS = 160, 30, 10
YEARS = 15
OPEN_REQUEST_DAYS = 90


@dataclass(frozen=True)
class Size:
    cases: int  # = persons; each case has its request
    extra_requests: int  # requests that did not become a case (open or rejected)
    open_requests: int  # of those, still waiting in the triage queue
    notes: int
    access_log: int

    @property
    def requests(self) -> int:
        return self.cases + self.extra_requests


SIZES = {
    "small": Size(
        cases=1_000, extra_requests=200, open_requests=30, notes=10_000, access_log=10_000
    ),
    "full": Size(
        cases=100_000,
        extra_requests=10_000,
        open_requests=300,
        notes=1_000_000,
        access_log=1_000_000,
    ),
}

CASE_STEPS = [Status.WITH_TEAM, Status.APPLICATION, Status.ASSESSMENT, Status.HELP_PLAN]
LATER_STEPS = [Status.DECISION, Status.RUNNING, Status.REVIEW]
WHOSE_MOVE = {
    Status.WITH_TEAM: Party.TEAM,
    Status.APPLICATION: Party.PARENTS,
    Status.ASSESSMENT: Party.TEAM,
    Status.HELP_PLAN: Party.TEAM,
    Status.DECISION: Party.FAMILIENAMT,
    Status.RUNNING: Party.TEAM,
    Status.REVIEW: Party.TEAM,
    Status.CLOSED: Party.NOBODY,
}
HELP_KINDS = [
    (HelpKind.SCHULBEGLEITUNG_35A, 40),
    (HelpKind.SCHULBEGLEITUNG_112, 15),
    (HelpKind.ERZIEHUNGSHILFE, 38),
    (HelpKind.KINDERSCHUTZ, 7),
]
REFERRAL_KIND = {
    HelpKind.SCHULBEGLEITUNG_35A: Referral.Kind.SCHULBEGLEITUNG,
    HelpKind.SCHULBEGLEITUNG_112: Referral.Kind.SCHULBEGLEITUNG,
    HelpKind.ERZIEHUNGSHILFE: Referral.Kind.OTHER_HELP,
    HelpKind.KINDERSCHUTZ: Referral.Kind.KINDERSCHUTZ,
}
# More surnames than the demo's list, so a search at 100,000 children is realistic.
SURNAME_STEMS = [
    "Ber", "Hal", "Kor", "Lin", "Mar", "Ros", "Sto", "Wen", "Zie", "Bra", "Dre", "Gro", "Hei",
    "Kla", "Lau", "Mei", "Pet", "Rei", "Schw", "Tra", "Vol", "Wal", "Eng", "Fal", "Gut",
]  # fmt: skip
SURNAME_ENDINGS = [
    "mann", "ner", "ler", "ke", "berg", "rich", "hardt", "ert", "ling", "städt", "feld",
    "hold", "icke", "ow", "itz", "bach", "hof", "dorf", "wald", "brück",
]  # fmt: skip


class VolumeError(SeedError):
    """The volume cannot be generated here (no demo, or it is there already)."""


@dataclass
class Demo:
    """What the demo left that the volume builds on."""

    teams: dict[int, int]  # team id → sozialraum id
    members: dict[int, list[int]]  # team id → user ids
    familienamt: list[int]
    schools: dict[int, list[tuple[int, int | None]]]  # sozialraum id → (school id, leader id)
    providers: list[int]
    timeline_team: int
    timeline_worker: int


@dataclass
class Report:
    size: str
    seed: int
    timings: list[tuple[str, float]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    timeline_case_id: int = 0

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.timings)


def _demo() -> Demo:
    teams = {team.pk: team.sozialraum_id for team in Team.objects.order_by("pk")}
    if not teams or not User.objects.filter(username="team-west", is_demo=True).exists():
        raise VolumeError("Bitte zuerst die Demodaten anlegen (manage.py seed_demo).")
    members: dict[int, list[int]] = {pk: [] for pk in teams}
    for assignment in RoleAssignment.objects.filter(role=Role.TEAM).order_by("user_id"):
        if assignment.team_id in members:
            members[assignment.team_id].append(assignment.user_id)
    leaders = {
        a.school_id: a.user_id
        for a in RoleAssignment.objects.filter(role=Role.SCHULLEITUNG).order_by("user_id")
    }
    schools: dict[int, list[tuple[int, int | None]]] = {
        sozialraum: [] for sozialraum in teams.values()
    }
    for school in Schule.objects.select_related("stadtteil").order_by("pk"):
        sozialraum = school.stadtteil.sozialraum_id if school.stadtteil else None
        if sozialraum in schools:
            schools[sozialraum].append((school.pk, leaders.get(school.pk)))
    familienamt = sorted(
        RoleAssignment.objects.filter(role__in=FAMILIENAMT_ROLES).values_list("user_id", flat=True)
    )
    team_west = User.objects.get(username="team-west")
    west = RoleAssignment.objects.filter(user=team_west, role=Role.TEAM).values_list(
        "team_id", flat=True
    )[0]
    if not all(members.values()) or not familienamt or not all(schools.values()):
        raise VolumeError("Die Demodaten sind unvollständig; bitte seed_demo erneut ausführen.")
    return Demo(
        teams=teams,
        members=members,
        familienamt=familienamt,
        schools=schools,
        providers=list(Provider.objects.order_by("pk").values_list("pk", flat=True)),
        timeline_team=west,
        timeline_worker=team_west.pk,
    )


def _reserve(cursor: Any, table: str, count: int) -> int:
    """Reserve ``count`` ids of ``table``; rows get ``base + 1 … base + count``."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    cursor.execute("SELECT nextval(%s)", [sequence])
    base = int(cursor.fetchone()[0]) - 1
    cursor.execute("SELECT setval(%s, %s)", [sequence, base + count])
    return base


def _copy(cursor: Any, table: str, columns: list[str], rows: Iterator[tuple[object, ...]]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _weighted(rng: random.Random, choices: list[tuple[Any, int]]) -> Any:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


@dataclass
class Drawn:
    """Persons, requests and cases drawn in Python (row values in COPY order)."""

    persons: list[tuple[object, ...]] = field(default_factory=list)
    referrals: list[tuple[object, ...]] = field(default_factory=list)
    cases: list[tuple[object, ...]] = field(default_factory=list)


def _surname(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(texts.CHILD_LAST_NAMES)
    if roll < 0.65:
        return f"{rng.choice(texts.CHILD_LAST_NAMES)}-{rng.choice(texts.CHILD_LAST_NAMES)}"
    return rng.choice(SURNAME_STEMS) + rng.choice(SURNAME_ENDINGS)


def _draw(  # noqa: PLR0915 - one pass keeps the three tables consistent
    demo: Demo, size: Size, seed: int, anchor: datetime.datetime, bases: dict[str, int]
) -> Drawn:
    rng = random.Random(f"{seed}:volume")
    drawn = Drawn()
    team_ids = sorted(demo.teams)
    for i in range(size.cases):
        person_id, referral_id, case_id = (bases[t] + i + 1 for t in ("person", "referral", "case"))
        first = rng.choice(texts.GIRLS if rng.random() < 0.5 else texts.BOYS)
        last = _surname(rng)
        age_days = rng.randrange(YEARS * 365)
        opened = anchor - datetime.timedelta(days=age_days, seconds=rng.randrange(86_400))
        born = opened.date() - datetime.timedelta(days=rng.randrange(6 * 365, 16 * 365))
        team = rng.choice(team_ids)
        help_kind: str | None = _weighted(rng, HELP_KINDS)
        if age_days < 60:
            status = rng.choice(CASE_STEPS)
        elif age_days < 365:
            status = Status.CLOSED if rng.random() < 0.3 else rng.choice(CASE_STEPS + LATER_STEPS)
        elif age_days < 3 * 365:
            status = Status.CLOSED if rng.random() < 0.7 else rng.choice(LATER_STEPS)
        else:
            status = Status.CLOSED if rng.random() < 0.97 else rng.choice(LATER_STEPS[1:])
        worker: int | None = rng.choice(demo.members[team])
        if i == size.cases - 1:  # the case with the long timeline
            team, status, worker = demo.timeline_team, Status.RUNNING, demo.timeline_worker
            opened = anchor - datetime.timedelta(days=400)
        elif status == Status.WITH_TEAM and rng.random() < 0.3:
            worker = None
        if status == Status.WITH_TEAM and rng.random() < 0.5:
            help_kind = None  # the kind of help is still open
        sozialraum = demo.teams[team]
        closed = (
            opened + datetime.timedelta(days=rng.randrange(30, max(31, min(age_days, 3 * 365))))
            if status == Status.CLOSED
            else None
        )
        since = closed or opened + datetime.timedelta(days=rng.randrange(0, max(1, age_days)))
        since = min(since, anchor)
        from_school = rng.random() < 0.7
        school, leader = rng.choice(demo.schools[sozialraum])
        school_id = school if from_school else None
        created_by = (leader if from_school else None) or rng.choice(demo.familienamt)
        received = opened - datetime.timedelta(days=rng.randrange(1, 21))
        street = f"{rng.choice(SURNAME_STEMS)}{rng.choice(['weg', 'straße', 'gasse'])}"
        house = str(rng.randrange(1, 120))
        drawn.persons.append(
            (
                person_id,
                first,
                last,
                born,
                name_key(first, last),
                street,
                house,
                opened,
                # From the id, not the random stream, so the other draws stay as they were.
                (Gender.FEMALE, Gender.MALE)[person_id % 2],
            )
        )
        drawn.referrals.append(
            (
                referral_id,
                f"A-{received.year}-{referral_id:05d}",
                REFERRAL_KIND.get(help_kind or "", Referral.Kind.OTHER_HELP),
                RequestSource.SCHOOL if from_school else RequestSource.FAMILY,
                Referral.Channel.SCHOOL_FORM if from_school else Referral.Channel.OFFICE,
                school_id,
                created_by,
                uuid.uuid5(uuid.NAMESPACE_OID, f"volume:{seed}:{referral_id}"),
                False,
                first,
                last,
                "",
                born,
                None,
                street,
                house,
                rng.choice(texts.OBSERVATIONS).format(first=first) if from_school else "",
                rng.choice(texts.NEEDS).format(first=first),
                help_kind == HelpKind.KINDERSCHUTZ,
                Status.ACCEPTED,
                Party.NOBODY,
                opened,
                sozialraum,
                team,
                rng.choice(demo.familienamt),
                received,
                opened,
            )
        )
        drawn.cases.append(
            (
                case_id,
                f"F-{opened.year}-{case_id:05d}",
                person_id,
                referral_id,
                school_id,
                sozialraum,
                team,
                worker,
                help_kind,
                status,
                WHOSE_MOVE[status],
                since,
                opened,
                closed,
                texts.HELP_PLAN["family_goals"].format(first=first),
                "",
            )
        )
    for j in range(size.extra_requests):
        referral_id = bases["referral"] + size.cases + j + 1
        open_request = j >= size.extra_requests - size.open_requests
        age_days = rng.randrange(OPEN_REQUEST_DAYS if open_request else YEARS * 365)
        received = anchor - datetime.timedelta(days=age_days, seconds=rng.randrange(86_400))
        status = (
            rng.choice([Status.RECEIVED, Status.RECEIVED, Status.IN_TRIAGE, Status.QUESTION])
            if open_request
            else Status.REJECTED
        )
        team = rng.choice(team_ids)
        sozialraum = demo.teams[team]
        school, leader = rng.choice(demo.schools[sozialraum])
        pseudonymised = rng.random() < 0.05
        first = rng.choice(texts.GIRLS if rng.random() < 0.5 else texts.BOYS)
        last = _surname(rng)
        kind = _weighted(
            rng,
            [(Referral.Kind.SCHULBEGLEITUNG, 70), (Referral.Kind.OTHER_HELP, 25)]
            + [(Referral.Kind.KINDERSCHUTZ, 5)],
        )
        whose = {
            Status.RECEIVED: Party.FAMILIENAMT,
            Status.IN_TRIAGE: Party.FAMILIENAMT,
            Status.QUESTION: Party.SCHOOL,
        }.get(status, Party.NOBODY)
        drawn.referrals.append(
            (
                referral_id,
                f"A-{received.year}-{referral_id:05d}",
                kind,
                RequestSource.SCHOOL,
                Referral.Channel.SCHOOL_FORM,
                school,
                leader or rng.choice(demo.familienamt),
                uuid.uuid5(uuid.NAMESPACE_OID, f"volume:{seed}:{referral_id}"),
                pseudonymised,
                "" if pseudonymised else first,
                "" if pseudonymised else last,
                f"{first[0]}. {last[0]}." if pseudonymised else "",
                None
                if pseudonymised
                else received.date() - datetime.timedelta(days=rng.randrange(6 * 365, 16 * 365)),
                received.year - rng.randrange(6, 16) if pseudonymised else None,
                "",
                "",
                rng.choice(texts.OBSERVATIONS).format(first=first),
                rng.choice(texts.NEEDS).format(first=first),
                kind == Referral.Kind.KINDERSCHUTZ or rng.random() < 0.05,
                status,
                whose,
                received,
                sozialraum if status != Status.RECEIVED else None,
                team if status != Status.RECEIVED else None,
                rng.choice(demo.familienamt) if status != Status.RECEIVED else None,
                received,
                received,
            )
        )
    return drawn


PERSON_COLUMNS = [
    "id", "first_name", "last_name", "date_of_birth", "name_key", "street", "house_number",
    "created_at", "gender",
]  # fmt: skip
REFERRAL_COLUMNS = [
    "id", "reference", "kind", "source", "channel", "school_id", "created_by_id", "submission_key",
    "pseudonymised", "first_name", "last_name", "initials", "date_of_birth", "birth_year",
    "street", "house_number", "observations", "needs", "urgent", "status", "whose_move",
    "whose_move_since", "sozialraum_id", "team_id", "assignee_id", "received_at", "updated_at",
]  # fmt: skip
REFERRAL_BLANKS = {
    "school_class": "", "measures_tried": "", "contact_name": "", "contact_phone": "",
    "contact_email": "", "routing_note": "", "override_reason": "", "rejection_reason": "",
    "version": 1,
}  # fmt: skip
CASE_COLUMNS = [
    "id", "reference", "person_id", "referral_id", "school_id", "sozialraum_id", "team_id",
    "worker_id", "help_kind", "status", "whose_move", "whose_move_since", "opened_at",
    "closed_at", "family_goals", "assessment",
]  # fmt: skip


def _lit(value: str) -> str:
    """A SQL string literal of our own constant texts (the statements take no parameters,
    so that ``%`` stays the modulo operator)."""
    return "'" + value.replace("'", "''") + "'"


def _sql_text_array(values: list[str]) -> str:
    quoted = ", ".join(_lit(value) for value in values)
    return f"(ARRAY[{quoted}]::text[])"


def _filled(templates: list[str]) -> list[str]:
    """The demo's wordings with a child's name filled in (a few names, for variety)."""
    names = texts.GIRLS[:6] + texts.BOYS[:6]
    return [template.format(first=name) for template in templates for name in names]


class Generator:
    """One run: the steps in order, in one transaction, each timed."""

    def __init__(self, size: str, seed: int, *, log: Callable[[str], None] = lambda _: None):
        if size not in SIZES:
            raise VolumeError(f"Unbekannte Größe „{size}“; erlaubt: {', '.join(SIZES)}.")
        self.size_name, self.size, self.seed, self.log = size, SIZES[size], seed, log
        today = timezone.localdate()
        self.anchor = datetime.datetime.combine(today, datetime.time(0), tzinfo=datetime.UTC)
        self.anchor_sql = f"'{self.anchor.isoformat()}'::timestamptz"
        self.report = Report(size=size, seed=seed)

    def h(self, expr: str, salt: int) -> str:
        """A deterministic pseudo-random non-negative bigint per row and purpose."""
        return f"abs(hashint8extended(({expr})::bigint * 1009 + {salt}, {self.seed}))"

    def unit(self, expr: str, salt: int) -> str:
        """A deterministic number in [0, 1) per row."""
        return f"(({self.h(expr, salt)} % 1000000) / 1000000.0)"

    def _timed(self, name: str, step: Callable[[Any], None], cursor: Any) -> None:
        started = time.perf_counter()
        step(cursor)
        elapsed = time.perf_counter() - started
        self.report.timings.append((name, elapsed))
        self.log(f"  {name}: {elapsed:.1f} s")

    def run(self) -> Report:
        demo = _demo()
        self.demo = demo
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(4711)")
            self.bases = {
                "person": _reserve(cursor, "cases_person", self.size.cases),
                "referral": _reserve(cursor, "referrals_referral", self.size.requests),
                "case": _reserve(cursor, "cases_case", self.size.cases),
            }
            self._temp_tables(cursor)
            self.history_from = self._history_tables(cursor)
            if self.history_from:
                # Row triggers (change history, foreign-key checks) would cost about a
                # millisecond per row; the history is written set-wise below instead.
                cursor.execute("SET LOCAL session_replication_role = replica")
            self._timed("Personen, Anfragen, Fälle (COPY)", self._copy_core, cursor)
            for name, step in [
                ("Verlauf der Anfragen", self._referral_events),
                ("Verlauf der Fälle", self._case_events),
                ("Notizen", self._notes),
                ("Fassungen der Notizen", self._note_versions),
                ("Wiedervorlagen", self._tasks),
                ("Kontakte", self._contacts),
                ("Hilfepläne", self._help_plans),
                ("Bescheide", self._decisions),
                ("Benachrichtigungen", self._notifications),
                ("Änderungshistorie", self._history),
                ("Zugriffsprotokoll (über die Hash-Kette)", self._access_log),
            ]:
                self._timed(name, step, cursor)
            cursor.execute("DROP TABLE vol_team, vol_case")
        # Fresh statistics and visibility maps, as a database that grew over years has.
        # (Inside a test's transaction VACUUM is not allowed; ANALYZE is.)
        maintenance = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            self._timed(maintenance, lambda c: c.execute(maintenance), cursor)
        self.report.timeline_case_id = self.bases["case"] + self.size.cases
        self.report.counts = counts()
        return self.report

    # -- steps -------------------------------------------------------------------

    def _history_tables(self, cursor: Any) -> dict[Any, int]:
        """Snapshot model → the tracked table's highest id before this run.

        Empty when the database user may not switch triggers off (not a
        superuser): then the triggers write the history row by row.
        """
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return {}
        found = {}
        for model in apps.get_app_config("history").get_models():
            tracked = getattr(model, "pgh_tracked_model", None)
            if tracked is None:
                continue
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {tracked._meta.db_table}")
            found[model] = int(cursor.fetchone()[0])
        return found

    def _history(self, cursor: Any) -> None:
        """One 'insert' snapshot per new row, as the triggers would have written."""
        for model, before in self.history_from.items():
            table = model.pgh_tracked_model._meta.db_table
            columns = [
                f.column
                for f in model._meta.concrete_fields
                if not f.name.startswith("pgh_") and f.column != "pgh_obj_id"
            ]
            names = ", ".join(f'"{column}"' for column in columns)
            cursor.execute(
                f"INSERT INTO {model._meta.db_table} ({names}, pgh_created_at, pgh_label, "
                f"pgh_obj_id) SELECT {names}, now(), 'insert', id FROM {table} WHERE id > {before}"
            )
        if self.history_from:
            cursor.execute("SET LOCAL session_replication_role = origin")

    def _temp_tables(self, cursor: Any) -> None:
        cursor.execute(
            "CREATE TEMP TABLE vol_team (team_id bigint PRIMARY KEY, members bigint[]) "
            "ON COMMIT DROP"
        )
        for team, members in self.demo.members.items():
            cursor.execute("INSERT INTO vol_team VALUES (%s, %s)", [team, members])
        # Cases by their number 1…N, so generated rows can pick one arithmetically.
        cursor.execute("CREATE TEMP TABLE vol_case (n int PRIMARY KEY, id bigint) ON COMMIT DROP")

    def _copy_core(self, cursor: Any) -> None:
        drawn = _draw(self.demo, self.size, self.seed, self.anchor, self.bases)
        _copy(cursor, "cases_person", PERSON_COLUMNS, iter(drawn.persons))
        blanks = list(REFERRAL_BLANKS)
        _copy(
            cursor,
            "referrals_referral",
            REFERRAL_COLUMNS + blanks,
            (row + tuple(REFERRAL_BLANKS.values()) for row in drawn.referrals),
        )
        _copy(
            cursor,
            "cases_case",
            [*CASE_COLUMNS, "version", "child_protection_result"],
            (row + (1, "") for row in drawn.cases),
        )
        cursor.execute(
            "INSERT INTO vol_case SELECT id - %s, id FROM cases_case WHERE id > %s",
            [self.bases["case"], self.bases["case"]],
        )
        cursor.execute("ANALYZE vol_case")

    def _referral_events(self, cursor: Any) -> None:
        base = self.bases["referral"]
        cursor.execute(
            f"""
            INSERT INTO referrals_referralevent (referral_id, actor_id, at, from_status,
                                                 to_status, summary)
            SELECT r.id, NULL, r.received_at, '', 'received', 'Anfrage eingegangen'
              FROM referrals_referral r WHERE r.id > {base}
            UNION ALL
            SELECT r.id, r.assignee_id, r.whose_move_since, 'in_triage', r.status,
                   CASE r.status WHEN 'accepted' THEN 'Fall eröffnet' ELSE 'Anfrage abgelehnt' END
              FROM referrals_referral r
             WHERE r.id > {base} AND r.status IN ('accepted', 'rejected')
            """
        )

    def _case_events(self, cursor: Any) -> None:
        base, last = self.bases["case"], self.bases["case"] + self.size.cases
        fa = "(ARRAY[" + ",".join(map(str, self.demo.familienamt)) + "]::bigint[])"
        cursor.execute(
            f"""
            INSERT INTO cases_caseevent (case_id, actor_id, at, from_status, to_status, summary)
            SELECT c.id, {fa}[1 + {self.h("c.id", 11)} % {len(self.demo.familienamt)}],
                   c.opened_at, 'accepted', 'with_team', 'Fall eröffnet'
              FROM cases_case c WHERE c.id > {base}
            UNION ALL
            SELECT c.id, c.worker_id, c.opened_at + (c.whose_move_since - c.opened_at) / 2,
                   'with_team', 'application', 'Antrag der Eltern angefordert'
              FROM cases_case c WHERE c.id > {base} AND c.status <> 'with_team' AND c.id < {last}
            UNION ALL
            SELECT c.id, c.worker_id, c.whose_move_since, 'application', c.status,
                   'Status geändert'
              FROM cases_case c
             WHERE c.id > {base} AND c.status NOT IN ('with_team', 'application') AND c.id < {last}
            UNION ALL
            SELECT {last}, {self.demo.timeline_worker},
                   c.opened_at + g * interval '30 days', 'running', 'review',
                   'Fortschreibung ' || g
              FROM cases_case c, generate_series(1, {TIMELINE_CASE_EVENTS - 1}) g
             WHERE c.id = {last}
            """
        )

    def _notes(self, cursor: Any) -> None:
        base = _reserve(cursor, "casework_casenote", self.size.notes)
        self.note_base = base
        n_cases, timeline = self.size.cases, TIMELINE_CASE_NOTES
        others = self.size.notes - timeline
        # The timeline case gets exactly its share; every other note lands on another case.
        cursor.execute(
            f"""
            INSERT INTO casework_casenote (id, created_at, confided, author_id, case_id)
            SELECT {base} + g,
                   c.opened_at + (coalesce(c.closed_at, {self.anchor_sql}) - c.opened_at)
                       * {self.unit("g", 21)},
                   {self.h("g", 22)} % 20 = 0,
                   t.members[1 + {self.h("g", 23)} % array_length(t.members, 1)],
                   c.id
              FROM generate_series(1, {others}) g
              JOIN vol_case v ON v.n = 1 + {self.h("g", 24)} % {n_cases - 1}
              JOIN cases_case c ON c.id = v.id
              JOIN vol_team t ON t.team_id = c.team_id
            UNION ALL
            SELECT {base} + {others} + g,
                   c.opened_at + g * interval '2 days',
                   false,
                   t.members[1 + {self.h("g", 25)} % array_length(t.members, 1)],
                   c.id
              FROM generate_series(1, {timeline}) g
              JOIN vol_case v ON v.n = {n_cases}
              JOIN cases_case c ON c.id = v.id
              JOIN vol_team t ON t.team_id = c.team_id
            """
        )

    def _note_versions(self, cursor: Any) -> None:
        notes = _filled(texts.NOTES)
        confided = _filled(texts.CONFIDED_NOTES)
        reason, addition = texts.CORRECTIONS[0]
        cursor.execute(
            f"""
            INSERT INTO casework_noteversion (note_id, number, text, reason, created_at,
                                              created_by_id)
            SELECT n.id, 1,
                   CASE WHEN n.confided
                        THEN {_sql_text_array(confided)}[1 + {self.h("n.id", 31)} % {len(confided)}]
                        ELSE {_sql_text_array(notes)}[1 + {self.h("n.id", 31)} % {len(notes)}]
                   END,
                   '', n.created_at, n.author_id
              FROM casework_casenote n WHERE n.id > {self.note_base}
            """
        )
        cursor.execute(
            f"""
            INSERT INTO casework_noteversion (note_id, number, text, reason, created_at,
                                              created_by_id)
            SELECT v.note_id, 2, v.text || {_lit(addition)}, {_lit(reason)},
                   v.created_at + interval '1 day', v.created_by_id
              FROM casework_noteversion v
             WHERE v.note_id > {self.note_base} AND v.number = 1
               AND {self.h("v.note_id", 32)} % 20 = 1
            """
        )

    def _tasks(self, cursor: Any) -> None:
        n_cases = self.size.cases
        titles = texts.TASKS
        cursor.execute(
            f"""
            INSERT INTO casework_task (case_id, title, due_date, origin, created_at, done_at,
                                       reminded_on, version, assignee_id, created_by_id,
                                       done_by_id)
            SELECT c.id, {_sql_text_array(titles)}[1 + {self.h("g", 41)} % {len(titles)}],
                   (x.created + interval '14 days')::date, '', x.created,
                   CASE WHEN c.status = 'closed' OR {self.h("g", 42)} % 4 <> 0
                        THEN x.created + interval '1 day' * (1 + {self.h("g", 43)} % 20) END,
                   NULL, 1, x.who, x.who,
                   CASE WHEN c.status = 'closed' OR {self.h("g", 42)} % 4 <> 0 THEN x.who END
              FROM generate_series(1, {2 * (n_cases - 1)}) g
              JOIN vol_case v ON v.n = 1 + {self.h("g", 44)} % {n_cases - 1}
              JOIN cases_case c ON c.id = v.id
              JOIN vol_team t ON t.team_id = c.team_id
              CROSS JOIN LATERAL (
                  SELECT c.opened_at + (coalesce(c.closed_at, {self.anchor_sql}) - c.opened_at)
                             * {self.unit("g", 45)} AS created,
                         coalesce(c.worker_id,
                                  t.members[1 + {self.h("g", 46)} % array_length(t.members, 1)])
                             AS who
              ) x
            """
        )

    def _contacts(self, cursor: Any) -> None:
        n_cases = self.size.cases
        kinds = [kind for kind, _, _ in texts.CONTACTS]
        whom = [who.format(first="Kind") for _, who, _ in texts.CONTACTS]
        results = [result.format(first="das Kind") for _, _, result in texts.CONTACTS]
        pick = f"1 + {self.h('g', 51)} % {len(kinds)}"
        cursor.execute(
            f"""
            INSERT INTO casework_contact (case_id, happened_at, kind, with_whom, result,
                                          created_at, created_by_id)
            SELECT c.id, x.at, {_sql_text_array(kinds)}[{pick}], {_sql_text_array(whom)}[{pick}],
                   {_sql_text_array(results)}[{pick}], x.at,
                   t.members[1 + {self.h("g", 52)} % array_length(t.members, 1)]
              FROM generate_series(1, {n_cases - 1}) g
              JOIN vol_case v ON v.n = 1 + {self.h("g", 53)} % {n_cases - 1}
              JOIN cases_case c ON c.id = v.id
              JOIN vol_team t ON t.team_id = c.team_id
              CROSS JOIN LATERAL (
                  SELECT c.opened_at + (coalesce(c.closed_at, {self.anchor_sql}) - c.opened_at)
                             * {self.unit("g", 54)} AS at
              ) x
            UNION ALL
            SELECT c.id, c.opened_at + g * interval '3 days' + interval '1 hour', 'phone',
                   'Mutter', 'Kurzes Telefonat zum Stand.', c.opened_at + g * interval '3 days',
                   c.worker_id
              FROM generate_series(1, {TIMELINE_CASE_CONTACTS}) g
              JOIN vol_case v ON v.n = {n_cases}
              JOIN cases_case c ON c.id = v.id
            """
        )

    def _help_plans(self, cursor: Any) -> None:
        base, last = self.bases["case"], self.bases["case"] + self.size.cases
        planned = (
            f"c.id > {base} AND c.id < {last} AND (c.status IN ('help_plan', 'decision', "
            f"'running', 'review') OR (c.status = 'closed' AND {self.h('c.id', 61)} % 2 = 0))"
        )
        cursor.execute(
            f"""
            INSERT INTO casework_helpplan (case_id, created_at)
            SELECT c.id, c.opened_at + interval '40 days' FROM cases_case c WHERE {planned}
            """
        )
        plan = texts.HELP_PLAN
        steps = (
            '[{"step": "Einsatzplan der Schulbegleitung abstimmen", '
            '"responsible": "Leistungserbringer", "due": ""}]'
        )
        cursor.execute(
            f"""
            INSERT INTO casework_helpplanversion (plan_id, number, created_at, meeting_date,
                need, help_kind, family_goals, assessment, goals, steps, participants,
                next_review, created_by_id)
            SELECT p.id, g, p.created_at + (g - 1) * interval '180 days',
                   (p.created_at + (g - 1) * interval '180 days')::date,
                   {_lit(plan["need"].format(first="das Kind"))}, 'Schulbegleitung', c.family_goals,
                   {_lit(plan["assessment"].format(first="das Kind"))},
                   CASE g WHEN 1 THEN {_lit(plan["goals"].format(first="Das Kind"))}
                          ELSE {_lit(plan["review_goals"].format(first="Das Kind"))} END,
                   {_lit(steps)}::jsonb,
                   'Eltern, Kind, Klassenlehrerin, Sozialraumteam, Familienamt',
                   (p.created_at + (g + 5) * interval '30 days')::date,
                   coalesce(c.worker_id, t.members[1])
              FROM casework_helpplan p
              JOIN cases_case c ON c.id = p.case_id
              JOIN vol_team t ON t.team_id = c.team_id
              CROSS JOIN LATERAL generate_series(1, 1 + {self.h("p.case_id", 62)} % 2) g
             WHERE p.case_id > {base}
            """,
        )

    def _decisions(self, cursor: Any) -> None:
        base = self.bases["case"]
        if not self.demo.providers:
            return
        decision_base = _reserve(cursor, "cases_decision", self.size.cases)
        providers = "(ARRAY[" + ",".join(map(str, self.demo.providers)) + "]::bigint[])"
        fa = "(ARRAY[" + ",".join(map(str, self.demo.familienamt)) + "]::bigint[])"
        granted = f"{self.h('p.case_id', 71)} % 10 <> 0"
        cursor.execute(
            f"""
            INSERT INTO cases_decision (id, case_id, reference, outcome, decided_by_id,
                decided_at, reason, hours_per_week, period, valid_from, valid_until, provider_id,
                help_kind_id, help_form, extent, backdating_reason)
            SELECT {decision_base} + row_number() OVER (ORDER BY p.case_id), p.case_id,
                   'B-' || extract(year FROM p.created_at)::int || '-'
                       || lpad(({decision_base} + row_number() OVER (ORDER BY p.case_id))::text,
                               5, '0'),
                   CASE WHEN {granted} THEN 'granted' ELSE 'refused' END,
                   {fa}[1 + {self.h("p.case_id", 72)} % {len(self.demo.familienamt)}],
                   p.created_at + interval '20 days',
                   CASE WHEN {granted} THEN {_lit(texts.GRANT_REASONS[0])}
                        ELSE {_lit(texts.REFUSAL_REASON)} END,
                   CASE WHEN {granted} THEN 5 + {self.h("p.case_id", 73)} % 20 END,
                   CASE WHEN {granted} THEN 'school_year' ELSE '' END,
                   CASE WHEN {granted} THEN (p.created_at + interval '30 days')::date END,
                   CASE WHEN {granted} THEN (p.created_at + interval '395 days')::date END,
                   CASE WHEN {granted}
                        THEN {providers}[1 + {self.h("p.case_id", 74)} % {len(self.demo.providers)}]
                   END,
                   'sb_35a', '', '', ''
              FROM casework_helpplan p
              JOIN cases_case c ON c.id = p.case_id
             WHERE p.case_id > {base} AND c.status IN ('running', 'review', 'closed')
            """,
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('cases_decision', 'id'), "
            "(SELECT max(id) FROM cases_decision))"
        )

    def _notifications(self, cursor: Any) -> None:
        n_cases = self.size.cases
        cursor.execute(
            f"""
            INSERT INTO notifications_notification (recipient_id, text, url, urgent, created_at,
                                                    read_at)
            SELECT t.members[1 + {self.h("g", 81)} % array_length(t.members, 1)],
                   'Neue Aufgabe zu Fall ' || c.reference, '/faelle/' || c.id || '/',
                   {self.h("g", 82)} % 50 = 0, x.at,
                   CASE WHEN {self.h("g", 83)} % 20 <> 0 THEN x.at + interval '2 hours' END
              FROM generate_series(1, {n_cases}) g
              JOIN vol_case v ON v.n = 1 + {self.h("g", 84)} % {n_cases}
              JOIN cases_case c ON c.id = v.id
              JOIN vol_team t ON t.team_id = c.team_id
              CROSS JOIN LATERAL (
                  SELECT c.opened_at + (coalesce(c.closed_at, {self.anchor_sql}) - c.opened_at)
                             * {self.unit("g", 85)} AS at
              ) x
            """
        )

    def _access_log(self, cursor: Any) -> None:
        """Reads of case files; one INSERT through the chain trigger, oldest first.

        The trigger numbers each row and hashes it onto the one before (it sees
        the rows this same statement inserted before), so the chain verifies.
        """
        n_cases, fa = self.size.cases, self.demo.familienamt
        fa_array = "(ARRAY[" + ",".join(map(str, fa)) + "]::bigint[])"
        cursor.execute(
            f"""
            INSERT INTO audit_accesslogentry (at, user_id, username_attempted, action,
                object_type, object_id, object_reference, case_id, path_name, ip, purpose)
            SELECT x.at,
                   CASE WHEN {self.h("g", 91)} % 5 = 0
                        THEN {fa_array}[1 + {self.h("g", 92)} % {len(fa)}]
                        ELSE t.members[1 + {self.h("g", 93)} % array_length(t.members, 1)] END,
                   '', 'read', 'case', c.id::text, c.reference, c.id, 'cases:detail',
                   ('10.20.' || {self.h("g", 94)} % 200 || '.'
                    || 1 + {self.h("g", 95)} % 250)::inet,
                   ''
              FROM generate_series(1, {self.size.access_log}) g
              JOIN vol_case v ON v.n = 1 + {self.h("g", 96)} % {n_cases}
              JOIN cases_case c ON c.id = v.id
              JOIN vol_team t ON t.team_id = c.team_id
              CROSS JOIN LATERAL (
                  SELECT c.opened_at + (coalesce(c.closed_at, {self.anchor_sql}) - c.opened_at)
                             * {self.unit("g", 97)} AS at
              ) x
             ORDER BY x.at, g
            """
        )


COUNTED = {
    "persons": "cases_person",
    "requests": "referrals_referral",
    "cases": "cases_case",
    "notes": "casework_casenote",
    "note_versions": "casework_noteversion",
    "tasks": "casework_task",
    "contacts": "casework_contact",
    "help_plans": "casework_helpplan",
    "help_plan_versions": "casework_helpplanversion",
    "decisions": "cases_decision",
    "case_events": "cases_caseevent",
    "request_events": "referrals_referralevent",
    "notifications": "notifications_notification",
    "access_log": "audit_accesslogentry",
    "history_cases": "history_casesnapshot",
    "history_notes": "history_noteversionsnapshot",
}


def counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        found = {}
        for name, table in COUNTED.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            found[name] = int(cursor.fetchone()[0])
    return found


def timeline_case_id() -> int | None:
    """The case with the long timeline (the one with the most notes)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT case_id FROM casework_casenote GROUP BY case_id "
            "HAVING count(*) >= %s ORDER BY count(*) DESC, case_id LIMIT 1",
            [TIMELINE_CASE_NOTES],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None
