"""Two database roles: the owner migrates, the application role runs the app.

The owner (``DATABASE_URL``) owns every table and runs ``migrate``; the web
application and the worker log in as the application role
(``settings.DATABASE_APP_ROLE``), which is no superuser, owns nothing, and on
append-only tables (the access log, the change history's snapshots) may only
INSERT and SELECT: it cannot UPDATE, DELETE or TRUNCATE them, cannot switch
their triggers off (that needs ownership) and cannot set
``session_replication_role`` (superuser only).

``migrate`` and ``flush`` switch to the owner for themselves (see the
commands of the same name in this app) and, after migrating, grant the
application role what it needs on every table, so new tables are covered.
"""

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management import CommandError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, ProgrammingError, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

# Tables the application may only append to and read; apps register theirs.
APPEND_ONLY_TABLES: set[str] = set()
CREDENTIALS = ("USER", "PASSWORD")


def register_append_only(model: type[models.Model]) -> None:
    APPEND_ONLY_TABLES.add(model._meta.db_table)


@contextmanager
def as_owner(alias: str = DEFAULT_DB_ALIAS) -> Iterator[BaseDatabaseWrapper]:
    """The connection ``alias``, logged in (or acting) as the owner for the block.

    Normally the connection is closed and reopened with the owner's
    credentials. The test suite logs in as the owner and *assumes* the
    application role (Django's ``assume_role`` option, i.e. ``SET ROLE``), so
    that a test's own transaction survives: there the role is reset instead.
    """
    connection = connections[alias]
    app_role = connection.settings_dict["OPTIONS"].get("assume_role")
    if app_role:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
        try:
            yield connection
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"SET ROLE {connection.ops.quote_name(app_role)}")
        return
    owner = settings.DATABASE_OWNER
    current = {key: connection.settings_dict[key] for key in CREDENTIALS}
    if current == {key: owner[key] for key in CREDENTIALS}:
        yield connection
        return
    connection.close()
    connection.settings_dict.update(owner)
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.update(current)


def provision_app_role(connection: BaseDatabaseWrapper, out: Any) -> None:
    """Create the application role if the owner may, and grant it its rights.

    ``out`` is the command's stdout.

    Runs as the owner after every ``migrate``. In production the role is
    created once by the administrator (docs/operations.md); here it only
    receives its grants on the tables the owner just created.
    """
    role = settings.DATABASE_APP_ROLE
    quoted = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"
        )
        (may_create_roles,) = cursor.fetchone()
        found = _role_flags(cursor, role)
        if found is None and may_create_roles:
            # A second migrate at the same moment may create it first.
            # The password of DATABASE_APP_URL, if any (compose: a server with password auth).
            password = settings.DATABASE_APP_PASSWORD or None
            with contextlib.suppress(ProgrammingError, IntegrityError):
                cursor.execute(
                    f"CREATE ROLE {quoted} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                    "NOREPLICATION NOBYPASSRLS PASSWORD %s",
                    [password],
                )
            found = _role_flags(cursor, role)
        if found is None:
            out.write(
                f"Die Anwendungsrolle {role} fehlt und der Eigentümer darf keine Rollen anlegen; "
                "siehe docs/operations.md.\n"
            )
            return
        if any(found):
            raise CommandError(
                f"Die Anwendungsrolle {role} ist Superuser, darf Rollen anlegen oder umgeht "
                "Zeilenrechte: so könnte sie das Zugriffsprotokoll umschreiben. "
                "Bitte eine eingeschränkte Rolle verwenden (docs/operations.md)."
            )
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}"
        )
        cursor.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}")
        for table in sorted(APPEND_ONLY_TABLES):
            name = connection.ops.quote_name(table)
            cursor.execute(f"REVOKE ALL ON {name} FROM {quoted}, PUBLIC")
            cursor.execute(f"GRANT SELECT, INSERT ON {name} TO {quoted}")


def _role_flags(cursor: object, role: str) -> tuple[bool, ...] | None:
    """Superuser, may create roles or databases, bypasses row security: all must be false."""
    cursor.execute(  # type: ignore[attr-defined]
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication "
        "FROM pg_roles WHERE rolname = %s",
        [role],
    )
    return cursor.fetchone()  # type: ignore[attr-defined]
