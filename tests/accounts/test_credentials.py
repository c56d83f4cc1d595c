"""No account administrator can act as another person (issue 9).

The review's attack: an admin set a caseworker's password (or added a TOTP
device for them) in /verwaltung/ and logged in as that person. Every admin
path to another person's credentials is closed; passwords are set only by the
person, through a one-time link sent by e-mail.
"""

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.accounts.credentials import password_link
from apps.accounts.models import User, UserSession
from apps.audit.models import AccessLogEntry, Action

pytestmark = pytest.mark.django_db

ADMIN_URL = "/verwaltung/"
NEW_PASSWORD = "ein-langes-eigenes-passwort-42"


# The inline for role assignments expects its management form on every add/change.
NO_ROLES = {"role_assignments-TOTAL_FORMS": "0", "role_assignments-INITIAL_FORMS": "0"}


@pytest.fixture
def demo_admin(admin_user) -> User:
    """An account administrator as the demo has one: staff with the account rights."""
    admin_user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="accounts", content_type__model__in=["user", "roleassignment"]
        )
    )
    return User.objects.get(pk=admin_user.pk)


@pytest.fixture
def caseworker(west_member) -> User:
    west_member.email = "team-west@weimar.invalid"
    west_member.save(update_fields=["email"])
    return west_member


@pytest.fixture
def root(db) -> User:
    return User.objects.create_superuser("root", "root@weimar.invalid", "correct-horse-battery")


def _link_path(user: User) -> str:
    return password_link(user).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.mark.parametrize("persona", ["demo_admin", "root"])
def test_no_admin_can_open_or_post_another_persons_password_form(
    client, request, persona, caseworker
):
    client.force_login(request.getfixturevalue(persona))
    url = f"{ADMIN_URL}accounts/user/{caseworker.pk}/password/"
    before = User.objects.get(pk=caseworker.pk).password

    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 403
    assert User.objects.get(pk=caseworker.pk).password == before


def test_the_change_form_neither_shows_nor_links_the_password(client, demo_admin, caseworker):
    client.force_login(demo_admin)

    page = client.get(f"{ADMIN_URL}accounts/user/{caseworker.pk}/change/").content.decode()

    assert "/password/" not in page
    assert caseworker.password.split("$")[0] not in page


@pytest.mark.parametrize(
    "path", ["otp_totp/totpdevice/", "otp_totp/totpdevice/add/", "otp_static/staticdevice/"]
)
@pytest.mark.parametrize("persona", ["demo_admin", "root"])
def test_second_factor_device_pages_are_gone_from_the_admin(client, request, persona, path):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(ADMIN_URL + path).status_code == 404


def test_a_new_account_gets_no_password_from_the_admin_but_a_link_by_mail(
    client, demo_admin, django_capture_on_commit_callbacks
):
    client.force_login(demo_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{ADMIN_URL}accounts/user/add/",
            {
                "username": "neu-west",
                "first_name": "Nora",
                "last_name": "Neu",
                "email": "nora.neu@weimar.invalid",
                # What an attacker would add: ignored, the form has no such fields.
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "usable_password": "true",
                **NO_ROLES,
            },
        )

    assert response.status_code == 302
    created = User.objects.get(username="neu-west")
    assert not created.has_usable_password()
    assert not created.check_password(NEW_PASSWORD)
    (invite,) = mail.outbox
    assert invite.to == ["nora.neu@weimar.invalid"]
    assert "/passwort/" in invite.body
    assert NEW_PASSWORD not in invite.body


def test_a_new_account_needs_an_email_address(client, demo_admin):
    client.force_login(demo_admin)

    response = client.post(f"{ADMIN_URL}accounts/user/add/", {"username": "ohne-mail", **NO_ROLES})

    assert response.status_code == 200
    assert not User.objects.filter(username="ohne-mail").exists()
    assert mail.outbox == []


def test_the_admin_action_sends_a_link_and_sets_nothing(client, demo_admin, caseworker):
    client.force_login(demo_admin)
    before = User.objects.get(pk=caseworker.pk).password

    client.post(
        f"{ADMIN_URL}accounts/user/",
        {"action": "send_password_links", "_selected_action": [caseworker.pk]},
    )

    assert [m.to for m in mail.outbox] == [[caseworker.email]]
    assert User.objects.get(pk=caseworker.pk).password == before


def test_admin_changes_to_accounts_go_to_the_access_log(client, demo_admin, caseworker):
    client.force_login(demo_admin)

    client.post(
        f"{ADMIN_URL}accounts/user/",
        {"action": "delete_selected", "_selected_action": [caseworker.pk], "post": "yes"},
    )
    client.post(
        f"{ADMIN_URL}accounts/user/add/",
        {"username": "neu-nord", "email": "neu@weimar.invalid", **NO_ROLES},
    )

    entries = AccessLogEntry.objects.filter(user=demo_admin, path_name="admin")
    assert {(e.action, e.object_type) for e in entries} >= {
        (Action.DELETE, "user"),
        (Action.WRITE, "user"),
    }


# --- the one-time link --------------------------------------------------------------


def test_the_person_sets_their_password_once_and_every_session_ends(client, caseworker):
    other = type(client)()
    other.force_login(caseworker)
    assert UserSession.objects.filter(user=caseworker).exists()
    path = _link_path(caseworker)

    assert client.get(path).status_code == 200
    response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert User.objects.get(pk=caseworker.pk).check_password(NEW_PASSWORD)
    assert not UserSession.objects.filter(user=caseworker).exists()
    assert other.get(reverse("accounts:start")).status_code == 302  # logged out
    (notice,) = mail.outbox
    assert notice.to == [caseworker.email]
    assert "geändert" in notice.subject
    # Single use: the token covered the old password.
    again = client.get(path)
    assert again.status_code == 400
    assert "abgelaufen oder wurde schon verwendet" in again.content.decode()


def test_an_expired_link_is_refused(client, caseworker, settings):
    path = _link_path(caseworker)
    settings.PASSWORD_RESET_TIMEOUT = -1

    response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 400
    assert not User.objects.get(pk=caseworker.pk).check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (NEW_PASSWORD, "anders-als-das-erste-1", "nicht identisch"),
        ("kurz", "kurz", "zu kurz|mindestens 12 Zeichen"),
    ],
)
def test_a_bad_new_password_is_explained_and_nothing_changes(
    client, caseworker, first, second, message
):
    before = User.objects.get(pk=caseworker.pk).password

    response = client.post(
        _link_path(caseworker), {"new_password1": first, "new_password2": second}
    )

    assert response.status_code == 400
    assert re.search(message, response.content.decode())
    assert User.objects.get(pk=caseworker.pk).password == before
    assert mail.outbox == []


def test_a_forged_token_is_refused(client, caseworker):
    uid = urlsafe_base64_encode(force_bytes(caseworker.pk))

    response = client.get(reverse("accounts:password_set", args=[uid, "abc-123"]))

    assert response.status_code == 400


def test_the_link_page_needs_few_queries(client, caseworker, django_assert_max_num_queries):
    path = _link_path(caseworker)
    assert default_token_generator.check_token(caseworker, path.rstrip("/").rsplit("/", 1)[1])

    with django_assert_max_num_queries(3):
        client.get(path)
