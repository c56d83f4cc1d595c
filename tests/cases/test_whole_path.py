"""Flag → triage → case → grant, through the pages, each persona doing their part."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.cases.models import Case, Decision
from apps.referrals.workflow import Status
from tests.cases.conftest import submit_referral

pytestmark = pytest.mark.django_db


def test_from_a_schools_flag_to_a_printed_bescheid(
    school_leader, school_west, familienamt_worker, west_member, provider
):
    fa, team = Client(), Client()
    fa.force_login(familienamt_worker)
    team.force_login(west_member)
    referral = submit_referral(school_leader, school_west)

    response = fa.post(
        reverse("cases:open", args=[referral.pk]), {"version": referral.version, "gender": "m"}
    )
    case = Case.objects.get()
    assert response.url == case.get_absolute_url()

    for target in (Status.APPLICATION, Status.ASSESSMENT, Status.HELP_PLAN):
        case.refresh_from_db()
        team.post(
            reverse("cases:move", args=[case.pk]), {"target": target, "version": case.version}
        )
    team.post(
        reverse("cases:recommend", args=[case.pk]),
        {"text": "Schulbegleitung 15 Stunden.", "hours_per_week": "15"},
    )
    case.refresh_from_db()
    page = team.post(
        reverse("cases:move", args=[case.pk]),
        {"target": Status.DECISION, "version": case.version},
        follow=True,
    ).text
    assert "<strong>das Familienamt</strong> seit" in page  # Am Zug

    case.refresh_from_db()
    decide_page = fa.get(reverse("cases:decide", args=[case.pk])).text
    assert "Schulbegleitung 15 Stunden." in decide_page
    response = fa.post(
        reverse("cases:decide", args=[case.pk]),
        {
            "version": case.version,
            "outcome": "granted",
            "help_kind": "sb_35a",
            "reason": "Bedarf nach § 35a SGB VIII festgestellt.",
            "hours_per_week": "15",
            "period": "school_year",
            "valid_from": "2026-08-01",
            "valid_until": "2027-07-31",
            "backdating_reason": "Die Schulbegleitung lief seit Beginn des Schuljahres.",
            "provider": provider.pk,
        },
        follow=True,
    )
    decision = Decision.objects.get()
    assert "15 Stunden pro Woche" in response.text
    assert provider.name in response.text

    letter = team.get(decision.get_absolute_url())
    assert letter.status_code == 200 and "bewilligt" in letter.text
    case.refresh_from_db()
    assert case.status == Status.RUNNING
    assert list(case.events.values_list("to_status", flat=True)) == [
        Status.WITH_TEAM,
        Status.APPLICATION,
        Status.ASSESSMENT,
        Status.HELP_PLAN,
        Status.HELP_PLAN,  # the recommendation
        Status.DECISION,
        Status.RUNNING,
    ]
