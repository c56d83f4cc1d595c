"""Four eyes: roles that open case content and second-factor resets wait for the Leitung."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import approvals
from apps.accounts.models import ApprovalRequest, Role, RoleAssignment, User, UserSession
from apps.audit.models import AccessLogEntry
from apps.organisation.models import Traeger
from tests.cases.conftest import open_case, submit_referral

pytestmark = pytest.mark.django_db

ADMIN_URL = "/verwaltung/accounts/user/"
LIST = reverse("accounts:approvals")


def _decide_url(approval: ApprovalRequest) -> str:
    return reverse("accounts:approval_decide", args=[approval.pk])


def _change_data(user: User, *rows: dict) -> dict:
    """The admin's change form of ``user`` with their roles and ``rows`` added."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00",
    }
    existing = list(user.role_assignments.all())
    forms = [
        {
            "id": a.pk,
            "user": user.pk,
            "role": a.role,
            "school": a.school_id or "",
            "team": a.team_id or "",
            "employer": a.employer_id or "",
        }
        for a in existing
    ] + [{"user": user.pk, **row} for row in rows]
    data["role_assignments-TOTAL_FORMS"] = str(len(forms))
    data["role_assignments-INITIAL_FORMS"] = str(len(existing))
    for i, form in enumerate(forms):
        for key, value in form.items():
            data[f"role_assignments-{i}-{key}"] = "" if value is None else str(value)
    return data


@pytest.fixture
def west_case(school_leader, school_west, familienamt_worker):
    return open_case(submit_referral(school_leader, school_west), familienamt_worker)


@pytest.fixture
def admin_user(admin_user: User) -> User:
    """The persona with the account rights the demo's administrator has."""
    admin_user.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    return User.objects.get(pk=admin_user.pk)


@pytest.fixture
def second_lead(db) -> User:
    user = User.objects.create_user(username="fa-lead-2", email="lead2@example.org")
    RoleAssignment.objects.create(user=user, role=Role.FAMILIENAMT_LEITUNG)
    return user


def _grant_west_team_in_admin(client, admin_user, nord_member, team_west) -> ApprovalRequest:
    client.force_login(admin_user)
    awo = Traeger.objects.get(short_name="AWO")
    response = client.post(
        f"{ADMIN_URL}{nord_member.pk}/change/",
        _change_data(nord_member, {"role": Role.TEAM, "team": team_west.pk, "employer": awo.pk}),
        follow=True,
    )
    assert response.status_code == 200
    assert "Wartet auf Freigabe durch die Leitung" in response.content.decode()
    return ApprovalRequest.objects.get(subject=nord_member, status=ApprovalRequest.Status.PENDING)


def test_a_team_role_from_the_admin_opens_cases_only_after_the_leitung_approves(
    client, admin_user, nord_member, team_west, familienamt_lead, west_case
):
    case_url = reverse("cases:detail", args=[west_case.pk])
    approval = _grant_west_team_in_admin(client, admin_user, nord_member, team_west)

    assert approval.kind == ApprovalRequest.Kind.ROLE
    assert approval.requested_by == admin_user
    assert not RoleAssignment.objects.filter(user=nord_member, team=team_west).exists()
    client.force_login(nord_member)
    assert client.get(case_url).status_code == 404

    client.force_login(familienamt_lead)
    response = client.post(_decide_url(approval), {"decision": "approve"})

    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.APPROVED
    assert approval.decided_by == familienamt_lead
    client.force_login(nord_member)
    assert client.get(case_url).status_code == 200


def test_the_admin_message_and_log_do_not_claim_the_held_back_role(
    client, admin_user, nord_member, team_west
):
    _grant_west_team_in_admin(client, admin_user, nord_member, team_west)

    from django.contrib.admin.models import LogEntry

    entry = LogEntry.objects.filter(object_id=str(nord_member.pk)).latest("pk")
    assert "Rolle" not in entry.get_change_message()


def test_roles_without_case_content_take_effect_at_once(client, admin_user, nord_member):
    client.force_login(admin_user)

    client.post(
        f"{ADMIN_URL}{nord_member.pk}/change/",
        _change_data(nord_member, {"role": Role.DATENSCHUTZ}),
    )

    assert RoleAssignment.objects.filter(user=nord_member, role=Role.DATENSCHUTZ).exists()
    assert not ApprovalRequest.objects.exists()


def test_a_declined_role_never_takes_effect_and_needs_a_reason(
    client, admin_user, nord_member, team_west, familienamt_lead
):
    approval = _grant_west_team_in_admin(client, admin_user, nord_member, team_west)
    client.force_login(familienamt_lead)

    refused = client.post(_decide_url(approval), {"decision": "decline", "reason": " "})

    assert refused.status_code == 400
    assert "Bitte begründen Sie die Ablehnung." in refused.content.decode()
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.PENDING

    client.post(_decide_url(approval), {"decision": "decline", "reason": "Falsches Team"})

    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.DECLINED
    assert approval.reason == "Falsches Team"
    assert not RoleAssignment.objects.filter(user=nord_member, team=team_west).exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"decision": "maybe"},
        {"decision": "decline", "reason": "x" * 2001},
    ],
)
def test_bad_decisions_are_refused_with_a_message_and_nothing_changes(
    client, admin_user, nord_member, team_west, familienamt_lead, data
):
    approval = _grant_west_team_in_admin(client, admin_user, nord_member, team_west)
    client.force_login(familienamt_lead)
    entries = AccessLogEntry.objects.count()

    response = client.post(_decide_url(approval), data)

    assert response.status_code == 400
    assert "Es wurde nichts entschieden" in response.content.decode()
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.PENDING
    assert AccessLogEntry.objects.count() == entries


def test_nobody_approves_their_own_request_or_their_own_account(
    client, familienamt_lead, second_lead, nord_member, team_west
):
    awo = Traeger.objects.get(short_name="AWO")
    own = approvals.request_role(
        subject=nord_member,
        role=Role.TEAM,
        team=team_west,
        employer=awo,
        by=familienamt_lead,
    )
    about_me = approvals.request_second_factor_reset(subject=familienamt_lead, by=second_lead)
    client.force_login(familienamt_lead)

    page = client.get(LIST).content.decode()
    for approval in (own, about_me):
        response = client.post(_decide_url(approval), {"decision": "approve"})
        assert response.status_code == 403
        assert "entscheidet eine andere Person der Leitung" in response.content.decode()
        approval.refresh_from_db()
        assert approval.status == ApprovalRequest.Status.PENDING

    assert page.count('data-testid="approval-not-yours"') == 2
    assert not RoleAssignment.objects.filter(user=nord_member, team=team_west).exists()
    client.force_login(second_lead)
    assert client.post(_decide_url(own), {"decision": "approve"}).status_code == 302
    assert RoleAssignment.objects.filter(user=nord_member, team=team_west).exists()


def test_a_decided_request_is_not_decided_again(
    client, familienamt_lead, second_lead, admin_user, nord_member
):
    approval = approvals.request_second_factor_reset(subject=nord_member, by=admin_user)
    client.force_login(familienamt_lead)
    client.post(_decide_url(approval), {"decision": "decline", "reason": "Person erreicht"})
    client.force_login(second_lead)

    response = client.post(_decide_url(approval), {"decision": "approve"}, follow=True)

    assert "bereits entschieden" in response.content.decode()
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.DECLINED


def test_a_second_factor_reset_is_announced_and_done_only_on_approval(
    client, admin_user, familienamt_lead, west_member
):
    west_member.email = "tm-west@example.org"
    west_member.save(update_fields=["email"])
    TOTPDevice.objects.create(user=west_member, name="App", confirmed=True)
    StaticDevice.objects.create(user=west_member, name="Codes", confirmed=True)
    UserSession.objects.create(user=west_member, session_key="west-session")
    client.force_login(admin_user)

    client.post(
        ADMIN_URL,
        {"action": "request_second_factor_resets", "_selected_action": [west_member.pk]},
    )

    approval = ApprovalRequest.objects.get(kind=ApprovalRequest.Kind.SECOND_FACTOR_RESET)
    assert approval.subject == west_member
    assert [m.to for m in mail.outbox] == [["tm-west@example.org"]]
    assert "beantragt" in mail.outbox[0].subject
    assert TOTPDevice.objects.filter(user=west_member).exists()

    client.force_login(familienamt_lead)
    client.post(_decide_url(approval), {"decision": "approve"})

    assert not TOTPDevice.objects.filter(user=west_member).exists()
    assert not StaticDevice.objects.filter(user=west_member).exists()
    assert not UserSession.objects.filter(user=west_member).exists()
    assert len(mail.outbox) == 2
    assert "zurückgesetzt" in mail.outbox[1].subject


def test_requests_and_decisions_are_in_the_access_log(
    client, admin_user, nord_member, team_west, familienamt_lead
):
    approval = _grant_west_team_in_admin(client, admin_user, nord_member, team_west)
    client.force_login(familienamt_lead)
    client.post(_decide_url(approval), {"decision": "approve"})

    entries = AccessLogEntry.objects.filter(object_type="approvalrequest", object_id=approval.pk)
    assert sorted((e.user_id, e.purpose) for e in entries) == sorted(
        [
            (admin_user.pk, "Freigabe beantragt: Rolle mit Zugang zu Fallinhalten"),
            (familienamt_lead.pk, "Freigabe freigegeben: Rolle mit Zugang zu Fallinhalten"),
        ]
    )
    # The admin's change of the account itself is logged as before.
    assert AccessLogEntry.objects.filter(
        user=admin_user, object_type="user", object_id=nord_member.pk
    ).exists()


def test_the_leitung_sees_waiting_requests_on_the_start_page(
    client, admin_user, familienamt_lead, nord_member
):
    approvals.request_second_factor_reset(subject=nord_member, by=admin_user)
    client.force_login(familienamt_lead)

    page = client.get(reverse("accounts:start")).content.decode()

    assert 'data-testid="approvals-waiting"' in page


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    return len(queries)


def test_the_list_needs_the_same_queries_for_few_and_many_requests(
    client, admin_user, familienamt_lead
):
    client.force_login(familienamt_lead)
    people = [User.objects.create_user(username=f"p{i}") for i in range(6)]
    approvals.request_second_factor_reset(subject=people[0], by=admin_user)
    few = _list_queries(client)
    for person in people[1:]:
        approvals.request_second_factor_reset(subject=person, by=admin_user)

    assert _list_queries(client) == few
