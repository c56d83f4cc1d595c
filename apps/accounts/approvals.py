"""Four eyes on account changes that open case content or a person's second factor.

An account administrator asks, the Familienamt's Leitung decides:

- A role that opens case content (:data:`CASE_CONTENT_ROLES`: Familienamt,
  team) is kept as a pending :class:`ApprovalRequest`; the
  :class:`RoleAssignment` exists only once a Leitung approves it, so until
  then the person has no such access anywhere.
- A second-factor reset is announced to the account owner when asked for;
  on approval their devices are removed, their sessions end and they set up
  a new authenticator at the next login.

Nobody decides on a request they made or one about their own account. Every
request and decision goes to the access log.
"""

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import (
    CASE_CONTENT_ROLES,
    ApprovalRequest,
    Role,
    RoleAssignment,
    User,
)
from apps.accounts.security import end_sessions
from apps.organisation.models import Team, Traeger

Kind = ApprovalRequest.Kind
Status = ApprovalRequest.Status


class AlreadyDecided(Exception):
    """Someone decided the request in the meantime."""


def needs_approval(role: str) -> bool:
    return role in CASE_CONTENT_ROLES


def may_decide(request: ApprovalRequest, user: User) -> bool:
    """A Leitung, neither the requester nor the person the request is about."""
    return (
        user.has_role(Role.FAMILIENAMT_LEITUNG)
        and user.pk != request.requested_by_id
        and user.pk != request.subject_id
    )


def pending() -> "list[ApprovalRequest]":
    return list(
        ApprovalRequest.objects.filter(status=Status.PENDING).select_related(
            "subject", "requested_by", "team__sozialraum", "employer"
        )
    )


def request_role(
    *, subject: User, role: str, team: Team | None, employer: Traeger | None, by: User
) -> ApprovalRequest:
    """Ask for ``role``; an identical pending request is returned as it is."""
    existing = ApprovalRequest.objects.filter(
        status=Status.PENDING, kind=Kind.ROLE, subject=subject, role=role, team=team
    ).first()
    if existing is not None:
        return existing
    return ApprovalRequest.objects.create(
        kind=Kind.ROLE,
        subject=subject,
        role=role,
        team=team,
        employer=employer,
        requested_by=by,
    )


def request_second_factor_reset(*, subject: User, by: User) -> ApprovalRequest:
    """Ask for a reset and tell the account owner (also when one is pending already)."""
    approval, created = ApprovalRequest.objects.get_or_create(
        status=Status.PENDING,
        kind=Kind.SECOND_FACTOR_RESET,
        subject=subject,
        defaults={"requested_by": by},
    )
    if created and subject.email:
        _mail(
            subject,
            "Sozialraum Weimar: Zurücksetzen Ihres zweiten Faktors beantragt",
            "die Administration hat beantragt, den zweiten Faktor (Authenticator-App und "
            "Wiederherstellungscodes) Ihres Kontos zurückzusetzen. Die Leitung des "
            "Familienamts entscheidet darüber; Sie erhalten dann eine weitere Nachricht. "
            "Haben Sie das nicht veranlasst, melden Sie sich bitte sofort bei der Leitung "
            "des Familienamts und beim Datenschutz.",
        )
    return approval


@transaction.atomic
def decide(approval_id: int, *, by: User, approve: bool, reason: str = "") -> ApprovalRequest:
    """Approve or decline; raises PermissionDenied for the requester or the person concerned."""
    approval = (
        ApprovalRequest.objects.select_for_update().select_related("subject").get(pk=approval_id)
    )
    if not may_decide(approval, by):
        raise PermissionDenied("Über eigene Anträge entscheidet eine andere Person der Leitung.")
    if approval.status != Status.PENDING:
        raise AlreadyDecided
    approval.status = Status.APPROVED if approve else Status.DECLINED
    approval.decided_by = by
    approval.decided_at = timezone.now()
    approval.reason = reason
    approval.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    if approve:
        _carry_out(approval)
    return approval


def _carry_out(approval: ApprovalRequest) -> None:
    subject = approval.subject
    if approval.kind == Kind.ROLE:
        RoleAssignment.objects.get_or_create(
            user=subject,
            role=approval.role,
            school=None,
            team=approval.team,
            defaults={"employer": approval.employer},
        )
        return
    TOTPDevice.objects.filter(user=subject).delete()
    StaticDevice.objects.filter(user=subject).delete()
    end_sessions(subject)
    if subject.email:
        _mail(
            subject,
            "Sozialraum Weimar: Ihr zweiter Faktor wurde zurückgesetzt",
            "der zweite Faktor Ihres Kontos wurde nach Freigabe durch die Leitung des "
            "Familienamts zurückgesetzt; alle Anmeldungen wurden beendet. Bei der nächsten "
            "Anmeldung richten Sie Ihre Authenticator-App neu ein. Haben Sie das nicht "
            "veranlasst, melden Sie sich bitte sofort beim Datenschutz.",
        )


def _mail(user: User, subject_line: str, body: str) -> None:
    send_mail(subject_line, f"Guten Tag,\n\n{body}", None, [user.email])
