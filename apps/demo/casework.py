"""The case files of the demo cases: notes, contacts, tasks and help plans.

Written through the casework services as the team members would, then dated
back between the case's opening and today (or its closing).
"""

import datetime
import random

from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment, User
from apps.cases.models import Case, CaseEvent
from apps.casework.models import (
    REVIEW_AFTER_MONTHS,
    Attainment,
    CaseNote,
    Contact,
    GoalAttainment,
    HelpPlan,
    HelpPlanVersion,
    NoteShare,
    NoteVersion,
    Task,
    add_months,
)
from apps.casework.sections import end_of_week
from apps.casework.services import (
    contact_create,
    helpplan_add_version,
    note_correct,
    note_create,
    note_share,
)
from apps.demo import texts
from apps.demo.context import TEAM_ACCOUNTS, SeedContext
from apps.referrals.workflow import Status

# How far a case has come decides how much its file holds.
DEPTH = {
    Status.WITH_TEAM: 1,
    Status.APPLICATION: 2,
    Status.ASSESSMENT: 2,
    Status.HELP_PLAN: 3,
    Status.DECISION: 3,
    Status.RUNNING: 4,
    Status.REVIEW: 5,
    Status.CLOSED: 4,
}
CONFIDING_ACCOUNT = "team-west"
ATTAINMENT_DRAW = [
    Attainment.REACHED,
    Attainment.REACHED,
    Attainment.PARTLY,
    Attainment.PARTLY,
    Attainment.PARTLY,
    Attainment.NOT_YET,
    Attainment.OBSOLETE,
]


def _moments(
    rng: random.Random, case: Case, count: int, latest: datetime.datetime
) -> list[datetime.datetime]:
    end = min(case.closed_at or latest, latest)
    span = max(end - case.opened_at, datetime.timedelta(hours=1))
    return sorted(case.opened_at + span * rng.uniform(0.05, 0.95) for _ in range(count))


def _colleagues(case: Case, named: dict[int, User]) -> list[User]:
    return [u for u in (case.worker, named.get(case.team_id)) if u is not None]


def seed_case_files(ctx: SeedContext) -> None:
    rng = ctx.rng("case-files")
    now = timezone.now()
    latest = now - datetime.timedelta(minutes=10)
    today = timezone.localdate(now)
    familienamt = User.objects.get(username="familienamt")
    named: dict[int, User] = {
        a.team_id: a.user
        for a in RoleAssignment.objects.filter(
            user__username__in=TEAM_ACCOUNTS, role=Role.TEAM
        ).select_related("user")
        if a.team_id is not None
    }
    team_west_id = next(team for team, user in named.items() if user.username == CONFIDING_ACCOUNT)
    cases = (
        Case.objects.filter(pk__in=ctx.new_case_ids)
        .select_related("person", "worker")
        .order_by("pk")
    )
    counts = {"notes": 0, "contacts": 0, "tasks": 0}
    shared = False
    for index, case in enumerate(cases):
        depth = DEPTH[Status(case.status)]
        first = case.person.first_name
        authors = _colleagues(case, named)

        # Notes: the worker writes most; some get a corrected second version.
        for moment, text in zip(
            _moments(rng, case, depth, latest), texts.NOTES[:depth], strict=True
        ):
            author = rng.choice(authors)
            note = note_create(
                case=case, author=author, text=text.format(first=first), confided=False
            )
            CaseNote.objects.filter(pk=note.pk).update(created_at=moment)
            NoteVersion.objects.filter(note=note).update(created_at=moment)
            counts["notes"] += 1
            if rng.random() < 0.2:
                reason, addition = rng.choice(texts.CORRECTIONS)
                version = note_correct(
                    note_id=note.pk,
                    actor=author,
                    text=text.format(first=first) + addition,
                    reason=reason,
                )
                corrected = min(moment + datetime.timedelta(hours=rng.randint(1, 30)), latest)
                NoteVersion.objects.filter(pk=version.pk).update(created_at=corrected)

        # Confided notes (§65): team-west's named account writes them on its team's cases.
        if case.team_id == team_west_id and (index % 2 == 0 or depth >= 4):
            author = named[team_west_id]
            moment = _moments(rng, case, 1, latest)[0]
            note = note_create(
                case=case,
                author=author,
                text=rng.choice(texts.CONFIDED_NOTES),
                confided=True,
            )
            CaseNote.objects.filter(pk=note.pk).update(created_at=moment)
            NoteVersion.objects.filter(note=note).update(created_at=moment)
            counts["notes"] += 1
            colleague = case.worker if case.worker not in (None, author) else None
            if not shared and colleague is not None:
                # One confided note is opened to the case worker, on the mother's consent.
                note_share(
                    note_id=note.pk,
                    actor=author,
                    colleagues=[colleague],
                    consent_given_by=f"Mutter von {first}",
                    consent_given_on=timezone.localdate(moment),
                    consent_basis="Mündlich im Gespräch, nur für die fallführende Fachkraft.",
                )
                NoteShare.objects.filter(note=note).update(created_at=moment)
                shared = True

        # Contacts with the family, the school and others.
        for moment, (kind, with_whom, result) in zip(
            _moments(rng, case, depth, latest), texts.CONTACTS, strict=False
        ):
            contact = contact_create(
                case=case,
                actor=rng.choice(authors),
                happened_at=moment,
                kind=kind,
                with_whom=with_whom.format(first=first),
                result=result.format(first=first),
            )
            Contact.objects.filter(pk=contact.pk).update(created_at=moment)
            counts["contacts"] += 1

        # Tasks: every open case has something due; closed cases only finished ones.
        created = _moments(rng, case, 1, latest)[0]
        titles = rng.sample(texts.TASKS, 3)
        worker = case.worker or named[case.team_id]
        if case.status == Status.CLOSED:
            due = timezone.localdate(created)
            plans = [(titles[0], due, worker, True)]
        else:
            overdue = today - datetime.timedelta(days=rng.randint(1, 12))
            this_week = today + datetime.timedelta(
                days=rng.randint(0, (end_of_week(today) - today).days)
            )
            later = today + datetime.timedelta(days=rng.randint(10, 40))
            plans = [
                (titles[0], [overdue, this_week, later][index % 3], worker, False),
                (titles[1], this_week if index % 2 else later, named[case.team_id], False),
            ]
            if case.status in {Status.DECISION, Status.HELP_PLAN}:
                plans.append(("Bescheid vorbereiten", this_week, familienamt, False))
            if depth >= 3:
                plans.append((titles[2], timezone.localdate(created), worker, True))
        for title, due, assignee, done in plans:
            Task.objects.create(
                case=case,
                title=title,
                due_date=due,
                assignee=assignee,
                created_by=worker,
                created_at=min(
                    created, timezone.make_aware(datetime.datetime.combine(due, datetime.time(8)))
                ),
                done_at=min(created + datetime.timedelta(days=1), latest) if done else None,
                done_by=assignee if done else None,
            )
            counts["tasks"] += 1
    ctx.summary.append(
        f"{counts['notes']} Notizen, {counts['contacts']} Kontakte, "
        f"{counts['tasks']} Wiedervorlagen"
    )


def _between(
    rng: random.Random, low: datetime.datetime, high: datetime.datetime
) -> datetime.datetime:
    return low + max(high - low, datetime.timedelta(hours=2)) * rng.uniform(0.2, 0.8)


def write_help_plan(
    case: Case,
    worker: User,
    familienamt: User,
    *,
    number: int,
    meeting: datetime.date,
    help_kind: str,
    steps: list[dict[str, str]],
    attainments: dict[int, str] | None = None,
) -> HelpPlanVersion:
    """Version ``number`` of the demo help plan, in the demo's words."""
    first = case.person.first_name
    return helpplan_add_version(
        case=case,
        actor=worker,
        based_on=number - 1,
        meeting_date=meeting,
        need=texts.HELP_PLAN["need"].format(first=first),
        help_kind=help_kind,
        family_goals=texts.HELP_PLAN["family_goals"].format(first=first),
        assessment=texts.HELP_PLAN["assessment"].format(first=first),
        goals=texts.HELP_PLAN["goals" if number == 1 else "review_goals"].format(first=first),
        steps=steps,
        participants=(
            f"Mutter von {first}, {first}, Klassenlehrerin, "
            f"{worker.get_full_name()} (Sozialraumteam), "
            f"{familienamt.get_full_name()} (Familienamt)"
        ),
        next_review=add_months(meeting, REVIEW_AFTER_MONTHS),
        attainments=attainments or {},
    )


def seed_help_plans(ctx: SeedContext) -> None:
    """A help plan for every case that reached help planning; running helps have two versions."""
    rng = ctx.rng("help-plans")
    started = timezone.now()
    latest = started - datetime.timedelta(minutes=10)
    familienamt = User.objects.get(username="familienamt")
    cases = (
        Case.objects.filter(pk__in=ctx.new_case_ids)
        .filter(events__to_status=Status.HELP_PLAN)
        .distinct()
        .select_related("person", "worker")
        .prefetch_related("events", "decisions")
        .order_by("pk")
    )
    plans = versions = 0
    for case in cases:
        events = sorted(case.events.all(), key=lambda e: (e.at, e.pk))
        planning = next(e.at for e in events if e.to_status == Status.HELP_PLAN)
        later = [e.at for e in events if e.at > planning]
        grant = next((d for d in case.decisions.all() if d.outcome == "granted"), None)
        worker = case.worker or familienamt
        meetings = [_between(rng, planning, later[0] if later else latest)]
        if grant is not None:
            review = next((e.at for e in events if e.to_status == Status.REVIEW), None)
            meetings.append(_between(rng, grant.decided_at, review or case.closed_at or latest))
        hours = grant.hours_per_week if grant else None
        previous: HelpPlanVersion | None = None
        for number, moment in enumerate(meetings, start=1):
            meeting = timezone.localdate(moment)
            help_kind = case.help_kind_label
            if hours:
                help_kind += f", {hours:n} Stunden pro Woche"
            steps = [
                {
                    "step": step,
                    "responsible": responsible,
                    "due": (meeting + datetime.timedelta(days=14 * (i + 1))).isoformat(),
                }
                for i, (step, responsible) in enumerate(rng.sample(texts.HELP_PLAN_STEPS, 3))
            ]
            written = HelpPlanVersion.objects.filter(plan__case=case, number=number).first()
            if written is not None:
                # Written in the story before the decision (the spine asks for it).
                HelpPlanVersion.objects.filter(pk=written.pk).update(created_at=moment)
                HelpPlan.objects.filter(pk=written.plan_id).update(created_at=moment)
                plans += number == 1
                versions += 1
                previous = written
                continue
            version = write_help_plan(
                case,
                worker,
                familienamt,
                number=number,
                meeting=meeting,
                help_kind=help_kind,
                steps=steps,
                # At the review each earlier goal is judged; mostly progress, some setbacks.
                attainments={
                    goal.pk: rng.choice(ATTAINMENT_DRAW)
                    for goal in (previous.goal_items.all() if previous else [])
                },
            )
            previous = version
            GoalAttainment.objects.filter(review=version).update(recorded_at=moment)
            HelpPlanVersion.objects.filter(pk=version.pk).update(created_at=moment)
            CaseEvent.objects.filter(case=case, at__gte=started).update(at=moment)
            if number == 1:
                HelpPlan.objects.filter(pk=version.plan_id).update(created_at=moment)
                plans += 1
            versions += 1
    ctx.summary.append(f"{plans} Hilfepläne ({versions} Fassungen)")
