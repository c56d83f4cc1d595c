import pytest
from django.test import Client

from apps.accounts.models import User

pytestmark = pytest.mark.django_db


def _attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post("/anmelden/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_this_username_from_this_address(client, west_member, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, west_member.username, "wrong-password")

    response = _attempt(client, west_member.username, "correct-horse-battery")

    assert response.status_code == 429
    assert "Zu viele Fehlversuche" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_attacker_elsewhere_cannot_lock_the_real_person_out(client, west_member, settings):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        _attempt(attacker, west_member.username, "guess", ip="203.0.113.9")

    response = _attempt(client, west_member.username, "correct-horse-battery", ip="10.0.0.1")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(west_member.pk)


def test_passwords_need_twelve_characters_and_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("kurz-123")
    with pytest.raises(ValidationError):
        validate_password("password1234")
    user = User(username="neu")
    user.set_password("ein-langes-sicheres-passwort")
    assert user.password.startswith("argon2")


def _attempt_via_proxy(client: Client, username: str, password: str, real_ip: str):
    return client.post(
        "/anmelden/",
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.2",  # every request arrives from the proxy
        HTTP_X_FORWARDED_FOR=f"203.0.113.250, {real_ip}",  # first entry: the client's own claim
    )


def test_behind_the_proxy_an_attacker_cannot_lock_out_a_colleague(client, west_member, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        _attempt_via_proxy(attacker, west_member.username, "guess", real_ip="198.51.100.66")

    response = _attempt_via_proxy(
        client, west_member.username, "correct-horse-battery", real_ip="198.51.100.10"
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(west_member.pk)


def test_behind_the_proxy_the_attacker_itself_is_locked(client, west_member, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt_via_proxy(client, west_member.username, "guess", real_ip="198.51.100.66")

    response = _attempt_via_proxy(
        client, west_member.username, "correct-horse-battery", real_ip="198.51.100.66"
    )

    assert response.status_code == 429
