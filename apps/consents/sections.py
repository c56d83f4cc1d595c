"""What consents add to the case page and its timeline."""

import datetime
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Value
from django.db.models.signals import post_save
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import CASEWORK_ROLES, User
from apps.cases.models import Case
from apps.consents.models import EXPIRY_WARNING_DAYS, CaseConsent
from apps.core import timeline
from apps.core.startpage import StartSection


def consents_section(request: HttpRequest, case: Any) -> StartSection | None:
    user = request.user
    if not isinstance(user, User) or not user.role_names & CASEWORK_ROLES:
        return None
    today = timezone.localdate()
    # One query however many consents: the recipients' names come aggregated.
    running = list(
        CaseConsent.objects.filter(case=case)
        .valid(today)
        .annotate(
            organisation_names=ArrayAgg(
                "recipient_organisations__short_name", distinct=True, default=Value([])
            ),
            school_names=ArrayAgg("recipient_schools__name", distinct=True, default=Value([])),
            provider_names=ArrayAgg("recipient_providers__name", distinct=True, default=Value([])),
        )
        .order_by("valid_until", "pk")
    )
    rows = [
        {
            "consent": consent,
            "names": [
                name
                for name in (
                    *consent.organisation_names,
                    *consent.school_names,
                    *consent.provider_names,
                )
                if name
            ],
        }
        for consent in running
    ]
    return StartSection(
        "Einwilligungen",
        "consents/section.html",
        {
            "case": case,
            "running": rows,
            "soon": today + datetime.timedelta(days=EXPIRY_WARNING_DAYS),
        },
    )


def _consent_text(consent: CaseConsent) -> str:
    parts = [f"erteilt von {consent.given_by} ({consent.relation}) am {consent.given_on:%d.%m.%Y}"]
    parts.append(consent.get_form_display())
    if consent.valid_until:
        parts.append(f"gültig bis {consent.valid_until:%d.%m.%Y}")
    if consent.withdrawn_at:
        parts.append(f"widerrufen am {timezone.localtime(consent.withdrawn_at):%d.%m.%Y}")
    if consent.scan:
        parts.append("Scan der Erklärung liegt vor")
    return " · ".join(parts)


def _consent(consent: CaseConsent, user: object) -> timeline.EntryText:
    """A consent on the timeline, with a link to its scan."""
    return timeline.EntryText(
        title=f"Einwilligung: {', '.join(consent.purpose_labels)}",
        text=_consent_text(consent),
        url=reverse("consents:scan", args=[consent.case_id, consent.pk]) if consent.scan else "",
        actor=str(consent.recorded_by) if consent.recorded_by else "",
    )


def provide_timeline() -> None:
    """Each consent recorded on the case, among the documents (called from ``ready``)."""
    timeline.provide_rows(
        timeline.DOCUMENTS,
        "Dokumente",
        lambda request, case: CaseConsent.objects.filter(case=case).select_related("recorded_by"),
        "recorded_at",
        _consent,
    )


def _carry_over(sender: type[Case], instance: Case, created: bool, **kwargs: Any) -> None:
    """A case opened from a request takes over the consents filed with the request."""
    if created and instance.referral_id is not None and not kwargs.get("raw"):
        from apps.consents.services import consents_carry_over

        consents_carry_over(instance)


def connect() -> None:
    post_save.connect(_carry_over, sender=Case, dispatch_uid="consents_carry_over")
