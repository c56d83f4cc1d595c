"""The raw twin: the physical limit of this stack for the case list.

A bare WSGI app with plain psycopg that sends exactly the statements Django
sent for one case-list request (captured by ``bench/run.py``) and answers
with a body of the same size. No templates, no middleware, no ORM: whatever
the real page costs beyond this is Python on our side.
"""

import json
import os
import re
from collections.abc import Callable, Iterable
from typing import Any

import psycopg

# Django reads ``.iterator()`` querysets through a server-side cursor (DECLARE … FOR);
# the twin runs the query itself and fetches all, as the cursor would.
DECLARE = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH(?:OUT)? HOLD FOR ', re.S)
with open(os.environ["BENCH_TWIN_SQL"], encoding="utf-8") as captured:
    STATEMENTS: list[str] = [DECLARE.sub("", statement) for statement in json.load(captured)]
# Django's count leaves out the transaction's BEGIN and COMMIT; so does the twin's.
QUERIES = sum(statement not in ("BEGIN", "COMMIT") for statement in STATEMENTS)
BODY_SIZE = int(os.environ["BENCH_TWIN_BYTES"])
# Mirrors Django's CONN_MAX_AGE: a new connection per request, or one per worker.
PERSISTENT = os.environ.get("BENCH_TWIN_PERSISTENT") == "1"
URL = os.environ["DATABASE_URL"]
_kept: psycopg.Connection[Any] | None = None


def _connection() -> psycopg.Connection[Any]:
    global _kept
    if PERSISTENT and _kept is not None and not _kept.closed:
        return _kept
    connection = psycopg.connect(URL, autocommit=True)
    if PERSISTENT:
        _kept = connection
    return connection


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    connection = _connection()
    rows = 0
    try:
        with connection.cursor() as cursor:
            for statement in STATEMENTS:
                cursor.execute(statement.encode())
                if cursor.description is not None:
                    rows += len(cursor.fetchall())
    finally:
        if not PERSISTENT:
            connection.close()
    body = f"<!doctype html><p>{rows}</p>".encode().ljust(BODY_SIZE, b" ")
    start_response(
        "200 OK",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("X-Bench-Queries", str(QUERIES)),
        ],
    )
    return [body]
