"""Factories for the triage tests (no tests here; the name keeps it in the triage files).

Requests are created directly, not through ``referral_submit``, so the
queue tests can make many of them quickly and set any status and date.
"""

import datetime
import itertools

from django.utils import timezone

from apps.accounts.models import User
from apps.organisation.models import Schule
from apps.referrals.models import Referral, RequestSource
from apps.referrals.services import ConsentData, referral_submit
from apps.referrals.workflow import Party, Status

_numbers = itertools.count(1)


def make_referral(
    *,
    author: User,
    school: Schule | None,
    status: str = Status.RECEIVED,
    kind: str = Referral.Kind.SCHULBEGLEITUNG,
    days_ago: int = 0,
    urgent: bool = False,
    assignee: User | None = None,
    first_name: str = "Lena",
    last_name: str = "Schmidt",
    pseudonymised: bool = False,
) -> Referral:
    received = timezone.now() - datetime.timedelta(days=days_ago)
    number = next(_numbers)
    team = None
    sozialraum = None
    if school is not None:
        sozialraum = school.stadtteil.sozialraum
        team = sozialraum.team
    return Referral.objects.create(
        reference=f"A-T-{number:05d}",
        kind=kind,
        source_id=RequestSource.SCHOOL,
        school=school,
        created_by=author,
        pseudonymised=pseudonymised,
        first_name="" if pseudonymised else first_name,
        last_name="" if pseudonymised else last_name,
        initials="L. S." if pseudonymised else "",
        status=status,
        whose_move=Party.FAMILIENAMT,
        whose_move_since=received,
        received_at=received,
        sozialraum=sozialraum,
        team=team,
        routing_note="Standort der Schule",
        urgent=urgent,
        assignee=assignee,
    )


def submit_referral(author: User, school: Schule) -> Referral:
    """A request filed the real way: routed, with consent and a first timeline entry."""
    referral = referral_submit(
        author=author,
        school=school,
        kind=Referral.Kind.SCHULBEGLEITUNG,
        fields={
            "first_name": "Jürgen",
            "last_name": "Müller",
            "date_of_birth": datetime.date(2016, 3, 4),
            "school_class": "3b",
            "observations": "Braucht Unterstützung im Unterricht.",
            "needs": "Begleitung im Unterricht",
        },
        consent=ConsentData(
            given_by="Anna Müller",
            relation="Mutter",
            given_on=datetime.date(2026, 1, 10),
            purpose="referral",
            recipients="Familienamt und Sozialraumteam",
        ),
    )
    return referral
