"""The pages of `make bench` in-process, one client, DEBUG off: ms per request and where it goes.

No server and no load: each page is requested ``--repeat`` times through Django's
test client with the production settings (DEBUG off, cached template loader,
JSON logging), after two warm-up requests. Prints the median ms per request, the
mean CPU ms of this process per request (Python only: the database server's work and
the wait for a busy machine's cores are not in it), the
mean ms of it spent waiting for SQL, building SQL (ORM) and rendering templates
(which includes SQL of lazy querysets read there), the queries per request, then cProfile's
top functions (``--top``) over all of it, so a per-request Python cost shows
without the noise of a load test.

Usage: DATABASE_URL=... .venv/bin/python bench/inprocess.py [--repeat 20] [--top 40]
       [--only NAME ...] [--sort tottime|cumulative] [--demo-db NAME]
The database needs the demo and ``manage.py generate_volume`` (small is enough).

``--demo-db`` names a second database on the same server holding the demo only
(``seed_demo``): each page is then requested from both in turn, request by
request, and a table sets its CPU per request at this volume against demo size
(issue 10's target: at most 1.5 times) and compares their numbers of queries
(the same at any size). Where the demo has no case with 200 timeline entries,
its case page is the team's case with the most entries.
"""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import PAGES, Page  # noqa: E402
from bench.run import BENCH_ADMIN, server_env  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    parser.add_argument("--no-profile", action="store_true", help="timings only")
    parser.add_argument("--sql", action="store_true", help="each statement's ms (last request)")
    parser.add_argument("--demo-db", help="a database with the demo only, on the same server")
    args = parser.parse_args()

    env = server_env(secrets.token_urlsafe(32))
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weimar_sozialraum.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    # Manifest storage needs collected files; the plain storage renders the same tags.
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]

    from django.core.cache import cache

    from apps.bench.middleware import QUERY_COUNT_HEADER

    main_db = Database(connection.settings_dict["NAME"])
    databases = [main_db, *([Database(args.demo_db)] if args.demo_db else [])]

    def use(database: Database) -> None:
        """Point the connection (and the cache's keys) at ``database``; not timed."""
        if connection.settings_dict["NAME"] != database.name:
            connection.close()
            connection.settings_dict["NAME"] = database.name
        # The steering page's snapshot is cached per filter, not per database.
        cache.key_prefix = database.name  # type: ignore[attr-defined]
        connection.ensure_connection()
        if not database.ids:
            database.ids = _page_ids()

    pages: list[Page] = [p for p in PAGES if not args.only or p.name in args.only]

    def client_for(database: Database, persona: str) -> Client:
        if persona not in database.clients:
            client = Client(secure=True)
            if persona == BENCH_ADMIN:
                raise SystemExit("bench-admin pages are not profiled")
            response = client.post(
                "/anmelden/", {"username": persona, "password": settings.DEMO_PASSWORD}
            )
            if response.status_code != 302:
                raise SystemExit(f"login of {persona} failed ({response.status_code})")
            database.clients[persona] = client
        return database.clients[persona]

    def request(page: Page, database: Database) -> tuple[int, int]:
        path = page.path.format(**database.ids)
        client = client_for(database, page.persona)
        response = client.post(path, page.form) if page.form else client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{page.name}: status {response.status_code}")
        return len(response.content), int(response[QUERY_COUNT_HEADER])

    db_seconds = 0.0
    statements: list[tuple[float, str]] = []

    def timed(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        nonlocal db_seconds
        started = time.perf_counter()
        try:
            return execute(sql, *args)
        finally:
            took = time.perf_counter() - started
            db_seconds += took
            statements.append((took * 1000, sql))

    # Where the rest goes: building SQL in the ORM (query compilation, outside the
    # statement itself) and rendering templates (outermost render only).
    phases = {"orm": 0.0, "templates": 0.0}
    depth = {"orm": 0, "templates": 0}
    counting = {"on": True}

    def phase(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def measured(*a: Any, **kw: Any) -> Any:
            depth[name] += 1
            started = time.perf_counter()
            try:
                return original(*a, **kw)
            finally:
                depth[name] -= 1
                if not depth[name] and counting["on"]:
                    phases[name] += time.perf_counter() - started

        return measured

    from django.db.models.sql.compiler import SQLCompiler
    from django.template.base import Template

    SQLCompiler.as_sql = phase("orm", SQLCompiler.as_sql)  # type: ignore[method-assign]
    Template.render = phase("templates", Template.render)  # type: ignore[method-assign]

    profiler = cProfile.Profile()
    print(
        f"{'page':40} {'ms p50':>8} {'ms min':>8} {'CPU ms':>7} {'SQL ms':>7} {'ORM ms':>7} "
        f"{'tmpl ms':>7} {'queries':>7} {'KB':>5}"
    )
    total = 0.0
    comparison: list[tuple[str, float, float, int, int]] = []
    for page in pages:
        for database in databases:
            use(database)
            request(page, database)
            request(page, database)
            database.size, database.queries = request(page, database)
            database.cpu = []
        times = []
        db_seconds = 0.0
        phases.update(orm=0.0, templates=0.0)
        # With --demo-db the two databases take turns request by request, so the
        # machine's noise hits both alike (as make bench interleaves its contenders).
        for _ in range(args.repeat):
            for database in databases:
                use(database)
                statements.clear()
                is_main = database is main_db
                counting["on"] = is_main  # SQL, ORM and template times: the main database's
                with connection.execute_wrapper(timed) if is_main else nullcontext():
                    start, cpu_start = time.perf_counter(), time.process_time()
                    if args.no_profile or not is_main:
                        request(page, database)
                    else:
                        profiler.runcall(request, page, database)
                    database.cpu.append((time.process_time() - cpu_start) * 1000)
                if is_main:
                    times.append((time.perf_counter() - start) * 1000)
        total += sum(times)
        print(
            f"{page.name:40} {statistics.median(times):8.1f} {min(times):8.1f} "
            f"{statistics.mean(main_db.cpu):7.1f} "
            f"{db_seconds * 1000 / args.repeat:7.1f} {phases['orm'] * 1000 / args.repeat:7.1f} "
            f"{phases['templates'] * 1000 / args.repeat:7.1f} "
            f"{main_db.queries:7d} {main_db.size / 1024:5.0f}"
        )
        if args.sql:
            for took, sql in statements:
                print(f"    {took:7.1f} ms  {' '.join(sql.split())[:300]}")
        for database in databases[1:]:
            comparison.append(_compared(page, main_db, database))
    print(f"total {total:.0f} ms for {len(pages) * args.repeat} requests")
    if comparison:
        _print_comparison(comparison)
    if not args.no_profile:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())


CASE_PAGES = {p.name for p in PAGES if "{timeline_case}" in p.path}


@dataclass
class Database:
    """One database the pages are requested from, with its own logins and ids."""

    name: str
    ids: dict[str, Any] = field(default_factory=dict)
    clients: dict[str, Any] = field(default_factory=dict)
    cpu: list[float] = field(default_factory=list)
    size: int = 0
    queries: int = 0


def _page_ids() -> dict[str, Any]:
    """The ids the page paths name, in the database in use."""
    from apps.demo import volume
    from apps.organisation.models import Team
    from apps.reports.models import PublishedReport

    teams = {t.sozialraum.slug: t.pk for t in Team.objects.select_related("sozialraum")}
    return {
        "timeline_case": volume.timeline_case_id() or _busiest_case(teams["west"]),
        "team_west": teams["west"],
        "team_nord": teams["nord-schoendorf"],
        "published_report": PublishedReport.objects.order_by("-pk")
        .values_list("pk", flat=True)
        .first(),
    }


def _busiest_case(team_id: int) -> int | None:
    """The team's case with the most notes (the demo has no 200-entry case)."""
    from django.db.models import Count

    from apps.cases.models import Case

    return (
        Case.objects.filter(team_id=team_id)
        .annotate(entries=Count("notes"))
        .order_by("-entries", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def _compared(page: Page, here: Database, demo: Database) -> tuple[str, float, float, int, int]:
    # The least CPU of the requests: the machine's other work only adds to a request.
    name = f"{page.name} *" if page.name in CASE_PAGES else page.name
    return name, min(here.cpu), min(demo.cpu), here.queries, demo.queries


def _print_comparison(rows: list[tuple[str, float, float, int, int]]) -> None:
    """This volume's cost per request against demo size (issue 10: at most 1.5×)."""
    print("\nCPU ms: the least of a page's requests, the two databases taking turns")
    print(
        f"{'page':40} {'CPU ms':>7} {'demo':>7} {'×':>5} {'≤1.5':>5}"
        f" {'queries':>7} {'demo':>5} {'same':>5}"
    )
    for name, cpu, demo_cpu, queries, demo_queries in rows:
        ratio = cpu / demo_cpu
        within = "yes" if ratio <= 1.5 else "NO"
        print(
            f"{name:40} {cpu:7.1f} {demo_cpu:7.1f} {ratio:5.2f} {within:>5}"
            f" {queries:7d} {demo_queries:5d} {'yes' if queries == demo_queries else 'NO':>5}"
        )
    if any(row[0].endswith(" *") for row in rows):
        print(
            "* another case: the demo has none with 200 entries; its busiest case has kinds\n"
            "  of entries the volume's has not (a recommendation, a help plan): one query each."
        )


if __name__ == "__main__":
    main()
