"""Consents over time, documents, and the school in the loop, on the demo's cases.

Built through the services: consents given after the case opened (for the
exchange with the school and for naming in the Fallberatung), some renewed,
some withdrawn; documents on cases; feedback of schools on running help and
a request to continue a Schulbegleitung that ends with the school year.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.cases.models import Case
from apps.consents.models import Form, Purpose
from apps.consents.services import ConsentInput, consent_record, consent_renew, consent_withdraw
from apps.demo.context import SeedContext
from apps.demo.referrals import _without_demo_mail
from apps.documents.models import CaseDocument
from apps.documents.services import document_add
from apps.organisation.models import Traeger
from apps.referrals.workflow import Status
from apps.schoolsupport import schoolyear
from apps.schoolsupport.models import SchoolFeedback
from apps.schoolsupport.selectors import running_grants
from apps.schoolsupport.services import continuation_request, school_feedback_send

DOCUMENTS = (
    (CaseDocument.Kind.APPLICATION, "Antrag auf Eingliederungshilfe"),
    (CaseDocument.Kind.STATEMENT, "Stellungnahme der Kinder- und Jugendpsychiatrie"),
    (CaseDocument.Kind.HELP_PLAN, "Unterschriebene Seiten des Hilfeplans"),
)
FEEDBACK_NOTES = (
    "Die Begleitung in den Pausen hilft sehr.",
    "Im Sportunterricht gibt es noch Schwierigkeiten.",
    "Die Klassenlehrerin wünscht sich einen Austausch vor den Ferien.",
    "",
)


def _pdf(title: str) -> ContentFile[bytes]:
    body = f"%PDF-1.4\n% Demodokument: {title}\n%%EOF\n".encode()
    return ContentFile(body, name="demo.pdf")


def _school_leader(case: Case) -> User | None:
    school_id = case.referral.school_id if case.referral else case.school_id
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.SCHULLEITUNG,
            role_assignments__school_id=school_id,
        )
        .order_by("pk")
        .first()
    )


def seed_participation(ctx: SeedContext) -> None:
    if not ctx.new_case_ids:
        return
    # The services notify the team; nobody reads mail about invented cases.
    with _without_demo_mail():
        _seed(ctx)


def _seed(ctx: SeedContext) -> None:
    rng = ctx.rng("participation")
    today = timezone.localdate()
    fa = User.objects.get(username="familienamt")
    city = Traeger.objects.get(is_city=True)
    year_end = schoolyear.year_of(today).end
    grants = {
        grant.case_id: grant for grant in running_grants(today).filter(case_id__in=ctx.new_case_ids)
    }
    cases = list(
        Case.objects.filter(pk__in=ctx.new_case_ids)
        .exclude(status=Status.CLOSED)
        .select_related("referral__school", "team", "worker")
        .prefetch_related("team__traeger")
        .order_by("pk")
    )
    consents = renewed = withdrawn = documents = feedback = continued = 0
    for index, case in enumerate(cases):
        actor = case.worker or fa
        opened = timezone.localdate(case.opened_at)
        school = case.referral.school if case.referral else None
        # Documents on about every second case.
        if index % 2 == 0:
            for kind, title in DOCUMENTS[: 1 + index % len(DOCUMENTS)]:
                document_add(case=case, actor=actor, kind=kind, title=title, upload=_pdf(title))
                documents += 1
        if school is None or index % 3 == 2:
            continue
        # Consent given later, in the first conversation with the team.
        given_on = min(today, opened + datetime.timedelta(days=rng.randint(7, 21)))
        consent = consent_record(
            case=case,
            actor=actor,
            data=ConsentInput(
                given_by=f"Mutter von {case.person.first_name}",
                relation="Mutter",
                given_on=given_on,
                purposes=[Purpose.SCHOOL_EXCHANGE, Purpose.CASE_CONFERENCE],
                form=rng.choice([Form.WRITTEN, Form.ORAL]),
                valid_until=min(year_end, given_on + datetime.timedelta(days=365)),
                organisations=[city, *case.team.traeger.all()],
                schools=[school],
            ),
        )
        consents += 1
        if index % 7 == 3:
            consent_withdraw(
                consent_id=consent.pk,
                actor=actor,
                withdrawn_on=today,
                note="Die Mutter hat im Gespräch widerrufen.",
            )
            withdrawn += 1
            continue
        if index % 5 == 1:
            consent_renew(
                consent_id=consent.pk,
                actor=actor,
                given_on=today,
                valid_until=year_end + datetime.timedelta(days=365),
                form=Form.WRITTEN,
            )
            renewed += 1
        grant = grants.get(case.pk)
        leader = _school_leader(case)
        if grant is None or leader is None:
            continue
        if case.status in (Status.RUNNING, Status.REVIEW):
            item = school_feedback_send(
                case=case,
                actor=leader,
                overall=rng.choice(list(SchoolFeedback.Overall)),
                participation=rng.choice(list(SchoolFeedback.Trend)),
                note=rng.choice(FEEDBACK_NOTES),
                talk_wanted=rng.random() < 0.3,
            )
            SchoolFeedback.objects.filter(pk=item.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=rng.randint(1, 40))
            )
            feedback += 1
        if grant.valid_until and grant.valid_until <= year_end and continued < 2:
            continuation_request(case=case, actor=leader, grant_until=grant.valid_until)
            continued += 1
    ctx.summary.append(
        f"{consents} Einwilligungen auf Fällen ({renewed} erneuert, {withdrawn} widerrufen), "
        f"{documents} Dokumente, {feedback} Rückmeldungen von Schulen, "
        f"{continued} Bitten um Fortsetzung"
    )
