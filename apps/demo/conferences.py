"""Each team's Fallberatung: one held, with minutes and agreed steps, and one planned."""

import datetime

from django.utils import timezone

from apps.accounts.models import Role
from apps.cases.models import Case
from apps.casework.models import Task
from apps.conferences.models import AgendaItem, Conference
from apps.conferences.services import (
    Minutes,
    Step,
    agenda_add,
    agreed_steps_create,
    conference_create,
    minutes_save,
    team_colleagues,
)
from apps.demo import texts
from apps.demo.context import TEAM_ACCOUNTS, SeedContext
from apps.organisation.models import Team
from apps.referrals.workflow import Status

PARTICIPANTS = 5


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _last_weekday(day: datetime.date, weekday: int) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - weekday) % 7)


def seed_conferences(ctx: SeedContext) -> None:
    # Tied to the cases of this run: a re-run that opened no case adds no conference.
    if not ctx.new_case_ids:
        return
    rng = ctx.rng("conferences")
    today = timezone.localdate()
    started = timezone.now()
    held = planned = 0
    for team in Team.objects.select_related("sozialraum").order_by("sozialraum__slug"):
        cases = list(
            Case.objects.filter(pk__in=ctx.new_case_ids, team=team)
            .exclude(status=Status.CLOSED)
            .select_related("person", "worker")
            .order_by("pk")
        )
        if len(cases) < 3:
            continue
        members = [
            user
            for user in team_colleagues(team)
            if any(
                a.role == Role.TEAM and a.team_id == team.pk for a in user.role_assignments.all()
            )
        ]
        named = next(u for u in members if u.username in TEAM_ACCOUNTS)
        staff = [u for u in members if u != named]
        present = [named, *rng.sample(staff, min(PARTICIPANTS - 1, len(staff)))]
        moderator, note_taker = present[1 % len(present)], present[-1]

        # Held: Thursday a week or two ago, two cases discussed.
        day = _last_weekday(today - datetime.timedelta(days=rng.randint(7, 14)), 3)
        conference = conference_create(
            team=team,
            actor=named,
            starts_at=_at(day, 14),
            place=rng.choice(texts.CONFERENCE_PLACES),
            participants=present,
            moderator=moderator,
            note_taker=note_taker,
        )
        Conference.objects.filter(pk=conference.pk).update(
            created_at=_at(day, 9) - datetime.timedelta(days=7)
        )
        for case in rng.sample(cases, 2):
            item = agenda_add(conference=conference, case=case)
            initials = f"{case.person.first_name[:1]}. {case.person.last_name[:1]}."
            minutes = {k: v.format(initials=initials) for k, v in texts.MINUTES.items()}
            minutes_save(
                item_id=item.pk,
                actor=note_taker,
                expected_version=item.version,
                minutes=Minutes(case_giver=case.worker or named, **minutes),
            )
            AgendaItem.objects.filter(pk=item.pk).update(updated_at=_at(day, 16))
            agreed = agreed_steps_create(
                item=item,
                actor=note_taker,
                steps=[
                    Step(title, case.worker or named, day + datetime.timedelta(days=7 * (i + 2)))
                    for i, title in enumerate(texts.AGREED_STEPS)
                ],
            )
            Task.objects.filter(pk__in=[t.pk for t in agreed]).update(created_at=_at(day, 16))
        held += 1

        # Planned: next Thursday, the cases that wait longest for the team.
        day = _last_weekday(today, 3) + datetime.timedelta(days=7)
        upcoming = conference_create(
            team=team,
            actor=named,
            starts_at=_at(day, 14),
            place=rng.choice(texts.CONFERENCE_PLACES),
            participants=present,
            moderator=note_taker,
            note_taker=moderator,
        )
        Conference.objects.filter(pk=upcoming.pk, created_at__gte=started).update(
            created_at=started - datetime.timedelta(days=rng.randint(1, 4))
        )
        for case in sorted(cases, key=lambda c: c.whose_move_since)[:2]:
            agenda_add(conference=upcoming, case=case)
        planned += 1
    ctx.summary.append(f"{held + planned} Fallberatungen ({held} mit Protokoll)")
