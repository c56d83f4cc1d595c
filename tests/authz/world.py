"""The world the authorisation matrix probes: one of everything, in West and in Nord.

Built through the services where they exist, so every record is in the state
the application itself would leave it in. West is the side of the personas
``school_leader`` (Testschule West) and ``west_member``; Nord is the mirror
image for ``nord_member``. ``build_world()`` returns names -> objects; the
matrix refers to these names only.

The personas are the ones of ``tests/conftest.py`` (same user names and
roles); they are made here again because the world is built once per module.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.accounts.models import ApprovalRequest, Role, RoleAssignment, User, UserSession
from apps.audit.models import LegalHold
from apps.cases.models import Case, Decision, Provider
from apps.cases.services import (
    case_decide,
    case_open_from_referral,
    case_recommend,
    case_transition,
)
from apps.casework import services as casework
from apps.casework.models import CaseHandover, CaseNote, Task
from apps.conferences import services as conferences
from apps.consents.models import CaseConsent
from apps.documents.services import document_add
from apps.neighbourhood.models import Activity, Resource
from apps.neighbourhood.services import resource_link_case
from apps.notifications.services import notify
from apps.organisation.models import Schule, Stadtteil, Team, Traeger
from apps.referrals.models import Referral
from apps.referrals.services import (
    ConsentData,
    referral_ask_question,
    referral_start_triage,
    referral_submit,
)
from apps.referrals.workflow import Status
from apps.reports.models import Budget, CouncilReport
from apps.reports.services import report_publish

PERSONAS = (
    "anonymous",
    "familienamt_worker",
    "familienamt_lead",
    "school_leader",
    "west_member",
    "nord_member",
    "admin_user",
    "dpo",
    "councillor",
    "traeger_lead",
)
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 16
SIDES = {"west": ("Weimar-West", "T-W-1", "Sonja"), "nord": ("Weimar-Nord", "T-N-1", "Lukas")}


class World(dict[str, Any]):
    """Names -> objects; ``pk_of`` turns a matrix name into a URL argument."""

    def pk_of(self, name: str, persona: str) -> int | str:
        # "{persona}_session": the persona's own record. Who has none (anonymous,
        # a filter of a non-Familienamt role) is refused before any lookup, so
        # the stranger's record serves.
        key = name.format(persona=persona)
        if key not in self:
            key = name.format(persona="stranger")
        value = self[key]
        return value if isinstance(value, int | str) else value.pk


def _user(username: str, *roles: dict[str, Any]) -> User:
    user = User.objects.create_user(username=username, password="correct-horse-battery")
    for role in roles:
        RoleAssignment.objects.create(user=user, **role)
    return user


def _school(side: str) -> Schule:
    stadtteil, number, _ = SIDES[side]
    return Schule.objects.create(
        school_number=number,
        name=f"Testschule {side.title()}",
        kind=Schule.Kind.GRUNDSCHULE,
        street="Testweg 1",
        stadtteil=Stadtteil.objects.get(name=stadtteil),
    )


def _submit(author: User, school: Schule, first_name: str, *, scan: bool = False) -> Referral:
    referral = referral_submit(
        author=author,
        school=school,
        kind=Referral.Kind.SCHULBEGLEITUNG,
        fields={
            "first_name": first_name,
            "last_name": "Beispiel",
            "date_of_birth": datetime.date(2016, 3, 4),
            "school_class": "3b",
            "observations": "Braucht Unterstützung im Unterricht.",
        },
        consent=ConsentData(
            given_by="Anna Beispiel",
            relation="Mutter",
            given_on=datetime.date(2026, 1, 10),
            purpose="referral",
            recipients="Familienamt und Sozialraumteam",
            scan=ContentFile(PNG, name="einwilligung.png") if scan else None,
        ),
    )
    return referral


def _to(case: Case, actor: User, *targets: str) -> Case:
    for target in targets:
        case = case_transition(
            case_id=case.pk, actor=actor, target=target, expected_version=case.version
        )
    return case


def _side(world: World, side: str, leader: User, member: User, fa: User) -> None:
    school = world[f"school_{side}"]
    team = world[f"team_{side}"]
    first_name = SIDES[side][2]

    # An open request waiting for the school's answer, with a scanned consent.
    request = _submit(leader, school, first_name, scan=True)
    request = referral_start_triage(referral_id=request.pk, actor=fa, expected_version=1)
    question = referral_ask_question(
        referral_id=request.pk, actor=fa, text="Welche Klasse?", expected_version=request.version
    )
    world[f"{side}_request"] = Referral.objects.get(pk=request.pk)
    world[f"{side}_question"] = question
    world[f"{side}_consent"] = request.consents.get()

    # A case that was granted once and now waits for the next decision (Fortschreibung).
    origin = _submit(leader, school, f"{first_name}-Marie", scan=True)
    case = case_open_from_referral(referral_id=origin.pk, actor=fa, expected_version=1)
    # The consent filed with the request became the case's own.
    world[f"{side}_case_consent"] = CaseConsent.objects.get(case=case)
    world[f"{side}_document"] = document_add(
        case=case,
        actor=fa,
        kind="application",
        title="Antrag",
        upload=ContentFile(b"%PDF-1.4 Antrag", name="dokument-test.pdf"),
    )
    case = _to(case, member, Status.APPLICATION, Status.ASSESSMENT, Status.HELP_PLAN)
    case_recommend(case_id=case.pk, actor=member, text="Schulbegleitung.", hours_per_week=None)
    case = _to(case, member, Status.DECISION)
    decision = case_decide(
        case_id=case.pk,
        actor=fa,
        expected_version=case.version,
        outcome=Decision.Outcome.GRANTED,
        reason="Bedarf festgestellt.",
        hours_per_week=Decimal("10"),
        period=Decision.Period.SCHOOL_YEAR,
        valid_from=datetime.date(2026, 8, 1),
        backdating_reason="Die Hilfe lief seit Beginn des Schuljahres.",
        valid_until=datetime.date(2027, 7, 31),
        provider=Provider.objects.order_by("pk").first(),
    )
    case = Case.objects.get(pk=case.pk)
    case = _to(case, member, Status.REVIEW)
    # The plan written in the review: the next decision needs it (and the team's recommendation).
    version = casework.helpplan_add_version(
        case=case,
        actor=member,
        based_on=0,
        meeting_date=timezone.localdate(),
        need="Begleitung im Unterricht",
        help_kind="Schulbegleitung",
        family_goals="Allein in die Schule gehen.",
        assessment="",
        goals="Teilhabe am Unterricht",
        steps=[],
        participants="Mutter, Team",
        next_review=timezone.localdate() + datetime.timedelta(days=180),
    )
    world[f"{side}_helpplan"] = version.plan
    world[f"{side}_helpplan_version"] = version.number
    case = _to(case, member, Status.DECISION)
    world[f"{side}_referral"] = origin
    world[f"{side}_case"] = case
    world[f"{side}_person"] = case.person
    world[f"{side}_decision"] = decision

    world[f"{side}_note"] = casework.note_create(
        case=case, author=member, text="Erstgespräch mit der Mutter.", confided=False
    )
    world[f"{side}_confided_note"] = casework.note_create(
        case=case, author=member, text="Die Mutter erzählte vom Streit.", confided=True
    )
    world[f"{side}_task"] = Task.objects.create(
        case=case,
        title="Schule anrufen",
        due_date=timezone.localdate() + datetime.timedelta(days=3),
        assignee=member,
        created_by=member,
    )
    world[f"{side}_contact"] = casework.contact_create(
        case=case,
        actor=member,
        happened_at=timezone.now() - datetime.timedelta(days=1),
        kind="phone",
        with_whom="Mutter",
        result="Termin vereinbart.",
    )
    # Proposed to Mitte-Süd: no persona belongs to the receiving team.
    world[f"{side}_handover"] = casework.case_handover_propose(
        case_id=case.pk, actor=member, to_team=world["team_mitte"], reason="Umzug."
    )

    conference = conferences.conference_create(
        team=team,
        actor=member,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        place=f"Büro {side.title()}",
        participants=[member],
        moderator=member,
    )
    world[f"{side}_conference"] = conference
    world[f"{side}_agenda_item"] = conferences.agenda_add(conference=conference, case=case)

    world[f"{side}_activity"] = Activity.objects.create(
        team=team,
        created_by=member,
        kind=Activity.Kind.OPEN_OFFER,
        title="Offenes Basketballtraining",
        date=datetime.date(2026, 3, 10),
    )
    resource = Resource.objects.create(
        sozialraum=team.sozialraum,
        created_by=member,
        kind=Resource.Kind.OFFER,
        name=f"Hausaufgabenhilfe {side.title()}",
    )
    world[f"{side}_resource"] = resource
    world[f"{side}_link"], _ = resource_link_case(
        resource=resource, case=case, actor=member, note="Hilft bei den Hausaufgaben."
    )
    world[f"{side}_hold"] = LegalHold.objects.create(
        case=case, reason="Gerichtsverfahren", created_by=world["familienamt_lead"]
    )


def build_world() -> World:
    world = World()
    awo = Traeger.objects.get(short_name="AWO")
    caritas = Traeger.objects.get(short_name="Caritas")
    for side, slug in (("west", "west"), ("nord", "nord-schoendorf"), ("mitte", "mitte-sued")):
        world[f"team_{side}"] = Team.objects.get(sozialraum__slug=slug)
    world["school_west"] = _school("west")
    world["school_nord"] = _school("nord")

    # The personas of tests/conftest.py.
    world["anonymous"] = None
    world["familienamt_worker"] = _user("fa-worker", {"role": Role.FAMILIENAMT})
    world["familienamt_lead"] = _user("fa-lead", {"role": Role.FAMILIENAMT_LEITUNG})
    world["school_leader"] = _user(
        "sl-west", {"role": Role.SCHULLEITUNG, "school": world["school_west"]}
    )
    world["west_member"] = _user(
        "tm-west", {"role": Role.TEAM, "team": world["team_west"], "employer": awo}
    )
    world["nord_member"] = _user(
        "tm-nord", {"role": Role.TEAM, "team": world["team_nord"], "employer": caritas}
    )
    admin = _user("it-admin", {"role": Role.ADMIN})
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    world["admin_user"] = admin
    world["dpo"] = _user("dsb", {"role": Role.DATENSCHUTZ})
    world["councillor"] = _user("stadtrat", {"role": Role.STADTRAT})
    world["traeger_lead"] = _user("traeger-awo", {"role": Role.TRAEGER_LEITUNG, "employer": awo})
    # Not a persona: owns the Nord school's requests and the records nobody else may touch.
    nord_leader = _user("sl-nord", {"role": Role.SCHULLEITUNG, "school": world["school_nord"]})
    stranger = _user("fa-other", {"role": Role.FAMILIENAMT})

    # Four eyes: a team role the admin asked for, waiting for the Leitung.
    for side in ("west", "nord"):
        world[f"{side}_approval"] = ApprovalRequest.objects.create(
            kind=ApprovalRequest.Kind.ROLE,
            subject=stranger,
            role=Role.TEAM,
            team=world[f"team_{side}"],
            employer=awo,
            requested_by=admin,
        )

    fa = world["familienamt_worker"]
    _side(world, "west", world["school_leader"], world["west_member"], fa)
    _side(world, "nord", nord_leader, world["nord_member"], fa)

    for owner in (*PERSONAS[1:], "stranger"):
        user = stranger if owner == "stranger" else world[owner]
        notify(recipients=[user], text="Neue Nachricht", url="/nachrichten/")
        world[f"{owner}_notification"] = user.notifications.order_by("-pk").first()
        world[f"{owner}_session"] = UserSession.objects.create(
            user=user, session_key=f"authz-{owner}"[:40]
        )
    # The steering layer: a published report, a budget, a figure's key.
    world["figure_key"] = "anfragen"
    world["report"] = CouncilReport.objects.create(
        title="Bericht", period_key="2026-H1", created_by=world["familienamt_lead"]
    )
    world["published_report"] = report_publish(
        report_id=world["report"].pk, actor=world["familienamt_lead"]
    )
    world["budget"] = Budget.objects.create(
        year=2026,
        sozialraum=world["team_west"].sozialraum,
        traeger=awo,
        flat_payment=Decimal("100000"),
    )
    for owner in ("familienamt_worker", "familienamt_lead", "stranger"):
        user = stranger if owner == "stranger" else world[owner]
        world[f"{owner}_filter"] = user.saved_filters.create(name="Dringend", query="urgent=on")
    return world


def sanity_check(world: World) -> None:
    """The states the matrix relies on; a change in a service shows here first."""
    for side in ("west", "nord"):
        assert Referral.objects.get(pk=world[f"{side}_request"].pk).status == Status.QUESTION
        assert Case.objects.get(pk=world[f"{side}_case"].pk).status == Status.DECISION
        assert CaseHandover.objects.get(pk=world[f"{side}_handover"].pk).is_pending
        assert CaseNote.objects.get(pk=world[f"{side}_confided_note"].pk).confided
        assert world[f"{side}_consent"].scan
