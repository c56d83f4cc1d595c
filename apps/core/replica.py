"""Reads that may come from a read replica: the steering reports.

With ``DATABASE_REPLICA_URL`` set, settings add the ``replica`` database and
:class:`ReplicaRouter`. Reads go to the replica only inside
:func:`replica_reads`, and on GET requests to the URL namespaces named in
``REPLICA_READ_NAMESPACES`` (``reports``) through :class:`ReplicaReadsMiddleware`.
Everything else, every write and every ``select_for_update``, stays on the
primary. A replica lags a little behind: fine for figures, never for a form
that is about to be saved.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads in this block may come from the replica (when one is configured)."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _reading_from_replica.get() and REPLICA in connections.settings:
            return REPLICA
        return None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


class ReplicaReadsMiddleware:
    """GET and HEAD requests to the reporting namespaces read from the replica.

    The switch is set in ``process_view`` (after URL resolution, once every
    access check in earlier middleware has passed) and reset when the
    response, rendered templates included, is complete.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            token = request.__dict__.pop("_replica_token", None)
            if token is not None:
                _reading_from_replica.reset(token)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        match = request.resolver_match
        if request.method not in ("GET", "HEAD") or match is None:
            return
        if set(match.namespaces) & set(getattr(settings, "REPLICA_READ_NAMESPACES", ())):
            request.__dict__["_replica_token"] = _reading_from_replica.set(True)
