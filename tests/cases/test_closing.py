"""Closing a case asks why it ends (a choice list kept as data) and, for § 8a, the result."""

import pytest
from django.urls import reverse

from apps.cases.models import Case, ChildProtectionResult, ClosingReason, HelpKind
from apps.cases.services import case_transition
from apps.referrals.workflow import Status, TransitionNotAllowed

pytestmark = pytest.mark.django_db


def test_the_close_button_leads_to_a_confirm_step(client, west_member, west_case):
    client.force_login(west_member)

    response = client.post(
        reverse("cases:move", args=[west_case.pk]), {"target": Status.CLOSED, "version": 1}
    )

    assert response.url == reverse("cases:close", args=[west_case.pk])
    assert Case.objects.get(pk=west_case.pk).status == Status.WITH_TEAM


def test_closing_records_the_reason(client, west_member, west_case):
    client.force_login(west_member)
    reason = ClosingReason.objects.get(key="umzug")

    page = client.get(reverse("cases:close", args=[west_case.pk]))
    assert "Umzug / Wegzug" in page.text
    client.post(
        reverse("cases:close", args=[west_case.pk]), {"closing_reason": reason.pk, "version": 1}
    )

    case = Case.objects.get(pk=west_case.pk)
    assert (case.status, case.closing_reason) == (Status.CLOSED, reason)
    assert case.events.last().summary == "Status: Abgeschlossen (Umzug / Wegzug)"


def test_closing_without_a_reason_is_refused_and_nothing_changes(client, west_member, west_case):
    client.force_login(west_member)

    response = client.post(reverse("cases:close", args=[west_case.pk]), {"version": 1})

    assert response.status_code == 200
    assert "Bitte wählen Sie, warum der Fall endet." in response.text
    assert Case.objects.get(pk=west_case.pk).status == Status.WITH_TEAM


def test_the_service_refuses_to_close_without_a_reason(west_member, west_case):
    with pytest.raises(TransitionNotAllowed, match="Beendigungsgrund"):
        case_transition(
            case_id=west_case.pk, actor=west_member, target=Status.CLOSED, expected_version=1
        )


def test_a_child_protection_case_needs_the_assessment_result(client, west_member, west_case):
    Case.objects.filter(pk=west_case.pk).update(help_kind_id=HelpKind.KINDERSCHUTZ)
    client.force_login(west_member)
    reason = ClosingReason.objects.get(key="kein-bedarf")
    url = reverse("cases:close", args=[west_case.pk])

    refused = client.post(url, {"closing_reason": reason.pk, "version": 1})
    assert "Gefährdungseinschätzung" in refused.text
    assert Case.objects.get(pk=west_case.pk).status == Status.WITH_TEAM

    client.post(
        url,
        {"closing_reason": reason.pk, "child_protection_result": "latent", "version": 1},
    )
    case = Case.objects.get(pk=west_case.pk)
    assert case.child_protection_result == ChildProtectionResult.LATENT


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 200),
        ("familienamt_worker", 200),
        ("nord_member", 404),
        ("school_leader", 403),
    ],
)
def test_who_may_close(client, request, west_case, persona, status):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("cases:close", args=[west_case.pk])).status_code == status


def test_a_reason_switched_off_in_the_admin_is_no_longer_offered(client, west_member, west_case):
    ClosingReason.objects.filter(key="sonstiges").update(active=False)
    client.force_login(west_member)

    page = client.get(reverse("cases:close", args=[west_case.pk]))

    assert "Sonstiges" not in page.text
