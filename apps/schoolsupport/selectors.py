"""Running Schulbegleitung grants, read across cases, decisions, consents and requests."""

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from apps.cases.models import Decision, HelpKind
from apps.referrals.workflow import Status

RUNNING_STATUSES = (Status.RUNNING, Status.REVIEW, Status.DECISION)


def running_grants(day: datetime.date | None = None) -> QuerySet[Decision]:
    """The current grant of each Schulbegleitung case whose help runs on ``day``.

    A grant counts while its period lasts and no later grant on the same case
    replaces it; the case is running, being reviewed or waiting for the next
    decision.
    """
    day = day or timezone.localdate()
    # A later grant already in force replaces this one; one starting later does not yet.
    later = Decision.objects.filter(
        case=OuterRef("case"),
        outcome=Decision.Outcome.GRANTED,
        decided_at__gt=OuterRef("decided_at"),
        valid_from__lte=day,
    )
    return (
        Decision.objects.filter(
            outcome=Decision.Outcome.GRANTED,
            valid_until__gte=day,
            valid_from__lte=day,
            provider__isnull=False,
            help_kind__group=HelpKind.Group.SCHULBEGLEITUNG,
            case__status__in=RUNNING_STATUSES,
        )
        .exclude(Exists(later))
        .select_related(
            "help_kind", "case__school", "case__team", "case__referral", "provider", "pool"
        )
    )


def follow_up_exists() -> Exists:
    """Whether the case already has a grant that starts after this one ends."""
    return Exists(
        Decision.objects.filter(
            case=OuterRef("case"),
            outcome=Decision.Outcome.GRANTED,
            valid_from__gt=OuterRef("valid_until"),
        )
    )
