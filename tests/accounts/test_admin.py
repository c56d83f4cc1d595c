"""The Django admin (/verwaltung/) is for administrators: master data and accounts."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from apps.accounts.admin import RoleAssignmentInline, UserAdmin
from apps.accounts.models import Role, RoleAssignment, User

pytestmark = pytest.mark.django_db

ADMIN_URL = "/verwaltung/"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("familienamt_worker", 302),
        ("familienamt_lead", 302),
        ("school_leader", 302),
        ("west_member", 302),
        ("dpo", 302),
        ("admin_user", 200),
    ],
)
def test_only_staff_administrators_open_the_admin(client, login_as, persona, status):
    login_as(persona)

    response = client.get(ADMIN_URL)

    assert response.status_code == status
    if status == 302:
        assert response.url == f"{ADMIN_URL}login/?next={ADMIN_URL}"


def test_demo_admin_can_edit_master_data_and_accounts_but_is_no_superuser(client, demo_data):
    demo_admin = User.objects.get(username="admin")
    client.force_login(demo_admin)

    assert not demo_admin.is_superuser
    assert client.get(f"{ADMIN_URL}organisation/schule/").status_code == 200
    assert client.get(f"{ADMIN_URL}accounts/user/").status_code == 200
    assert client.get(f"{ADMIN_URL}auth/group/").status_code == 403


def test_demo_familienamt_account_is_not_staff(demo_data):
    assert not User.objects.get(username="familienamt").is_staff


def test_admin_cannot_raise_own_rights_or_give_themself_a_role(demo_data):
    demo_admin = User.objects.get(username="admin")
    other = User.objects.get(username="familienamt")
    request = RequestFactory().get("/")
    request.user = demo_admin
    inline = RoleAssignmentInline(User, admin.site)

    readonly = UserAdmin(User, admin.site).get_readonly_fields(request, demo_admin)

    assert {"is_superuser", "groups", "user_permissions"} <= set(readonly)
    assert not inline.has_add_permission(request, demo_admin)
    assert not inline.has_change_permission(request, demo_admin)
    assert not inline.has_delete_permission(request, demo_admin)
    assert inline.has_add_permission(request, other)


def test_admin_posting_a_role_for_themself_writes_nothing(client, demo_data):
    demo_admin = User.objects.get(username="admin")
    client.force_login(demo_admin)
    url = f"{ADMIN_URL}accounts/user/{demo_admin.pk}/change/"
    before = list(demo_admin.role_assignments.values_list("role", flat=True))

    client.post(
        url,
        {
            "username": "admin",
            "first_name": "Stefan",
            "last_name": "Richter",
            "email": "admin@demo.invalid",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "last_login_0": "",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "00:00:00",
            "role_assignments-TOTAL_FORMS": "1",
            "role_assignments-INITIAL_FORMS": "0",
            "role_assignments-0-role": Role.FAMILIENAMT,
        },
    )

    demo_admin.refresh_from_db()
    assert not demo_admin.is_superuser
    assert list(demo_admin.role_assignments.values_list("role", flat=True)) == before
    assert not RoleAssignment.objects.filter(user=demo_admin, role=Role.FAMILIENAMT).exists()
