"""Secrets from files (container secrets, systemd credentials) instead of the environment."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from weimar_sozialraum.settings import secrets_from_files


def test_a_file_variable_sets_the_variable_from_the_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("s3cr3t-from-file\n")
    environ = {"DJANGO_SECRET_KEY_FILE": str(secret), "HOME_FILE": "/etc/passwd"}

    secrets_from_files(environ)

    assert environ["DJANGO_SECRET_KEY"] == "s3cr3t-from-file"
    assert "HOME" not in environ  # only our own variables are read from files


def test_both_the_variable_and_its_file_is_refused(tmp_path):
    secret = tmp_path / "url"
    secret.write_text("postgres://a@b/c")

    with pytest.raises(ImproperlyConfigured, match="nur eines davon"):
        secrets_from_files({"DATABASE_URL": "x", "DATABASE_URL_FILE": str(secret)})


def test_an_unreadable_file_stops_the_start(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="nicht lesbar"):
        secrets_from_files({"DJANGO_EMAIL_PASSWORD_FILE": str(tmp_path / "missing")})
