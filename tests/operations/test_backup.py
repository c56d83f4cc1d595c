"""make backup / make restore, end to end: the demo survives the round trip.

Backs up the demo seeded into the test database and restores it with the
commands an operator runs, into a fresh database on the same server.
"""

import io
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from apps.operations.backup import client_binary

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _url(database: str) -> str:
    """The test server's URL for another database (TCP, or the embedded server's socket)."""
    params = connection.settings_dict
    auth = quote(params["USER"]) + (
        f":{quote(params['PASSWORD'])}" if params.get("PASSWORD") else ""
    )
    options = params.get("OPTIONS") or {}
    host = params.get("HOST") or options.get("host") or ""
    port = params.get("PORT") or options.get("port") or ""
    if host.startswith("/"):
        return f"postgres://{auth}@/{database}?host={quote(host, safe='')}"
    return f"postgres://{auth}@{host or 'localhost'}:{port or 5432}/{database}"


@pytest.fixture
def fresh_database():
    name = f"restored_{secrets.token_hex(4)}"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(database: str, media: Path, backups: Path, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "weimar_sozialraum.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": _url(database),
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_BACKUP_DIR": str(backups),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _row_counts(database: str) -> dict[str, int]:
    with psycopg.connect(_url(database)) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


# Through the login form, as a person would; the test run stored MD5 hashes.
LOGIN = (
    "import django; django.setup()\n"
    "from django.conf import settings\n"
    "settings.PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']\n"
    "from django.test import Client\n"
    "from django.urls import reverse\n"
    "c = Client(HTTP_HOST='localhost')\n"
    "c.post(reverse('accounts:login'), {'username': 'familienamt', 'password': 'weimar-demo'})\n"
    "print('_auth_user_id' in c.session)\n"
)


def _log_in(client, username: str) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": "weimar-demo"}
    )
    assert response.status_code == 302


# Committed data, so that pg_dump (another process) sees the demo.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_survives_backup_and_restore_into_a_fresh_database(
    fresh_database, tmp_path, settings, client
):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    settings.MEDIA_ROOT = media = tmp_path / "media"
    restored_media, backups = tmp_path / "restored", tmp_path / "backups"
    call_command("seed_demo", stdout=io.StringIO())
    # Logins write to the access log, so there is a hash chain to carry over.
    _log_in(client, "familienamt")
    client.logout()
    _log_in(client, "team-west")
    (media / "einwilligungen").mkdir(parents=True)
    (media / "einwilligungen" / "scan.pdf").write_bytes(b"%PDF-1.4 demo scan")
    out = io.StringIO()

    call_command("backup", "--dir", str(backups), stdout=out)

    archive = Path(out.getvalue().strip())
    assert archive.parent == backups and archive.name.startswith("sozialraum-")
    assert archive.stat().st_mode & 0o077 == 0  # personal data: owner only
    restored = _manage(fresh_database, restored_media, backups, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "Wiederhergestellt" in restored.stdout

    counts = _row_counts(connection.settings_dict["NAME"])
    assert counts["audit_accesslogentry"] >= 3 and counts["cases_case"] > 0
    assert _row_counts(fresh_database) == counts
    assert (restored_media / "einwilligungen" / "scan.pdf").read_bytes() == b"%PDF-1.4 demo scan"
    chain = _manage(fresh_database, restored_media, backups, "verify_access_log")
    assert chain.returncode == 0, chain.stderr
    assert "in Ordnung" in chain.stdout
    login = _manage(fresh_database, restored_media, backups, "shell", "-c", LOGIN)
    assert login.stdout.strip().splitlines()[-1] == "True", login.stderr

    again = _manage(fresh_database, restored_media, backups, "restore", str(archive))
    assert again.returncode != 0
    assert "nicht leer" in again.stderr
    forced = _manage(fresh_database, restored_media, backups, "restore", str(archive), "--force")
    assert forced.returncode == 0, forced.stderr
    assert _row_counts(fresh_database) == counts


def test_restore_names_a_missing_archive(tmp_path):
    result = _manage("postgres", tmp_path, tmp_path, "restore", str(tmp_path / "nope.tar"))

    assert result.returncode != 0
    assert "gibt es nicht" in result.stderr


def test_the_dump_tools_match_the_server_version():
    major = connection.pg_version // 10000
    binary = client_binary("pg_dump", major)

    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
    assert f") {major}." in version
