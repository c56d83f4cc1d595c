"""Every write to a case that has side effects goes through here."""

import datetime
from dataclasses import fields
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.grants import GrantDetails, check_grant, refusal_message
from apps.cases.models import (
    Case,
    CaseEvent,
    ChildProtectionResult,
    ClosingReason,
    Decision,
    HelpKind,
    Person,
    Pool,
    Provider,
    Recommendation,
)
from apps.core.records import assign_reference, lock_version, save_new_version
from apps.notifications.services import familienamt_staff, notify, school_leaders, team_members
from apps.referrals.models import Referral
from apps.referrals.services import locked_referral, referral_mark_accepted
from apps.referrals.workflow import Party, Status, TransitionNotAllowed, move, with_reason

# A case opened from a § 8a report is on the child-protection track; other kinds stay open.
HELP_KIND_FOR_REFERRAL: dict[str, str | None] = {
    Referral.Kind.SCHULBEGLEITUNG: None,
    Referral.Kind.KINDERSCHUTZ: HelpKind.KINDERSCHUTZ,
    Referral.Kind.OTHER_HELP: None,
}


def _event(case: Case, actor: User | None, summary: str, source: str = "") -> None:
    CaseEvent.objects.create(
        case=case, actor=actor, from_status=source, to_status=case.status, summary=summary
    )


@transaction.atomic
def case_open_from_referral(
    *,
    referral_id: int,
    actor: User,
    expected_version: int,
    person: Person | None = None,
    first_name: str = "",
    last_name: str = "",
    date_of_birth: datetime.date | None = None,
    gender: str = "",
) -> Case:
    """Accept a request: open a case for a known ``person`` or a new one.

    Staff choose explicitly between linking and creating (see duplicates);
    nothing is merged behind their back.
    """
    referral = locked_referral(referral_id, expected_version)
    if referral.team is None:
        raise TransitionNotAllowed(
            "Bitte zuerst ein Sozialraumteam zuordnen, dann den Fall eröffnen."
        )
    if person is None:
        first_name = first_name or referral.first_name
        last_name = last_name or referral.last_name
        date_of_birth = date_of_birth or referral.date_of_birth
        if not (first_name and last_name and date_of_birth):
            raise TransitionNotAllowed(
                "Für einen Fall braucht es Vorname, Nachname und Geburtsdatum des Kindes. "
                "Bei einer pseudonymisierten Anfrage bitte erst über eine Rückfrage klären, "
                "ob die Eltern einwilligen."
            )
        person = Person.objects.create(
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            street=referral.street,
            house_number=referral.house_number,
            gender=gender,
        )
    elif gender and not person.gender:
        person.gender = gender
        person.save(update_fields=["gender"])
    case = Case.objects.create(
        reference=f"tmp-{referral.pk}",
        person=person,
        referral=referral,
        school=referral.school,
        sozialraum=referral.team.sozialraum,
        team=referral.team,
        help_kind_id=HELP_KIND_FOR_REFERRAL[Referral.Kind(referral.kind)],
        status=Status.WITH_TEAM,
        whose_move=Party.TEAM,
    )
    assign_reference(case, "F")
    referral_mark_accepted(referral, actor, case.reference)
    _event(case, actor, f"Fall eröffnet aus Anfrage {referral.reference}")
    notify(
        recipients=team_members(case.team),
        text=f"Neuer Fall {case.reference} für Ihr Team",
        url=case.get_absolute_url(),
        urgent=referral.urgent,
    )
    return case


def _locked(case_id: int, expected_version: int) -> Case:
    return lock_version(Case.objects.all(), case_id, expected_version)


def _notify_parties(case: Case, text: str) -> None:
    recipients: list[User] = []
    if case.whose_move == Party.FAMILIENAMT:
        recipients = familienamt_staff()
    elif case.whose_move == Party.TEAM:
        recipients = team_members(case.team)
    notify(recipients=recipients, text=text, url=case.get_absolute_url())
    if case.school is not None and case.referral_id is not None:
        referral_url = reverse("referrals:detail", args=[case.referral_id])
        notify(recipients=school_leaders(case.school), text=text, url=referral_url)


def _closing_facts(
    case: Case, closing_reason: ClosingReason | None, child_protection_result: str
) -> None:
    """What the statistics need at closing: the reason, and for § 8a the assessment."""
    if closing_reason is None or not closing_reason.active:
        raise TransitionNotAllowed("Bitte wählen Sie, warum der Fall endet (Beendigungsgrund).")
    if case.is_child_protection and not case.child_protection_result:
        if child_protection_result not in ChildProtectionResult.values:
            raise TransitionNotAllowed(
                "Bitte halten Sie das Ergebnis der Gefährdungseinschätzung (§ 8a) fest."
            )
        case.child_protection_result = child_protection_result
    case.closing_reason = closing_reason


@transaction.atomic
def case_transition(
    *,
    case_id: int,
    actor: User,
    target: str,
    expected_version: int,
    closing_reason: ClosingReason | None = None,
    child_protection_result: str = "",
) -> Case:
    """Move a case along the spine (decisions go through :func:`case_decide`).

    Closing needs a ``closing_reason`` (and for a § 8a case the assessment
    result): the facts are recorded when they become known, not afterwards.
    """
    case = _locked(case_id, expected_version)
    if target == Status.CLOSED:
        _closing_facts(case, closing_reason, child_protection_result)
    source = move(case, actor.role_names, target)
    case.save()
    summary = f"Status: {case.get_status_display()}"
    if case.closing_reason is not None and target == Status.CLOSED:
        summary += f" ({case.closing_reason.label})"
    _event(case, actor, summary, source)
    _notify_parties(case, f"Fall {case.reference}: {case.get_status_display()}")
    return case


@transaction.atomic
def case_reopen(*, case_id: int, actor: User, reason: str, expected_version: int) -> Case:
    """Reopen a closed case (Familienamt only); the reason stands in the timeline."""
    case = _locked(case_id, expected_version)
    source = move(case, actor.role_names, Status.WITH_TEAM, reason=reason)
    case.save()
    _event(case, actor, with_reason("Fall wiedereröffnet", reason), source)
    _notify_parties(case, f"Fall {case.reference} ist wiedereröffnet")
    return case


@transaction.atomic
def case_recommend(
    *, case_id: int, actor: User, text: str, hours_per_week: Decimal | None
) -> Recommendation:
    case = Case.objects.select_for_update().get(pk=case_id)
    recommendation = Recommendation.objects.create(
        case=case, author=actor, text=text, hours_per_week=hours_per_week
    )
    _event(case, actor, "Empfehlung des Teams erfasst")
    notify(
        recipients=familienamt_staff(),
        text=f"Empfehlung des Teams zu Fall {case.reference}",
        url=case.get_absolute_url(),
    )
    return recommendation


@transaction.atomic
def case_decide(
    *,
    case_id: int,
    actor: User,
    expected_version: int,
    outcome: str,
    reason: str,
    help_kind: str = HelpKind.SCHULBEGLEITUNG_35A,
    hours_per_week: Decimal | None = None,
    period: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    provider: Provider | None = None,
    pool: Pool | None = None,
    help_form: str = "",
    extent: str = "",
    review_on: datetime.date | None = None,
    backdating_reason: str = "",
) -> Decision:
    """Grant or refuse help. Only the Familienamt decides (courts: Träger recommend)."""
    case = _locked(case_id, expected_version)
    if not actor.is_familienamt:
        raise TransitionNotAllowed("Über Hilfen entscheidet nur das Familienamt.")
    if case.status != Status.DECISION:
        raise TransitionNotAllowed(
            f"Der Fall {case.reference} liegt nicht zur Entscheidung vor "
            f"(Status: {case.get_status_display()})."
        )
    target = Status.RUNNING if outcome == Decision.Outcome.GRANTED else Status.CLOSED
    kind = HelpKind.objects.filter(code=help_kind).first()
    if kind is None:
        raise TransitionNotAllowed("Bitte wählen Sie eine Hilfeart aus der Liste.")
    grant = GrantDetails()
    if outcome == Decision.Outcome.GRANTED:
        grant, problems = check_grant(
            kind,
            GrantDetails(
                hours_per_week=hours_per_week,
                period=period,
                valid_from=valid_from,
                valid_until=valid_until,
                provider=provider,
                pool=pool,
                help_form=help_form,
                extent=extent,
                review_on=review_on,
                backdating_reason=backdating_reason,
            ),
            today=timezone.localdate(),
            school_id=case.school_id,
        )
        if problems:
            raise TransitionNotAllowed(refusal_message(kind, problems))
    source = move(case, actor.role_names, target, deciding=True)
    if outcome == Decision.Outcome.GRANTED and case.help_kind_id is None:
        case.help_kind = kind
    case.save()
    decision = Decision.objects.create(
        case=case,
        reference=f"tmp-{case.pk}-{case.version}",
        help_kind=kind,
        outcome=outcome,
        decided_by=actor,
        reason=reason,
        **{f.name: getattr(grant, f.name) for f in fields(grant)},
    )
    assign_reference(decision, "B")
    _event(
        case,
        actor,
        f"Bescheid {decision.reference}: Hilfe {decision.get_outcome_display()}",
        source,
    )
    _notify_parties(case, f"Fall {case.reference}: Bescheid erlassen")
    return decision


# The fields case_update may change, with the names the timeline entry uses.
EDITABLE_CASE_FIELDS = {
    "worker": "fallführende Fachkraft",
    "help_kind": "Hilfeart",
    "family_goals": "Ziele der Familie",
    "assessment": "fachliche Einschätzung",
}


@transaction.atomic
def case_update(*, case_id: int, actor: User, expected_version: int, **fields: object) -> Case:
    """Change the case data; refuses (StaleRecord) if someone saved in between.

    The timeline entry names which fields changed, never what they say: the
    family's words and the assessment stay in the case data and its history.
    """
    unknown = set(fields) - set(EDITABLE_CASE_FIELDS)
    if unknown:
        raise TypeError(f"case_update cannot change {sorted(unknown)}")
    case = _locked(case_id, expected_version)
    worker = fields.get("worker", case.worker)
    if worker is not None and not isinstance(worker, User):
        raise TypeError("worker must be a User or None")
    if worker is not None and worker != case.worker and case.team not in worker.teams:
        raise TransitionNotAllowed(
            f"{worker} gehört nicht zum {case.team.name}; fallführend ist eine Fachkraft "
            "aus dem Team des Falls."
        )
    changed = [name for name, value in fields.items() if getattr(case, name) != value]
    if not changed:
        return case
    for name in changed:
        setattr(case, name, fields[name])
    save_new_version(case, changed)
    labels = ", ".join(EDITABLE_CASE_FIELDS[name] for name in changed)
    _event(case, actor, f"Falldaten geändert ({labels})")
    if "worker" in changed and case.worker is not None and case.worker != actor:
        notify(
            recipients=[case.worker],
            text=f"Sie sind jetzt fallführend für Fall {case.reference}",
            url=case.get_absolute_url(),
        )
    return case
