"""Readiness checks: can this web process serve people right now?

Each check answers ``None`` when fine, else a short reason for the operator.
No check reveals data: only names of checks and fixed texts.
"""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from apps.operations.models import WorkerHeartbeat

# Migrations only ever move forward while a process lives: once all are
# applied, the graph need not be loaded from disk on every probe again.
_migrations_seen_applied = False


def database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "nicht erreichbar"
    return None


def migrations() -> str | None:
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return None
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "nicht prüfbar"
    if pending:
        return f"{len(pending)} nicht angewendet"
    _migrations_seen_applied = True
    return None


def worker() -> str | None:
    if not settings.READYZ_REQUIRES_WORKER:
        return None
    seen_since = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    try:
        alive = WorkerHeartbeat.objects.filter(last_seen__gte=seen_since).exists()
    except DatabaseError:
        return "nicht prüfbar"
    return None if alive else "kein Worker gemeldet"


CHECKS: dict[str, Callable[[], str | None]] = {
    "database": database,
    "migrations": migrations,
    "worker": worker,
}


def failing() -> dict[str, str]:
    """The checks that fail, by name; the later ones are skipped once the database is gone."""
    failed: dict[str, str] = {}
    for name, check in CHECKS.items():
        if "database" in failed:
            failed[name] = "nicht prüfbar"
            continue
        if (reason := check()) is not None:
            failed[name] = reason
    return failed
