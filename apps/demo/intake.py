"""Demo: requests from every kind of source, team office intake, counselling without a case.

Built through the services like the rest of the demo. Requests carry keys
derived from the seed, so a second run adds nothing; counselling contacts
are written once per team.
"""

import datetime
import uuid

from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case, CaseEvent
from apps.cases.services import case_open_from_referral
from apps.demo import texts
from apps.demo.context import TEAM_ACCOUNTS, SeedContext
from apps.demo.referrals import _without_demo_mail, filed_once
from apps.organisation.models import Team
from apps.referrals.models import CounsellingContact, Referral, ReferralEvent, RequestSource
from apps.referrals.services import referral_record

KEY_NAMESPACE = uuid.UUID("a7c1f3e2-52b4-4d0a-9c41-6f2e8b1d0c77")
# Who calls the Familienamt, how, about what (invented, marked as demo).
CALLS = [
    (
        RequestSource.KITA,
        "phone",
        "Die Kita bemerkt, dass das Kind kaum spricht und sich zurückzieht.",
    ),
    (RequestSource.DOCTOR, "writing", "Die Kinderärztin regt eine Abklärung nach § 35a an."),
    (RequestSource.POLICE, "writing", "Die Polizei meldet wiederholte Einsätze wegen Streit."),
    (
        RequestSource.OTHER_OFFICE,
        "writing",
        "Das Jobcenter verweist die Familie an das Familienamt.",
    ),
    (RequestSource.ANONYMOUS, "phone", "Eine Nachbarin macht sich Sorgen um ein Kind im Haus."),
    (RequestSource.YOUNG_PERSON, "office", "Die Jugendliche möchte über Streit zu Hause sprechen."),
]
COUNSELLING = [
    (CounsellingContact.Topic.UPBRINGING, CounsellingContact.Outcome.INFORMATION, ""),
    (CounsellingContact.Topic.SCHOOL, CounsellingContact.Outcome.REFERRED, "Schulpsychologie"),
    (CounsellingContact.Topic.MONEY, CounsellingContact.Outcome.REFERRED, "Schuldnerberatung"),
]


def seed_intake(ctx: SeedContext) -> None:
    rng = ctx.rng("intake")
    familienamt = User.objects.get(username="familienamt")
    today = timezone.localdate()
    recorded = 0
    with _without_demo_mail():
        for n, (source, channel, needs) in enumerate(CALLS):
            named = source != RequestSource.ANONYMOUS and n % 2 == 0
            # Drawn before the look-up, so a re-run draws the same numbers as the first run.
            call = {
                "first_name": rng.choice(texts.GIRLS + texts.BOYS) if named else "",
                "last_name": rng.choice(texts.CHILD_LAST_NAMES) if named else "",
                "date_of_birth": datetime.date(2014 + n, 3, 1 + n) if named else None,
                "needs": needs,
                "contact_name": "" if source == RequestSource.ANONYMOUS else "(Demo)",
            }
            _, created = filed_once(
                uuid.uuid5(KEY_NAMESPACE, f"{ctx.seed}:call:{n}"),
                lambda: referral_record(
                    author=familienamt,
                    source=RequestSource.objects.get(code=source),  # noqa: B023 (called at once)
                    channel=channel,  # noqa: B023
                    kind=Referral.Kind.OTHER_HELP,
                    fields=call,  # noqa: B023
                    recorded_by_team=None,
                ),
            )
            recorded += created
        for username, (slug, _employer) in TEAM_ACCOUNTS.items():
            member = User.objects.get(username=username)
            team = Team.objects.get(sozialraum__slug=slug)
            visit = {
                "first_name": rng.choice(texts.GIRLS + texts.BOYS),
                "last_name": rng.choice(texts.CHILD_LAST_NAMES),
                "date_of_birth": datetime.date(2016, 6, 1 + len(slug)),
                "needs": "Die Mutter kam in die Sprechstunde: Sorgen um die Schule.",
                "contact_name": "Mutter (Demo)",
            }
            referral, created = filed_once(
                uuid.uuid5(KEY_NAMESPACE, f"{ctx.seed}:office:{slug}"),
                lambda: referral_record(
                    author=member,  # noqa: B023 (called at once)
                    source=RequestSource.objects.get(code=RequestSource.FAMILY),
                    channel="office",
                    kind=Referral.Kind.OTHER_HELP,
                    fields=visit,  # noqa: B023
                    recorded_by_team=team,  # noqa: B023
                ),
            )
            recorded += created
            if created:
                # Erstberatung at the team's own office: the team opens the case itself.
                case_open_from_referral(
                    referral_id=referral.pk, actor=member, expected_version=referral.version
                )
            if not CounsellingContact.objects.filter(team=team).exists():
                CounsellingContact.objects.bulk_create(
                    CounsellingContact(
                        team=team,
                        date=today - datetime.timedelta(days=3 * i + 1),
                        source_id=RequestSource.FAMILY if i else RequestSource.YOUNG_PERSON,
                        topic=topic,
                        outcome=outcome,
                        referred_to=referred,
                        recorded_by=member,
                    )
                    for i, (topic, outcome, referred) in enumerate(COUNSELLING)
                )
        _one_moment(ctx.seed)
    ctx.summary.append(f"{recorded} Anfragen aus Büro und Telefon, Beratungskontakte ohne Fall")


def _one_moment(seed: int) -> None:
    """Each demo intake happened at one moment: its request, its events and its case."""
    referrals = Referral.objects.filter(
        submission_key__in=[
            *(uuid.uuid5(KEY_NAMESPACE, f"{seed}:call:{n}") for n in range(len(CALLS))),
            *(
                uuid.uuid5(KEY_NAMESPACE, f"{seed}:office:{slug}")
                for slug, _ in TEAM_ACCOUNTS.values()
            ),
        ]
    )
    for referral in referrals:
        at = referral.received_at
        ReferralEvent.objects.filter(referral=referral).update(at=at)
        Referral.objects.filter(pk=referral.pk).update(whose_move_since=at)
        case = Case.objects.filter(referral=referral)
        CaseEvent.objects.filter(case__in=case).update(at=at)
        case.update(opened_at=at, whose_move_since=at)
