"""A case with something in every table that hangs off it, for retention and export tests.

Every text carries the child's marker, so a test can search a page or a file
for it: the marker of the child not asked about must never turn up.
"""

import datetime
import itertools

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case, CaseEvent, Decision, HelpKind, Person, Recommendation
from apps.casework.models import (
    CaseHandover,
    CaseNote,
    Contact,
    HelpPlan,
    HelpPlanVersion,
    NoteDraft,
    NoteShare,
    NoteVersion,
    Task,
)
from apps.conferences.models import AgendaItem, AgreedStep, Conference
from apps.neighbourhood.models import Resource, ResourceCaseLink
from apps.organisation.models import Schule, Team
from apps.referrals.models import Consent, Question, Referral, ReferralEvent, RequestSource
from apps.referrals.workflow import Status

_numbers = itertools.count(1)


def build_referral(
    *,
    team: Team,
    author: User,
    marker: str,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    school: Schule | None = None,
    status: str = Status.ACCEPTED,
    received_at: datetime.datetime | None = None,
) -> Referral:
    number = next(_numbers)
    referral = Referral.objects.create(
        reference=f"A-2001-{number:05d}",
        kind=Referral.Kind.SCHULBEGLEITUNG,
        source_id=RequestSource.SCHOOL if school else RequestSource.FAMILY,
        school=school,
        created_by=author,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        observations=f"{marker} Beobachtung der Schule",
        team=team,
        sozialraum=team.sozialraum,
        status=status,
        received_at=received_at or timezone.now(),
    )
    consent = Consent(
        referral=referral,
        given_by=f"{marker} Sorgeberechtigte",
        given_on=datetime.date(2001, 1, 5),
        purpose=Consent.Purpose.REFERRAL,
        recorded_by=author,
    )
    consent.scan.save(f"{marker}.pdf", ContentFile(b"%PDF-1.4 scan"), save=False)
    consent.save()
    Question.objects.create(referral=referral, text=f"{marker} Rückfrage", asked_by=author)
    ReferralEvent.objects.create(
        referral=referral, actor=author, to_status=status, summary=f"Status {status}"
    )
    return referral


def build_case(
    *,
    team: Team,
    author: User,
    marker: str,
    first_name: str = "Lena",
    last_name: str = "Sommer",
    date_of_birth: datetime.date = datetime.date(2015, 5, 1),
    help_kind: str | None = HelpKind.SCHULBEGLEITUNG_35A,
    closed_at: datetime.datetime | None = None,
    school: Schule | None = None,
    person: Person | None = None,
) -> Case:
    """A case with content in every related table, and its request."""
    number = next(_numbers)
    referral = build_referral(
        team=team,
        author=author,
        marker=marker,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        school=school,
    )
    if person is None:
        person = Person.objects.create(
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            street=f"{marker} Straße",
        )
    case = Case.objects.create(
        reference=f"F-2001-{number:05d}",
        person=person,
        referral=referral,
        school=school,
        sozialraum=team.sozialraum,
        team=team,
        help_kind_id=help_kind,
        status=Status.CLOSED if closed_at else Status.WITH_TEAM,
        closed_at=closed_at,
    )
    CaseEvent.objects.create(case=case, actor=author, summary=f"{marker} Fall eröffnet")
    Recommendation.objects.create(case=case, author=author, text=f"{marker} Empfehlung")
    Decision.objects.create(
        help_kind_id="sb_35a",
        case=case,
        reference=f"B-2001-{number:05d}",
        outcome=Decision.Outcome.REFUSED,
        decided_by=author,
        reason=f"{marker} Begründung",
    )
    note = CaseNote.objects.create(case=case, author=author)
    NoteVersion.objects.create(note=note, number=1, text=f"{marker} Notiz", created_by=author)
    confided = CaseNote.objects.create(case=case, author=author, confided=True)
    NoteVersion.objects.create(
        note=confided, number=1, text=f"{marker} anvertrauter Text", created_by=author
    )
    NoteShare.objects.create(
        note=confided,
        shared_with=author,
        consent_given_by=f"{marker} Mutter",
        consent_given_on=datetime.date(2001, 2, 1),
        consent_basis=f"{marker} mündlich",
        created_by=author,
    )
    NoteDraft.objects.create(user=author, case=case, text=f"{marker} Entwurf")
    Task.objects.create(
        case=case,
        title=f"{marker} Wiedervorlage",
        due_date=datetime.date(2001, 3, 1),
        assignee=author,
        created_by=author,
    )
    Contact.objects.create(
        case=case,
        happened_at=timezone.now(),
        kind=Contact.Kind.PHONE,
        with_whom=f"{marker} Vater",
        result=f"{marker} Ergebnis",
        created_by=author,
    )
    plan = HelpPlan.objects.create(case=case)
    HelpPlanVersion.objects.create(
        plan=plan,
        number=1,
        created_by=author,
        meeting_date=datetime.date(2001, 4, 1),
        need=f"{marker} Bedarf",
        help_kind="Schulbegleitung",
        family_goals=f"{marker} Ziele der Familie",
        goals=f"{marker} Ziele",
        participants="Eltern, Team",
        next_review=datetime.date(2001, 10, 1),
    )
    other_team = Team.objects.exclude(pk=team.pk).order_by("pk").first()
    CaseHandover.objects.create(
        case=case,
        from_team=team,
        to_team=other_team,
        reason=f"{marker} Umzug",
        proposed_by=author,
        status=CaseHandover.Status.DECLINED,
        decline_reason=f"{marker} abgelehnt",
    )
    conference = Conference.objects.create(
        team=team, starts_at=timezone.now(), place="Büro", created_by=author
    )
    item = AgendaItem.objects.create(
        conference=conference, case=case, case_account=f"{marker} Fallschilderung"
    )
    step = Task.objects.create(
        case=case,
        title=f"{marker} vereinbarter Schritt",
        due_date=datetime.date(2001, 5, 1),
        assignee=author,
        created_by=author,
    )
    AgreedStep.objects.create(agenda_item=item, task=step)
    resource = Resource.objects.create(
        sozialraum=team.sozialraum, kind=Resource.Kind.OFFER, name="Basketball", created_by=author
    )
    ResourceCaseLink.objects.create(
        resource=resource, case=case, note=f"{marker} hat geholfen", created_by=author
    )
    return case
