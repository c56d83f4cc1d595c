"""Recording, renewing and withdrawing consents on a case."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case, CaseEvent, Provider
from apps.consents.models import CaseConsent, Form, Purpose
from apps.consents.rules import organisations_named_in
from apps.core.refusals import StaleRecord
from apps.organisation.models import Schule, Traeger
from apps.referrals.models import Consent as RequestConsent

# What the school's request form called a purpose, as a purpose of the case.
REQUEST_PURPOSES = {
    RequestConsent.Purpose.REFERRAL: Purpose.REFERRAL,
    RequestConsent.Purpose.CASE_CONFERENCE: Purpose.CASE_CONFERENCE,
    RequestConsent.Purpose.SCHOOL_FEEDBACK: Purpose.SCHOOL_EXCHANGE,
}


@dataclass
class ConsentInput:
    given_by: str
    given_on: datetime.date
    purposes: list[str]
    relation: str = "Sorgeberechtigte"
    form: str = Form.WRITTEN
    valid_until: datetime.date | None = None
    organisations: Iterable[Traeger] = field(default_factory=list)
    schools: Iterable[Schule] = field(default_factory=list)
    providers: Iterable[Provider] = field(default_factory=list)
    scan: Any = None


def _event(case: Case, actor: User | None, summary: str) -> None:
    CaseEvent.objects.create(
        case=case, actor=actor, from_status=case.status, to_status=case.status, summary=summary
    )


def _create(case: Case, actor: User, data: ConsentInput, **extra: Any) -> CaseConsent:
    consent = CaseConsent.objects.create(
        case=case,
        purposes=list(dict.fromkeys(data.purposes)),
        given_by=data.given_by,
        relation=data.relation,
        given_on=data.given_on,
        form=data.form,
        valid_until=data.valid_until,
        scan=data.scan or "",
        recorded_by=actor,
        **extra,
    )
    # A new record has no recipients yet: add, and only where there are some.
    for relation, recipients in (
        (consent.recipient_organisations, list(data.organisations)),
        (consent.recipient_schools, list(data.schools)),
        (consent.recipient_providers, list(data.providers)),
    ):
        if recipients:
            relation.add(*recipients)
    return consent


@transaction.atomic
def consent_record(*, case: Case, actor: User, data: ConsentInput) -> CaseConsent:
    consent = _create(case, actor, data)
    _event(case, actor, f"Einwilligung erfasst ({', '.join(consent.purpose_labels)})")
    return consent


@transaction.atomic
def consent_renew(
    *,
    consent_id: int,
    actor: User,
    given_on: datetime.date,
    valid_until: datetime.date | None,
    form: str,
    scan: Any = None,
) -> CaseConsent:
    """A new consent with the same purposes and recipients, pointing at the old one."""
    old = CaseConsent.objects.select_for_update().select_related("case").get(pk=consent_id)
    if old.withdrawn_at is not None:
        raise StaleRecord("Diese Einwilligung ist widerrufen; bitte eine neue erfassen.")
    data = ConsentInput(
        given_by=old.given_by,
        relation=old.relation,
        given_on=given_on,
        purposes=list(old.purposes),
        form=form,
        valid_until=valid_until,
        organisations=old.recipient_organisations.all(),
        schools=old.recipient_schools.all(),
        providers=old.recipient_providers.all(),
        scan=scan,
    )
    consent = _create(old.case, actor, data, renews=old)
    until = f" bis {valid_until:%d.%m.%Y}" if valid_until else " unbefristet"
    _event(old.case, actor, f"Einwilligung erneuert{until}")
    return consent


@transaction.atomic
def consent_withdraw(
    *, consent_id: int, actor: User, withdrawn_on: datetime.date, note: str
) -> CaseConsent:
    """Stamp the withdrawal; every rule asks at the moment of use, so it holds at once."""
    consent = CaseConsent.objects.select_for_update().select_related("case").get(pk=consent_id)
    if consent.withdrawn_at is not None:
        raise StaleRecord("Diese Einwilligung wurde bereits widerrufen.")
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_note = note
    consent.withdrawn_recorded_by = actor
    consent.save(
        update_fields=["withdrawn_at", "withdrawn_on", "withdrawal_note", "withdrawn_recorded_by"]
    )
    _event(consent.case, actor, f"Einwilligung widerrufen ({', '.join(consent.purpose_labels)})")
    return consent


def consents_carry_over(case: Case) -> list[CaseConsent]:
    """The consents filed with the case's request become consents of the case.

    The school's form recorded recipients as free text; organisations it
    names are picked out, and the school itself is a recipient of a consent
    for feedback to the school.
    """
    if case.referral_id is None:
        return []
    organisations = list(Traeger.objects.all())
    created = []
    request_consents = RequestConsent.objects.filter(referral_id=case.referral_id).select_related(
        "referral__school"
    )
    for old in request_consents:
        if CaseConsent.objects.filter(from_request=old).exists():
            continue
        purpose = REQUEST_PURPOSES.get(old.purpose, Purpose.REFERRAL)  # type: ignore[call-overload]
        school = old.referral.school if old.referral else None
        consent = _create(
            case,
            old.recorded_by,
            ConsentInput(
                given_by=old.given_by,
                relation=old.relation,
                given_on=old.given_on,
                purposes=[purpose],
                valid_until=old.valid_until,
                organisations=organisations_named_in(old.recipients, organisations),
                schools=[school] if school and purpose == Purpose.SCHOOL_EXCHANGE else [],
                scan=old.scan.name if old.scan else None,
            ),
            from_request=old,
            recorded_at=old.recorded_at,
        )
        if old.withdrawn_at is not None:
            CaseConsent.objects.filter(pk=consent.pk).update(withdrawn_at=old.withdrawn_at)
        created.append(consent)
    return created
