"""Deadlines that follow from the case itself: computed, never typed."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from apps.cases.models import Case, Decision
from apps.casework.models import HelpPlanVersion
from apps.consents.models import CaseConsent


@dataclass(frozen=True)
class DerivedDeadline:
    label: str
    due: datetime.date
    source: str

    @property
    def is_past(self) -> bool:
        return self.due < timezone.localdate()


def derived_deadlines(case: Case) -> list[DerivedDeadline]:
    """The help plan's next review, the end of the latest grant's period and the
    expiry of each running consent."""
    found: list[DerivedDeadline] = []
    review = (
        HelpPlanVersion.objects.filter(plan__case=case)
        .order_by("-number")
        .only("number", "next_review")
        .first()
    )
    if review is not None:
        found.append(
            DerivedDeadline(
                "Nächste Überprüfung des Hilfeplans",
                review.next_review,
                f"Hilfeplan, Fassung {review.number}",
            )
        )
    grant = (
        Decision.objects.filter(
            case=case, outcome=Decision.Outcome.GRANTED, valid_until__isnull=False
        )
        .order_by("-decided_at", "-pk")
        .only("reference", "valid_until")
        .first()
    )
    if grant is not None and grant.valid_until is not None:
        found.append(
            DerivedDeadline("Bewilligung endet", grant.valid_until, f"Bescheid {grant.reference}")
        )
    consents = (
        CaseConsent.objects.filter(case=case, valid_until__isnull=False)
        .valid()
        .filter(renewals__isnull=True)
        .order_by("valid_until")
    )
    found.extend(
        DerivedDeadline(
            "Einwilligung läuft ab",
            consent.valid_until,
            ", ".join(consent.purpose_labels),
        )
        for consent in consents
        if consent.valid_until is not None
    )
    return sorted(found, key=lambda deadline: deadline.due)
