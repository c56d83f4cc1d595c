"""Every write to a request that has side effects goes through here."""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import FAMILIENAMT_ROLES, User
from apps.core.records import assign_reference, lock_version, save_new_version
from apps.core.refusals import StaleRecord
from apps.notifications.services import familienamt_staff, notify, school_leaders
from apps.organisation.models import Schule, Team
from apps.organisation.routing import (
    StreetNotFound,
    responsibility_for_address,
    responsibility_for_school,
)
from apps.referrals.models import (
    Consent,
    Question,
    Referral,
    ReferralDraft,
    ReferralEvent,
    RequestSource,
)
from apps.referrals.workflow import Party, Status, TransitionNotAllowed, move, with_reason


@dataclass(frozen=True)
class ConsentData:
    given_by: str
    relation: str
    given_on: datetime.date
    purpose: str
    recipients: str
    valid_until: datetime.date | None = None
    scan: Any = None


def _route(referral: Referral) -> None:
    """Fill Sozialraum and team: the pupil's address first, else the school."""
    responsibility = None
    if referral.street and referral.house_number:
        try:
            responsibility = responsibility_for_address(referral.street, referral.house_number)
            referral.routing_note = "Wohnadresse des Kindes"
        except (StreetNotFound, ValueError):
            responsibility = None
    if responsibility is None and referral.school_id:
        responsibility = responsibility_for_school(referral.school)  # type: ignore[arg-type]
        referral.routing_note = "Standort der Schule"
    if responsibility is not None:
        referral.sozialraum = responsibility.sozialraum
        referral.team = responsibility.team
    else:
        referral.routing_note = "nicht ermittelt – bitte im Familienamt zuordnen"


def _event(referral: Referral, actor: User | None, summary: str, source: str = "") -> None:
    ReferralEvent.objects.create(
        referral=referral,
        actor=actor,
        from_status=source,
        to_status=referral.status,
        summary=summary,
    )


@transaction.atomic
def referral_submit(
    *,
    author: User,
    school: Schule | None,
    kind: str,
    fields: dict[str, Any],
    consent: ConsentData | None,
) -> Referral:
    """File a request (a double submit is the view's, see ``apps.core.submissions``)."""
    fields = dict(fields)
    # A §8a report is always urgent, whatever the form said.
    urgent = bool(fields.pop("urgent", False)) or kind == Referral.Kind.KINDERSCHUTZ
    referral = Referral(
        kind=kind,
        source_id=RequestSource.SCHOOL if school else RequestSource.OTHER,
        school=school,
        created_by=author,
        pseudonymised=consent is None and kind != Referral.Kind.KINDERSCHUTZ,
        status=Status.RECEIVED,
        whose_move=Party.FAMILIENAMT,
        urgent=urgent,
        reference=f"tmp-{uuid.uuid4().hex[:16]}",
        **fields,
    )
    if referral.pseudonymised:
        referral.first_name = referral.last_name = ""
        referral.date_of_birth = None
        referral.street = referral.house_number = ""
    _route(referral)
    referral.save()
    assign_reference(referral, "A")
    if consent is not None:
        Consent.objects.create(
            referral=referral,
            recorded_by=author,
            given_by=consent.given_by,
            relation=consent.relation,
            given_on=consent.given_on,
            purpose=consent.purpose,
            recipients=consent.recipients,
            valid_until=consent.valid_until,
            scan=consent.scan or "",
        )
    _event(referral, author, "Anfrage eingegangen")
    ReferralDraft.objects.filter(owner=author, kind=kind).delete()
    if referral.kind == Referral.Kind.KINDERSCHUTZ:
        text = f"KINDERSCHUTZ: Meldung {referral.reference} – sofort prüfen"
    else:
        text = f"Neue Anfrage {referral.reference} ({referral.get_kind_display()})"
    notify(
        recipients=familienamt_staff(),
        text=text,
        url=referral.get_absolute_url(),
        urgent=referral.urgent,
    )
    return referral


@transaction.atomic
def referral_record(
    *,
    author: User,
    source: RequestSource,
    channel: str,
    kind: str,
    fields: dict[str, Any],
    recorded_by_team: Team | None,
) -> Referral:
    """A request taken at an office or on the phone (anyone may suggest help).

    The same routing as a school's request applies. A Sozialraumteam that took
    it at its own office is recorded (``recorded_by_team``): when the address
    leads to that team, it may open the case itself (Erstberatung); when the
    address cannot be routed, the request stays with that team.
    """
    fields = dict(fields)
    urgent = bool(fields.pop("urgent", False)) or kind == Referral.Kind.KINDERSCHUTZ
    named = bool(fields.get("first_name") and fields.get("last_name"))
    referral = Referral(
        kind=kind,
        source=source,
        channel=channel,
        recorded_by_team=recorded_by_team,
        created_by=author,
        pseudonymised=not named,
        status=Status.RECEIVED,
        whose_move=Party.FAMILIENAMT,
        urgent=urgent,
        reference=f"tmp-{uuid.uuid4().hex[:16]}",
        **fields,
    )
    if referral.pseudonymised:
        referral.first_name = referral.last_name = ""
        referral.date_of_birth = None
    _route(referral)
    if referral.team is None and recorded_by_team is not None:
        referral.team = recorded_by_team
        referral.sozialraum = recorded_by_team.sozialraum
        referral.routing_note = "aufnehmendes Sozialraumteam (Adresse nicht ermittelt)"
    referral.save()
    assign_reference(referral, "A")
    where = f" vom {recorded_by_team.name}" if recorded_by_team else ""
    _event(referral, author, f"Anfrage aufgenommen{where} ({referral.get_channel_display()})")
    if referral.kind == Referral.Kind.KINDERSCHUTZ:
        text = f"KINDERSCHUTZ: Meldung {referral.reference} – sofort prüfen"
    else:
        text = f"Neue Anfrage {referral.reference} ({source.name}){where}"
    notify(
        recipients=familienamt_staff(),
        text=text,
        url=referral.get_absolute_url(),
        urgent=referral.urgent,
    )
    return referral


def may_open_at_office(referral: Referral, user: User) -> bool:
    """Erstberatung: a team opens the case of a request it took at its own office itself.

    Only while the request is still open, and only when the request belongs to
    that same team (the address led there); the Familienamt still decides help.
    """
    return (
        referral.recorded_by_team_id is not None
        and referral.recorded_by_team_id == referral.team_id
        and referral.is_open
        and any(team.pk == referral.recorded_by_team_id for team in user.teams)
    )


def _locked(referral_id: int, expected_version: int) -> Referral:
    return lock_version(Referral.objects.all(), referral_id, expected_version)


def _move(referral: Referral, actor: User, target: str) -> str:
    return move(referral, actor.role_names, target)


def _notify_school(referral: Referral, text: str) -> None:
    if referral.school is not None:
        notify(
            recipients=school_leaders(referral.school), text=text, url=referral.get_absolute_url()
        )


@transaction.atomic
def referral_start_triage(*, referral_id: int, actor: User, expected_version: int) -> Referral:
    referral = _locked(referral_id, expected_version)
    source = _move(referral, actor, Status.IN_TRIAGE)
    if referral.assignee_id is None:
        referral.assignee = actor
    referral.save()
    _event(referral, actor, "Prüfung begonnen", source)
    return referral


@transaction.atomic
def referral_ask_question(
    *, referral_id: int, actor: User, text: str, expected_version: int
) -> Question:
    referral = _locked(referral_id, expected_version)
    if referral.school_id is None:
        raise TransitionNotAllowed("Rückfragen gehen nur an Schulen.")
    source = _move(referral, actor, Status.QUESTION)
    referral.save()
    question = Question.objects.create(referral=referral, text=text, asked_by=actor)
    _event(referral, actor, "Rückfrage an die Schule gestellt", source)
    _notify_school(referral, f"Rückfrage des Familienamts zur Anfrage {referral.reference}")
    return question


@transaction.atomic
def referral_answer_question(*, question_id: int, actor: User, answer: str) -> Question:
    question = Question.objects.select_for_update().select_related("referral").get(pk=question_id)
    if question.answered_at is not None:
        raise StaleRecord("Diese Rückfrage ist bereits beantwortet.")
    referral = Referral.objects.select_for_update().get(pk=question.referral_id)
    question.answer = answer
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.save()
    open_questions = referral.questions.filter(answered_at__isnull=True).exists()
    if referral.status == Status.QUESTION and not open_questions:
        source = _move(referral, actor, Status.IN_TRIAGE)
        referral.save()
        _event(referral, actor, "Rückfrage beantwortet", source)
    recipients = [referral.assignee] if referral.assignee else familienamt_staff()
    notify(
        recipients=recipients,
        text=f"Die Schule hat die Rückfrage zu {referral.reference} beantwortet",
        url=referral.get_absolute_url(),
    )
    return question


@transaction.atomic
def referral_reject(
    *, referral_id: int, actor: User, reason: str, expected_version: int
) -> Referral:
    referral = _locked(referral_id, expected_version)
    source = move(referral, actor.role_names, Status.REJECTED, reason=reason)
    referral.rejection_reason = reason.strip()
    referral.save()
    _event(referral, actor, with_reason("Anfrage abgelehnt", reason), source)
    _notify_school(referral, f"Das Familienamt hat die Anfrage {referral.reference} abgelehnt")
    return referral


@transaction.atomic
def referral_reroute(
    *, referral_id: int, actor: User, team: Team, reason: str, expected_version: int
) -> Referral:
    """Familienamt overrides the automatic routing, with a reason."""
    referral = _locked(referral_id, expected_version)
    if not actor.is_familienamt:
        raise TransitionNotAllowed("Nur das Familienamt ändert die Zuständigkeit.")
    if not referral.is_open:
        raise TransitionNotAllowed(
            "Die Zuständigkeit einer erledigten Anfrage bleibt, wie sie ist."
        )
    referral.team = team
    referral.sozialraum = team.sozialraum
    referral.override_reason = reason
    referral.routing_note = "vom Familienamt festgelegt"
    save_new_version(referral)
    _event(referral, actor, f"Zuständigkeit geändert: {team}")
    return referral


@transaction.atomic
def referrals_assign(*, referral_ids: list[int], assignee: User, actor: User) -> int:
    """Bulk: give open requests to one Familienamt worker. Returns how many changed."""
    if not (actor.is_familienamt and assignee.is_familienamt):
        raise TransitionNotAllowed(
            "Anfragen werden nur Mitarbeitenden des Familienamts zugewiesen."
        )
    referrals = list(
        Referral.objects.select_for_update()
        .filter(pk__in=referral_ids)
        .open()
        .exclude(assignee=assignee)
    )
    for referral in referrals:
        referral.assignee = assignee
        referral.version += 1
    Referral.objects.bulk_update(referrals, ["assignee", "version"])
    ReferralEvent.objects.bulk_create(
        ReferralEvent(
            referral=r, actor=actor, to_status=r.status, summary=f"Zugewiesen an {assignee}"
        )
        for r in referrals
    )
    if referrals and assignee != actor:
        notify(
            recipients=[assignee],
            text=f"Ihnen wurden {len(referrals)} Anfrage(n) zugewiesen",
            url=reverse("referrals:queue"),
        )
    return len(referrals)


def referral_mark_accepted(referral: Referral, actor: User, case_reference: str) -> None:
    """Called by the case service, inside its transaction, when it opens the case."""
    if not actor.is_familienamt and may_open_at_office(referral, actor):
        # Erstberatung at the team's own office: the Familienamt's step of the spine,
        # taken by the team for a request it recorded itself (no queue in between).
        source = move(referral, FAMILIENAMT_ROLES, Status.ACCEPTED)
        referral.save()
        _event(referral, actor, f"Fall {case_reference} vom Team eröffnet (Erstberatung)", source)
        _notify_school(
            referral, f"Die Anfrage {referral.reference} ist beim Sozialraumteam angekommen"
        )
        notify(
            recipients=familienamt_staff(),
            text=f"Das Team hat aus Anfrage {referral.reference} Fall {case_reference} eröffnet",
            url=referral.get_absolute_url(),
        )
        return
    source = _move(referral, actor, Status.ACCEPTED)
    referral.save()
    _event(referral, actor, f"Fall {case_reference} eröffnet", source)
    _notify_school(referral, f"Die Anfrage {referral.reference} ist beim Sozialraumteam angekommen")


def locked_referral(referral_id: int, expected_version: int) -> Referral:
    """The request, row-locked, if nobody changed it since ``expected_version``."""
    return _locked(referral_id, expected_version)
