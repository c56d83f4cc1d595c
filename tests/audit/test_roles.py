"""The attacks of the security review, tried with the application's own login.

Each test logs in to the test database exactly as the web application and the
worker do (``DATABASES["default"]``'s role, no ``SET ROLE``), with the access
log holding committed entries, and tries one way to rewrite the log.
"""

from collections.abc import Iterator

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from apps.audit.chain import verify_chain
from apps.audit.log import log_event
from apps.audit.models import AccessLogEntry, Action

# Committed rows, as in production; the master data is restored afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TABLE = "audit_accesslogentry"


@pytest.fixture
def app_login() -> Iterator[psycopg.Connection]:
    """A fresh session logged in as the application role, autocommit like Django."""
    params = connection.get_connection_params()
    params.pop("context", None)
    params.pop("cursor_factory", None)
    params.update(
        user=settings.DATABASE_APP_ROLE, password=settings.DATABASES["default"]["PASSWORD"]
    )
    with psycopg.connect(**params, autocommit=True) as session:
        yield session


@pytest.fixture
def entries(familienamt_worker) -> list[AccessLogEntry]:
    return [
        log_event(familienamt_worker, Action.READ, object_type="case", object_id=n)
        for n in (1, 2, 3)
    ]


def _refused(session: psycopg.Connection, sql: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        session.execute(sql)


def test_the_application_role_is_no_superuser_and_owns_no_table(app_login):
    row = app_login.execute(
        "SELECT r.rolsuper, r.rolcreaterole, r.rolbypassrls, "
        "(SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid) "
        "FROM pg_roles r WHERE r.rolname = current_user"
    ).fetchone()

    assert row == (False, False, False, 0)
    assert settings.DATABASE_OWNER["USER"] != settings.DATABASE_APP_ROLE


def test_the_application_role_may_append_and_read(app_login, entries):
    app_login.execute(
        f"INSERT INTO {TABLE} (action, username_attempted, object_type, object_id, "  # noqa: S608
        "object_reference, path_name, purpose) VALUES ('read', '', '', '', '', '', '')"
    )

    (count,) = app_login.execute(f"SELECT count(*) FROM {TABLE}").fetchone()  # noqa: S608
    assert count == len(entries) + 1
    assert verify_chain() == (count, None)


def test_switching_the_triggers_off_is_refused(app_login, entries):
    _refused(app_login, f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_accesslog_no_change")
    _refused(app_login, f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL")
    _refused(app_login, f"DROP TRIGGER audit_accesslog_no_change ON {TABLE}")


def test_replica_mode_which_skips_triggers_is_refused(app_login, entries):
    _refused(app_login, "SET session_replication_role = replica")


def test_delete_and_truncate_are_refused_even_with_the_old_escape_setting(app_login, entries):
    app_login.execute("SET audit.allow_truncate = on")

    _refused(app_login, f"DELETE FROM {TABLE}")  # noqa: S608
    _refused(app_login, f"TRUNCATE {TABLE}")

    assert AccessLogEntry.objects.count() == len(entries)


def test_recomputing_the_chain_with_the_triggers_own_function_is_refused(app_login, entries):
    _refused(
        app_login,
        f"UPDATE {TABLE} e SET purpose = 'umgeschrieben', "  # noqa: S608
        "hash = encode(sha256(convert_to(audit_accesslog_canonical(e), 'UTF8')), 'hex')",
    )

    assert verify_chain() == (len(entries), None)
    assert not AccessLogEntry.objects.filter(purpose="umgeschrieben").exists()


def test_the_application_role_cannot_become_the_owner(app_login):
    _refused(app_login, f'SET ROLE "{settings.DATABASE_OWNER["USER"]}"')
