"""Neighbourhood work with no case and the register of local resources, per Sozialraum.

The same titles and names every time: a re-run finds them and changes nothing.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case
from apps.demo import texts
from apps.demo.context import TEAM_ACCOUNTS, SeedContext
from apps.neighbourhood.models import Activity, Resource
from apps.neighbourhood.services import resource_link_case
from apps.organisation.models import Team


def seed_neighbourhood(ctx: SeedContext) -> None:
    rng = ctx.rng("neighbourhood")
    now = timezone.now()
    today = timezone.localdate(now)
    accounts = User.objects.in_bulk(list(TEAM_ACCOUNTS), field_name="username")
    by_slug = {slug: accounts[name] for name, (slug, _) in TEAM_ACCOUNTS.items()}
    activities = resources = links = 0
    for team in Team.objects.select_related("sozialraum").order_by("sozialraum__slug"):
        slug = team.sozialraum.slug
        author = by_slug[slug]
        for kind, title, place, count, outcome in texts.ACTIVITIES.get(slug, []):
            day = today - datetime.timedelta(days=rng.randint(2, 55))
            _, created = Activity.objects.get_or_create(
                team=team,
                title=title,
                defaults={
                    "kind": kind,
                    "date": day,
                    "place": place,
                    "participants": count,
                    "hours_spent": Decimal(rng.choice((2, 3, 4, 6, 8))),
                    "outcome": outcome,
                    "created_by": author,
                    "created_at": now - datetime.timedelta(days=(today - day).days - 1),
                },
            )
            activities += created
        register = []
        for kind, name, hours, description in texts.RESOURCES.get(slug, []):
            resource, created = Resource.objects.get_or_create(
                sozialraum=team.sozialraum,
                name=name,
                defaults={
                    "kind": kind,
                    "description": description,
                    "opening_hours": hours,
                    "contact": f"03643 000 {rng.randint(100, 999)} (Demo-Nummer)",
                    "created_by": author,
                    "created_at": now - datetime.timedelta(days=rng.randint(30, 120)),
                },
            )
            resources += created
            register.append(resource)
        # Fallübergreifend: a resource found in one case helps in others.
        cases = Case.objects.filter(pk__in=ctx.new_case_ids, team=team).order_by("pk")
        for case in cases[:3]:
            _, created = resource_link_case(
                resource=register[0],
                case=case,
                actor=case.worker or author,
                note="Die Familie nutzt das Angebot regelmäßig; entlastet den Nachmittag.",
            )
            links += created
    ctx.summary.append(
        f"{activities} Aktivitäten im Sozialraum, {resources} Ressourcen, {links} Verknüpfungen"
    )
