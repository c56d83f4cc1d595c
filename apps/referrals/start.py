"""The Familienamt's part of the start page: what waits for this person."""

from datetime import timedelta
from typing import cast

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.models import User
from apps.core.startpage import StartSection
from apps.referrals.models import Question, Referral
from apps.referrals.workflow import Status

LIST_LIMIT = 10
ANSWERS_SHOWN_FOR = timedelta(days=14)
RELATED = ("school", "team", "assignee")


def familienamt_start_section(request: HttpRequest) -> StartSection | None:
    """§8a reports first, then requests assigned to me, new unassigned ones, fresh answers."""
    user = cast(User, request.user)
    if not user.is_authenticated or not user.is_familienamt:
        return None
    # Urgent ones first, then the longest waiting (the lists are cut at LIST_LIMIT).
    open_requests = (
        Referral.objects.visible_to(user)
        .open()
        .select_related(*RELATED)
        .order_by("-urgent", "received_at", "pk")
    )
    child_protection = Q(kind=Referral.Kind.KINDERSCHUTZ)
    answered = (
        Question.objects.filter(
            referral__in=Referral.objects.visible_to(user).filter(status=Status.IN_TRIAGE),
            answered_at__gte=timezone.now() - ANSWERS_SHOWN_FOR,
        )
        .filter(Q(referral__assignee=user) | Q(referral__assignee__isnull=True))
        .select_related("referral", "answered_by")
        .order_by("-answered_at")
    )
    return StartSection(
        title="Anfragen im Eingang",
        template="referrals/start_section_familienamt.html",
        context={
            "child_protection": list(open_requests.filter(child_protection)),
            "assigned_to_me": list(
                open_requests.filter(assignee=user).exclude(child_protection)[:LIST_LIMIT]
            ),
            "unassigned": list(
                open_requests.filter(status=Status.RECEIVED, assignee__isnull=True).exclude(
                    child_protection
                )[:LIST_LIMIT]
            ),
            "answered": list(answered[:LIST_LIMIT]),
            "list_limit": LIST_LIMIT,
        },
    )
