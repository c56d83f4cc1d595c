"""Requests and cases in every status of the spine, made through the real services.

Each story is one child: a school (or the family) files a request, the
Familienamt triages it, the team works the case, the Familienamt decides. The
services write the timelines, whose-move and notifications exactly as the app
does; afterwards the timestamps are moved back so waiting times look real.

A story's seed key (``Referral.submission_key``, random for a real request)
is derived from the seed, so running the seeder again finds the request
already filed and leaves the story alone. Double submits of the forms are
``apps.core.submissions``' business, not this column's.
"""

import datetime
import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import F, QuerySet, Value, When
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment, User
from apps.cases.grants import period_dates
from apps.cases.models import (
    Case,
    CaseEvent,
    ChildProtectionResult,
    ClosingReason,
    Decision,
    Gender,
    HelpKind,
    Person,
    Pool,
    Provider,
    Recommendation,
)
from apps.cases.services import (
    case_decide,
    case_open_from_referral,
    case_recommend,
    case_transition,
)
from apps.casework.spine import has_current_helpplan
from apps.demo import texts
from apps.demo.casework import write_help_plan
from apps.demo.context import TEAM_ACCOUNTS, SeedContext
from apps.notifications.models import Notification
from apps.organisation.models import Schule, Sozialraum, StreetSegment, Team
from apps.referrals.forms import ReferralForm
from apps.referrals.models import (
    Consent,
    Question,
    Referral,
    ReferralDraft,
    ReferralEvent,
    RequestSource,
)
from apps.referrals.services import (
    ConsentData,
    referral_answer_question,
    referral_ask_question,
    referral_reject,
    referral_start_triage,
    referral_submit,
)
from apps.referrals.workflow import CASE_STATUSES, Status

KEY_NAMESPACE = uuid.UUID("5d0c6a8e-0f4e-4c8e-9d57-0b3e2f6a1c11")
Kind = Referral.Kind


def filed_once(key: uuid.UUID, file: Callable[[], Referral]) -> tuple[Referral, bool]:
    """``(request, created)``: the request the seeder filed under ``key`` on an earlier run,
    else ``file()``'s new one, marked with ``key``."""
    earlier = Referral.objects.filter(submission_key=key).first()
    if earlier is not None:
        return earlier, False
    referral = file()
    Referral.objects.filter(pk=referral.pk).update(submission_key=key)
    referral.submission_key = key
    return referral, True


@dataclass(frozen=True)
class Plan:
    """Where one child's story ends, and what happens on the way."""

    key: str
    target: Status
    days: tuple[float, float]  # when the request came in (days ago)
    wait: tuple[float, float] = (0.5, 4.0)  # how long ago the last move was (days)
    kind: str = Kind.SCHULBEGLEITUNG
    urgent: bool = False
    pseudonymised: bool = False
    answered: bool = False  # a Rückfrage the school answered on the way
    family: bool = False  # the family came to the Familienamt, no school involved
    ended: bool = False  # CLOSED after the help ran; otherwise closed by a refusal
    pool: bool = False
    main_school: bool = False  # the school whose leader has a named demo account
    same_child_as: str = ""  # a new request for a child already known (spelling differs)
    ends_soon: bool = False  # the grant ends within the next eight weeks


PLANS = [
    Plan("neu-dringend", Status.RECEIVED, (0.05, 1.5), urgent=True, main_school=True),
    Plan("neu", Status.RECEIVED, (1, 6)),
    Plan("pruefung", Status.IN_TRIAGE, (3, 10)),
    Plan("rueckfrage-offen", Status.QUESTION, (5, 14), (1, 6), main_school=True),
    Plan("rueckfrage-beantwortet", Status.IN_TRIAGE, (8, 18), answered=True, main_school=True),
    Plan("pseudonym", Status.IN_TRIAGE, (2, 9), pseudonymised=True),
    Plan("abgelehnt", Status.REJECTED, (12, 30), (2, 10)),
    Plan("erstberatung", Status.WITH_TEAM, (8, 20), main_school=True),
    Plan("familie", Status.WITH_TEAM, (5, 15), kind=Kind.OTHER_HELP, family=True),
    Plan("antrag", Status.APPLICATION, (15, 30), (3, 12)),
    Plan("bedarf", Status.ASSESSMENT, (20, 35), (2, 10)),
    Plan("hilfeplan", Status.HELP_PLAN, (25, 42), (1, 8), main_school=True),
    Plan("entscheidung", Status.DECISION, (30, 45), (1, 9)),
    Plan("laeuft", Status.RUNNING, (40, 60), (10, 30), main_school=True),
    Plan("fortschreibung", Status.REVIEW, (60, 90), (1, 7)),
    Plan("bescheid-abgelehnt", Status.CLOSED, (35, 55), (5, 20)),
    Plan("beendet", Status.CLOSED, (60, 90), (3, 15), ended=True),
    # A help whose grant ends within the next eight weeks (the steering page lists it).
    Plan("endet-bald", Status.RUNNING, (100, 150), (20, 40), ends_soon=True),
    # § 8a reports the Familienamt took up (first handling within hours), one a year ago.
    Plan("kinderschutz-geprueft", Status.WITH_TEAM, (6, 40), (1, 5), kind=Kind.KINDERSCHUTZ),
    # A year ago: the comparison with the same period a year before has numbers.
    # Each ends a little more than a year ago, inside the same period a year before.
    Plan("vorjahr-beendet", Status.CLOSED, (400, 440), (366, 380), ended=True),
    Plan("vorjahr-abgelehnt", Status.REJECTED, (370, 400), (366, 369)),
    Plan("vorjahr-bescheid-abgelehnt", Status.CLOSED, (375, 420), (366, 372)),
    Plan("vorjahr-kinderschutz", Status.REJECTED, (370, 390), (366, 369), kind=Kind.KINDERSCHUTZ),
]
EXTRA_PLANS = {
    # Two pupils of one school share the assistants of a pool; each has a grant.
    "west": [
        Plan("pool-1", Status.RUNNING, (45, 60), (20, 35), pool=True, main_school=True),
        Plan("pool-2", Status.RUNNING, (40, 55), (20, 35), pool=True, main_school=True),
    ],
    "nord-schoendorf": [
        Plan(
            "kinderschutz",
            Status.RECEIVED,
            (0.02, 0.1),
            kind=Kind.KINDERSCHUTZ,
            urgent=True,
            main_school=True,
        ),
    ],
    "mitte-sued": [Plan("bekannt", Status.RECEIVED, (0.5, 3), same_child_as="beendet")],
}

CASE_PATH = [Status.APPLICATION, Status.ASSESSMENT, Status.HELP_PLAN]
GRADES = {
    Schule.Kind.GRUNDSCHULE: (1, 4),
    Schule.Kind.REGELSCHULE: (5, 10),
    Schule.Kind.GEMEINSCHAFTSSCHULE: (1, 10),
    Schule.Kind.GYMNASIUM: (5, 10),
    Schule.Kind.FOERDERZENTRUM: (1, 9),
}
HOURS = [Decimal(h) for h in ("8", "10", "12", "15", "18", "20", "25")]


@dataclass(frozen=True)
class Child:
    first_name: str
    last_name: str
    date_of_birth: datetime.date
    school_class: str
    street: str
    house_number: str

    @property
    def initials(self) -> str:
        return f"{self.first_name[:1]}. {self.last_name[:1]}."


@dataclass
class Cast:
    """Who acts: the demo accounts of the Familienamt, the teams and the schools."""

    familienamt: User
    leitung: User
    team_accounts: dict[int, User]  # team id → its named demo account
    team_staff: dict[int, list[User]]
    leaders: dict[int, User]  # school id → its Schulleitung

    @classmethod
    def load(cls) -> "Cast":
        users = User.objects.in_bulk(
            ["familienamt", "leitung", *TEAM_ACCOUNTS], field_name="username"
        )
        teams = {t.sozialraum.slug: t.pk for t in Team.objects.select_related("sozialraum")}
        staff: dict[int, list[User]] = {}
        leaders: dict[int, User] = {}
        assignments = (
            RoleAssignment.objects.filter(user__is_demo=True, user__is_active=True)
            .filter(role__in=[Role.TEAM, Role.SCHULLEITUNG])
            .select_related("user")
            .order_by("user__username")
        )
        for assignment in assignments:
            if assignment.role == Role.TEAM and assignment.team_id:
                staff.setdefault(assignment.team_id, []).append(assignment.user)
            elif assignment.school_id:
                leaders.setdefault(assignment.school_id, assignment.user)
        return cls(
            familienamt=users["familienamt"],
            leitung=users["leitung"],
            team_accounts={teams[slug]: users[name] for name, (slug, _) in TEAM_ACCOUNTS.items()},
            team_staff=staff,
            leaders=leaders,
        )


@contextmanager
def _without_demo_mail() -> Iterator[None]:
    """Fill the inboxes but send no e-mail: nobody reads mail for invented requests.

    ``notify`` e-mails only people with an address, so the demo accounts lose
    theirs while the stories run and get them back in the same transaction.
    """
    addresses = dict(User.objects.filter(is_demo=True).exclude(email="").values_list("pk", "email"))
    User.objects.filter(pk__in=addresses).update(email="")
    yield
    User.objects.bulk_update([User(pk=pk, email=e) for pk, e in addresses.items()], ["email"])


def _office_hours(moment: datetime.datetime, rng: random.Random) -> datetime.datetime:
    """Move a moment onto a working day between 8 and 16 o'clock (Berlin)."""
    local = timezone.localtime(moment)
    while local.weekday() >= 5:
        local -= datetime.timedelta(days=1)
    # Draw always, use only when needed: whether a moment falls outside office
    # hours depends on the clock, and the generator must not (same seed, same
    # children, whenever the seed runs).
    hour, minute = rng.randint(8, 15), rng.randint(0, 59)
    if not 8 <= local.hour < 16:
        local = local.replace(hour=hour, minute=minute)
    return local


def _times(
    rng: random.Random, plan: Plan, count: int, latest: datetime.datetime
) -> list[datetime.datetime]:
    """``count`` moments, oldest first: the request came in, ..., the last move."""
    start = latest - datetime.timedelta(days=rng.uniform(*plan.days))
    end = latest - datetime.timedelta(days=rng.uniform(*plan.wait))
    if end <= start:
        end = start + (latest - start) / 3
    # A help that runs or ran was granted months before its review or its end.
    share = 0.4 if plan.target == Status.REVIEW or plan.ended else 1.0
    middle = sorted(start + (end - start) * share * rng.random() for _ in range(max(count - 2, 0)))
    moments = [start, *middle, end][:count]
    if plan.days[1] >= 1:
        moments = [_office_hours(m, rng) for m in moments]
    return sorted(
        min(m, latest - datetime.timedelta(minutes=len(moments) - i)) for i, m in enumerate(moments)
    )


def _path(plan: Plan, rng: random.Random) -> list[str]:
    """The actions that bring a new request to ``plan.target``."""
    steps = ["submit"]
    if plan.target == Status.RECEIVED:
        return steps
    steps.append("triage")
    if plan.target == Status.QUESTION:
        return [*steps, "ask"]
    by_chance = plan.target in CASE_STATUSES and not plan.family and rng.random() < 0.3
    if plan.answered or by_chance:
        steps += ["ask", "answer"]
    if plan.target == Status.IN_TRIAGE:
        return steps
    if plan.target == Status.REJECTED:
        return [*steps, "reject"]
    steps.append("open")
    if plan.target == Status.WITH_TEAM:
        return steps
    for status in CASE_PATH:
        steps.append(status)
        if status == plan.target:
            return steps
    steps += ["recommend", Status.DECISION]
    if plan.target == Status.DECISION:
        return steps
    if plan.target == Status.CLOSED and not plan.ended:
        return [*steps, "refuse"]
    steps.append("grant")
    if plan.target == Status.REVIEW:
        steps.append(Status.REVIEW)
    elif plan.ended:
        steps.append(Status.CLOSED)
    return steps


class Story:
    """One child's way through the spine, each action stamped with its own moment."""

    def __init__(
        self,
        *,
        rng: random.Random,
        cast: Cast,
        plan: Plan,
        key: uuid.UUID,
        school: Schule | None,
        child: Child,
    ) -> None:
        self.rng, self.cast, self.plan, self.key = rng, cast, plan, key
        self.school, self.child = school, child
        self.referral: Referral
        self.case: Case | None = None
        self.worker: User | None = None
        self.hours = rng.choice(HOURS)
        self.clock: list[tuple[datetime.datetime, datetime.datetime]] = []

    # --- timestamps -------------------------------------------------------

    def _act(self, at: datetime.datetime) -> None:
        """Note when (really) the next action starts and when it happened in the story."""
        self.clock.append((timezone.now(), at))

    def _moved(self, name: str) -> SqlCase:
        """SQL that maps a real timestamp to the story's moment of the same action."""
        whens = [
            When(**{f"{name}__gte": real}, then=Value(at)) for real, at in reversed(self.clock)
        ]
        return SqlCase(*whens, default=F(name))

    def _restamp(self, path: list[str]) -> None:
        """Move every row the story wrote to the moment its action happened.

        Rows written during one action carry real times between that action's
        start and the next one's; one UPDATE per table maps them all back.
        """
        referral, case = self.referral, self.case
        urls = [referral.get_absolute_url()]
        rows: list[tuple[QuerySet[Any], tuple[str, ...]]] = [
            (Referral.objects.filter(pk=referral.pk), ("received_at", "whose_move_since")),
            (ReferralEvent.objects.filter(referral=referral), ("at",)),
            (Consent.objects.filter(referral=referral), ("recorded_at",)),
        ]
        if "ask" in path:
            rows.append((Question.objects.filter(referral=referral), ("asked_at", "answered_at")))
        if case is not None:
            urls.append(case.get_absolute_url())
            rows += [
                (Case.objects.filter(pk=case.pk), ("opened_at", "whose_move_since", "closed_at")),
                (CaseEvent.objects.filter(case=case), ("at",)),
                (Person.objects.filter(pk=case.person_id), ("created_at",)),
            ]
            if "recommend" in path:
                rows.append((Recommendation.objects.filter(case=case), ("created_at",)))
            if {"grant", "refuse"} & set(path):
                rows.append((Decision.objects.filter(case=case), ("decided_at",)))
        first_action = self.clock[0][0]
        rows.append(
            (
                Notification.objects.filter(url__in=urls, created_at__gte=first_action),
                ("created_at",),
            )
        )
        for queryset, fields in rows:
            queryset.update(**{name: self._moved(name) for name in fields})

    # --- the request --------------------------------------------------------

    def _fields(self) -> dict[str, Any]:
        child, rng, first = self.child, self.rng, self.child.first_name
        fields: dict[str, Any] = {"school_class": child.school_class}
        if self.plan.kind != Kind.KINDERSCHUTZ:
            # A report on a child's welfare is urgent by its kind; its form has no choice.
            fields["urgent"] = self.plan.urgent
        if self.school is not None:
            teacher = (
                f"{rng.choice(texts.PARENT_FIRST_NAMES[:11])} {rng.choice(texts.CHILD_LAST_NAMES)}"
            )
            fields |= {
                "contact_name": f"{teacher} ({rng.choice(texts.TEACHER_ROLES)})",
                "contact_phone": f"03643 000 {rng.randint(100, 999)}",
                "contact_email": f"sekretariat.{self.school.school_number.lower()}@demo.invalid",
            }
        if self.plan.kind == Kind.KINDERSCHUTZ:
            report = {k: v.format(first=first) for k, v in texts.CHILD_PROTECTION.items()}
            observations = "\n\n".join(
                [
                    report["observed"],
                    f"Wann: {report['when']}",
                    f"Wer ist gefährdet: {report['at_risk']}",
                ]
            )
            fields |= {"observations": observations, "measures_tried": report["measures"]}
        elif self.plan.family:
            fields |= {
                "observations": (
                    f"Die Mutter kam ins Familienamt: {first} geht seit Wochen nicht mehr in "
                    "den Hort, zu Hause gibt es viel Streit, sie fühlt sich allein gelassen."
                ),
                "needs": "Beratung der Familie und Entlastung im Alltag.",
            }
        else:
            fields |= {
                "observations": rng.choice(texts.OBSERVATIONS).format(first=first),
                "needs": rng.choice(texts.NEEDS).format(first=first),
                "measures_tried": rng.choice(texts.MEASURES),
            }
        if self.plan.pseudonymised:
            return fields | {
                "initials": child.initials,
                "birth_year": child.date_of_birth.year,
            }
        return fields | {
            "first_name": child.first_name,
            "last_name": child.last_name,
            "initials": child.initials,
            "date_of_birth": child.date_of_birth,
            "street": child.street,
            "house_number": child.house_number,
        }

    def _consent(self, at: datetime.datetime) -> ConsentData | None:
        if self.plan.pseudonymised or self.plan.kind == Kind.KINDERSCHUTZ:
            return None
        parent = self.rng.choice(texts.PARENT_FIRST_NAMES)
        given_on = timezone.localdate(at) - datetime.timedelta(days=self.rng.randint(1, 14))
        return ConsentData(
            given_by=f"{parent} {self.child.last_name}",
            relation="Sorgeberechtigte",
            given_on=given_on,
            purpose=Consent.Purpose.REFERRAL,
            recipients="Familienamt Weimar und das zuständige Sozialraumteam",
            valid_until=given_on + datetime.timedelta(days=365),
        )

    def submit(self, at: datetime.datetime) -> bool:
        author = self.cast.leaders[self.school.pk] if self.school else self.cast.familienamt
        # Drawn before the look-up, so a re-run draws the same numbers as the first run.
        fields, consent = self._fields(), self._consent(at)
        referral, created = filed_once(
            self.key,
            lambda: referral_submit(
                author=author,
                school=self.school,
                kind=self.plan.kind,
                fields=fields,
                consent=consent,
            ),
        )
        if not created:
            return False
        self.referral = referral
        if self.plan.family:
            Referral.objects.filter(pk=referral.pk).update(source=RequestSource.FAMILY)
        return True

    def triage(self, at: datetime.datetime) -> None:
        self.referral = referral_start_triage(
            referral_id=self.referral.pk,
            actor=self.cast.familienamt,
            expected_version=self.referral.version,
        )

    def ask(self, at: datetime.datetime) -> None:
        if self.plan.pseudonymised:
            text, self.answer_text = texts.PSEUDONYM_QUESTION, ""
        else:
            text, self.answer_text = self.rng.choice(texts.QUESTIONS)
        self.question = referral_ask_question(
            referral_id=self.referral.pk,
            actor=self.cast.familienamt,
            text=text.format(first=self.child.first_name),
            expected_version=self.referral.version,
        )
        self.referral = self.question.referral

    def answer(self, at: datetime.datetime) -> None:
        assert self.school is not None
        soon = timezone.localdate(at) + datetime.timedelta(days=self.rng.randint(7, 21))
        referral_answer_question(
            question_id=self.question.pk,
            actor=self.cast.leaders[self.school.pk],
            answer=self.answer_text.format(date=f"{soon:%d.%m.%Y}"),
        )
        self.referral.version += 1  # the answer sent the request back to triage

    def reject(self, at: datetime.datetime) -> None:
        self.referral = referral_reject(
            referral_id=self.referral.pk,
            actor=self.cast.familienamt,
            reason=self.rng.choice(texts.REJECTIONS).format(first=self.child.first_name),
            expected_version=self.referral.version,
        )

    # --- the case -----------------------------------------------------------

    def open(self, at: datetime.datetime) -> None:
        self.case = case_open_from_referral(
            referral_id=self.referral.pk,
            actor=self.cast.familienamt,
            expected_version=self.referral.version,
            gender=self.rng.choice([*Gender.values, Gender.FEMALE, Gender.MALE]),
        )
        team_id = self.case.team_id
        named = self.cast.team_accounts[team_id]
        staff = [u for u in self.cast.team_staff.get(team_id, []) if u != named]
        self.worker = named if not staff or self.rng.random() < 0.55 else self.rng.choice(staff)
        Case.objects.filter(pk=self.case.pk).update(worker=self.worker)
        help_kind = ""
        if self.plan.kind == Kind.KINDERSCHUTZ:
            help_kind = HelpKind.KINDERSCHUTZ
        elif self.plan.family:
            help_kind = HelpKind.ERZIEHUNGSHILFE
        elif self.school is not None and self.school.kind == Schule.Kind.FOERDERZENTRUM:
            help_kind = HelpKind.SCHULBEGLEITUNG_112
        if help_kind:
            Case.objects.filter(pk=self.case.pk).update(help_kind_id=help_kind)
            self.case.help_kind_id = help_kind

    def move(self, target: str, at: datetime.datetime) -> None:
        assert self.case is not None and self.worker is not None
        reason, result = None, ""
        if target == Status.CLOSED:
            # Mostly the goal was reached; the rest spread over the other reasons.
            reasons = list(ClosingReason.objects.filter(active=True).order_by("sort_order"))
            reason = reasons[0] if self.rng.random() < 0.5 else self.rng.choice(reasons)
            result = self.rng.choice(ChildProtectionResult.values)
        case = Case.objects.select_related("person").get(pk=self.case.pk)
        if target == Status.DECISION and not has_current_helpplan(case):
            # The spine asks for the plan before the decision; its later versions
            # and the moments come from ``seed_help_plans``.
            write_help_plan(
                case,
                self.worker,
                self.cast.familienamt,
                number=1,
                meeting=timezone.localdate(at),
                help_kind=case.help_kind_label,
                steps=[],
            )
        self.case = case_transition(
            case_id=self.case.pk,
            actor=self.worker,
            target=target,
            expected_version=self.case.version,
            closing_reason=reason,
            child_protection_result=result,
        )

    def recommend(self, at: datetime.datetime) -> None:
        assert self.case is not None and self.worker is not None
        case_recommend(
            case_id=self.case.pk,
            actor=self.worker,
            text=self.rng.choice(texts.RECOMMENDATIONS).format(hours=f"{self.hours:n}"),
            hours_per_week=self.hours,
        )

    def _help_kind(self, pool: Pool | None) -> HelpKind:
        """Each kind of help appears: the case's own, else mostly Schulbegleitung."""
        assert self.case is not None
        code = self.case.help_kind_id
        if pool is not None:
            code = HelpKind.SCHULBEGLEITUNG_35A  # a pool shares Schulbegleitung
        elif code not in (HelpKind.SCHULBEGLEITUNG_112, HelpKind.ERZIEHUNGSHILFE):
            draw = self.rng.random()
            code = (
                HelpKind.EINGLIEDERUNGSHILFE
                if draw < 0.15
                else HelpKind.ERZIEHUNGSHILFE
                if draw < 0.3
                else HelpKind.BERATUNG_28
                if draw < 0.42
                else HelpKind.SCHULBEGLEITUNG_35A
            )
        return HelpKind.objects.get(code=code)

    def decide(self, at: datetime.datetime, *, granted: bool, pool: Pool | None) -> None:
        assert self.case is not None
        actor = self.cast.familienamt if self.rng.random() < 0.7 else self.cast.leitung
        if not granted:
            decision = case_decide(
                case_id=self.case.pk,
                actor=actor,
                expected_version=self.case.version,
                outcome=Decision.Outcome.REFUSED,
                reason=texts.REFUSAL_REASON,
                help_kind=self._help_kind(pool).code,
            )
        else:
            start = timezone.localdate(at) + datetime.timedelta(days=self.rng.randint(1, 7))
            providers = list(Provider.objects.order_by("name"))
            provider = pool.provider if pool else self.rng.choice(providers)
            kind = self._help_kind(pool)
            if self.plan.ends_soon:
                kind = HelpKind.objects.get(code=HelpKind.ERZIEHUNGSHILFE)
            details: dict[str, Any] = {"provider": provider}
            if kind.group == HelpKind.Group.SCHULBEGLEITUNG:
                period = self.rng.choice(list(Decision.Period))
                details |= {
                    "hours_per_week": self.hours,
                    "period": period,
                    "valid_from": start,
                    "valid_until": period_dates(period, start)[1],
                    "pool": pool,
                }
            else:
                details |= {
                    "help_form": self.rng.choice(kind.help_forms) if kind.help_forms else "",
                    "extent": f"{self.rng.randint(2, 6)} Fachleistungsstunden pro Woche",
                    "valid_from": start,
                    "review_on": start + datetime.timedelta(days=182),
                }
                if self.plan.ends_soon:
                    details["valid_until"] = timezone.localdate() + datetime.timedelta(
                        days=self.rng.randint(10, 50)
                    )
            if start < timezone.localdate():
                details["backdating_reason"] = texts.BACKDATING_REASON
            decision = case_decide(
                case_id=self.case.pk,
                actor=actor,
                expected_version=self.case.version,
                outcome=Decision.Outcome.GRANTED,
                reason=self.rng.choice(texts.GRANT_REASONS),
                help_kind=kind.code,
                **details,
            )
        self.case = decision.case

    def run(self, times: list[datetime.datetime], path: list[str], pool: Pool | None) -> bool:
        actions: dict[str, Callable[[datetime.datetime], None]] = {
            "triage": self.triage,
            "ask": self.ask,
            "answer": self.answer,
            "reject": self.reject,
            "open": self.open,
            "recommend": self.recommend,
            "grant": lambda at: self.decide(at, granted=True, pool=pool),
            "refuse": lambda at: self.decide(at, granted=False, pool=None),
        }
        self._act(times[0])
        if not self.submit(times[0]):
            return False
        for step, at in zip(path[1:], times[1:], strict=True):
            self._act(at)
            action = actions.get(step)
            if action is None:
                self.move(step, at)
            else:
                action(at)
        self._restamp(path)
        return True


def _child(
    rng: random.Random,
    school: Schule | None,
    addresses: list[tuple[str, int, int]],
    used: set[tuple[str, str]],
    *,
    umlaut: bool = False,
    with_address: bool = True,
) -> Child:
    low, high = GRADES.get(Schule.Kind(school.kind), (1, 10)) if school else (1, 8)
    grade = rng.randint(low, high)
    today = timezone.localdate()
    # In grade n a child is n + 5 to n + 6 years old: 6 to 16 years in all.
    born = today - datetime.timedelta(days=round((grade + 5) * 365.25) + rng.randint(0, 360))
    last_names = texts.CHILD_LAST_NAMES
    if umlaut:
        last_names = [n for n in last_names if set(n) & set(texts.SPELLING_VARIANTS)]
    while True:
        first = rng.choice(texts.GIRLS if rng.random() < 0.48 else texts.BOYS)
        last = rng.choice(last_names)
        if (first, last) not in used:
            used.add((first, last))
            break
    street, house = "", ""
    if with_address:
        street, number_from, number_to = rng.choice(addresses)
        street, house = street, str(rng.randint(number_from, min(number_to, number_from + 60)))
    return Child(first, last, born, f"{grade}{rng.choice('abc')}", street, house)


def _spelled_differently(child: Child) -> Child:
    last = child.last_name
    for letter, spelling in texts.SPELLING_VARIANTS.items():
        last = last.replace(letter, spelling)
    return replace(child, last_name=last)


def _half_typed_draft(rng: random.Random, cast: Cast) -> None:
    """A request schule-nord began to type and has not sent yet (Entwurf)."""
    leader = next((u for u in cast.leaders.values() if u.username == "schule-nord"), None)
    if leader is None:
        return
    first, last = rng.choice(texts.GIRLS), rng.choice(texts.CHILD_LAST_NAMES)
    data = dict.fromkeys(ReferralForm.draft_fields(), "")
    data |= {
        "first_name": first,
        "last_name": last,
        "school_class": "2b",
        "observations": f"{first} kommt seit den Herbstferien oft zu spät und ",
    }
    ReferralDraft.objects.get_or_create(
        owner=leader, kind=Kind.SCHULBEGLEITUNG, defaults={"data": data}
    )


def seed_requests_and_cases(ctx: SeedContext) -> None:
    rng = ctx.rng("requests")
    cast = Cast.load()
    started = timezone.now()
    latest = started - datetime.timedelta(minutes=5)
    first_notification = (
        Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    providers = list(Provider.objects.order_by("name"))
    schools: dict[int, list[Schule]] = {}
    for led in (
        Schule.objects.filter(pk__in=cast.leaders, is_demo=True)
        .select_related("stadtteil")
        .order_by("school_number")
    ):
        schools.setdefault(led.stadtteil.sozialraum_id, []).append(led)
    addresses: dict[int, list[tuple[str, int, int]]] = {}
    segments = (
        StreetSegment.objects.filter(is_demo=True, parity=StreetSegment.Parity.ALL)
        .select_related("stadtteil")
        .order_by("street_key", "number_from")
    )
    for segment in segments:
        addresses.setdefault(segment.stadtteil.sozialraum_id, []).append(
            (segment.street, segment.number_from, segment.number_to)
        )

    requests = cases = 0
    used: set[tuple[str, str]] = set()
    with _without_demo_mail():
        for unit in range(ctx.scale):
            for sozialraum in Sozialraum.objects.order_by("slug"):
                local_schools = schools.get(sozialraum.pk, [])
                if not local_schools:
                    continue
                plans = PLANS + EXTRA_PLANS.get(sozialraum.slug, [])
                known = {p.same_child_as for p in plans}
                children: dict[str, Child] = {}
                attends: dict[str, Schule | None] = {}
                for plan in plans:
                    school: Schule | None = None
                    if not plan.family:
                        main = plan.main_school or rng.random() < 0.3
                        school = local_schools[0] if main else rng.choice(local_schools)
                    if plan.same_child_as:
                        # The same child, from the same school, with the umlaut spelled out.
                        school = attends[plan.same_child_as]
                        child = _spelled_differently(children[plan.same_child_as])
                    else:
                        child = _child(
                            rng,
                            school,
                            addresses[sozialraum.pk],
                            used,
                            umlaut=plan.key in known,
                            with_address=plan.family or rng.random() < 0.7,
                        )
                    children[plan.key], attends[plan.key] = child, school
                    path = _path(plan, rng)
                    times = _times(rng, plan, len(path), latest)
                    pool = None
                    if plan.pool and school is not None:
                        pool, _ = Pool.objects.get_or_create(
                            school=school,
                            name=texts.POOL_NAME,
                            defaults={"provider": rng.choice(providers)},
                        )
                    story = Story(
                        rng=rng,
                        cast=cast,
                        plan=plan,
                        key=uuid.uuid5(
                            KEY_NAMESPACE, f"{ctx.seed}:{unit}:{sozialraum.slug}:{plan.key}"
                        ),
                        school=school,
                        child=child,
                    )
                    if not story.run(times, path, pool):
                        continue
                    requests += 1
                    if story.case is not None:
                        cases += 1
                        ctx.new_case_ids.append(story.case.pk)
    _half_typed_draft(rng, cast)
    # What happened more than two days ago has been read; the rest waits in the inbox.
    Notification.objects.filter(
        pk__gte=first_notification, created_at__lt=started - datetime.timedelta(days=2)
    ).update(read_at=F("created_at") + datetime.timedelta(hours=3))
    ctx.summary.append(f"{requests} Anfragen, daraus {cases} Fälle")
