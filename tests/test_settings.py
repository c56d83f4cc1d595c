"""Production settings and the security headers every page carries.

Tests run with DJANGO_DEBUG=true; the production configuration is loaded in a
subprocess with the environment a server would have.
"""

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent
# Settings are only imported, never connected with, when no server is named.
UNUSED_DATABASE_URL = "postgres://nobody@127.0.0.1:1/none"


def _production_env(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="weimar_sozialraum.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="sozialraum.weimar.de",
        DJANGO_ACCESS_LOG_KEY=secrets.token_urlsafe(32),
        DATABASE_URL=os.environ.get("DATABASE_URL") or UNUSED_DATABASE_URL,
    )
    env.update(overrides)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=60
    )


def test_production_settings_pass_the_deploy_check():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_https_only():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.DEBUG, "
        "s.MAILERS['default']['BACKEND'].endswith('smtp.EmailBackend'))"
    )

    result = _run(["-c", script], _production_env())

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"] * 4 + ["False", "True"]


def test_settings_refuse_to_load_without_a_secret_key_in_production():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]

    result = _run(["-c", "import django; django.setup()"], env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_csp_allows_scripts_only_with_the_nonce(client):
    response = client.get(reverse("accounts:login"))

    script_src = _csp_directives(response)["script-src"]
    assert any(source.startswith("'nonce-") for source in script_src)
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "'unsafe-inline'" not in _csp_directives(response)["style-src"]


def test_every_script_tag_carries_the_nonce_of_its_response(client):
    """{% htmx_script %} reads ``csp_nonce`` from the context (django-htmx >= 1.23)."""
    response = client.get(reverse("accounts:login"))

    nonce = _nonce(response)
    scripts = _ScriptTags.collect(response.content.decode())
    htmx_scripts = [s for s in scripts if "htmx-2.min.js" in (s.get("src") or "")]
    assert len(htmx_scripts) == 1
    assert scripts
    assert all(s.get("nonce") == nonce for s in scripts)
    assert all(s.get("src") for s in scripts), "inline scripts are forbidden"


def test_each_response_gets_a_new_nonce(client):
    first = _nonce(client.get(reverse("accounts:login")))
    second = _nonce(client.get(reverse("accounts:login")))

    assert first != second


def test_pages_behind_the_login_are_never_cached(client, west_member):
    client.force_login(west_member)

    # Also a public page: once logged in, the header names the person.
    response = client.get(reverse("organisation:overview"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_error_pages_for_logged_in_people_are_not_cached_either(client, west_member):
    client.force_login(west_member)

    response = client.get("/gibt-es-nicht/")

    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_public_pages_for_anonymous_visitors_may_be_cached(client):
    response = client.get(reverse("organisation:overview"))

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_security_headers_are_set(client):
    response = client.get(reverse("accounts:login"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert _csp_directives(response)["frame-ancestors"] == ["'none'"]


def _csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def _nonce(response) -> str:
    match = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert match, response["Content-Security-Policy"]
    return match.group(1)


class _ScriptTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.tags.append(dict(attrs))

    @classmethod
    def collect(cls, html: str) -> list[dict[str, str | None]]:
        parser = cls()
        parser.feed(html)
        return parser.tags


_PRINT_SETTING = (
    "import django; django.setup(); from django.conf import settings; print(settings.{})"
)


@pytest.mark.parametrize("typo", ["ture", "flase", "maybe"])
def test_a_typo_in_a_security_switch_stops_the_start(typo):
    env = _production_env(DJANGO_SECOND_FACTOR_REQUIRED=typo)

    result = _run(["-c", "import django; django.setup()"], env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECOND_FACTOR_REQUIRED" in result.stderr


@pytest.mark.parametrize(("spelling", "expected"), [("Ja", "True"), ("off", "False"), ("", "True")])
def test_known_spellings_of_a_switch_are_understood(spelling, expected):
    env = _production_env(DJANGO_SECOND_FACTOR_REQUIRED=spelling)

    result = _run(["-c", _PRINT_SETTING.format("SECOND_FACTOR_REQUIRED")], env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_behind_the_proxy_one_proxy_is_trusted_by_default():
    env = _production_env(DJANGO_BEHIND_PROXY="true")

    result = _run(["-c", _PRINT_SETTING.format("TRUSTED_PROXY_COUNT")], env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
