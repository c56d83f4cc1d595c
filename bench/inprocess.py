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
       [--only NAME ...] [--sort tottime|cumulative]
The database needs the demo and ``manage.py generate_volume`` (small is enough).
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

    from apps.bench.middleware import QUERY_COUNT_HEADER
    from apps.demo import volume
    from apps.organisation.models import Team
    from apps.reports.models import PublishedReport

    teams = {t.sozialraum.slug: t.pk for t in Team.objects.select_related("sozialraum")}
    ids = {
        "timeline_case": volume.timeline_case_id(),
        "team_west": teams["west"],
        "team_nord": teams["nord-schoendorf"],
        "published_report": PublishedReport.objects.order_by("-pk")
        .values_list("pk", flat=True)
        .first(),
    }
    pages: list[Page] = [p for p in PAGES if not args.only or p.name in args.only]
    clients: dict[str, Client] = {}

    def client_for(persona: str) -> Client:
        if persona not in clients:
            client = Client(secure=True)
            if persona == BENCH_ADMIN:
                raise SystemExit("bench-admin pages are not profiled")
            response = client.post(
                "/anmelden/", {"username": persona, "password": settings.DEMO_PASSWORD}
            )
            if response.status_code != 302:
                raise SystemExit(f"login of {persona} failed ({response.status_code})")
            clients[persona] = client
        return clients[persona]

    def request(page: Page, client: Client) -> tuple[int, int]:
        path = page.path.format(**ids)
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

    def phase(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def measured(*a: Any, **kw: Any) -> Any:
            depth[name] += 1
            started = time.perf_counter()
            try:
                return original(*a, **kw)
            finally:
                depth[name] -= 1
                if not depth[name]:
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
    for page in pages:
        client = client_for(page.persona)
        request(page, client)
        request(page, client)
        size, queries = request(page, client)
        times = []
        cpu_started = time.process_time()
        db_seconds = 0.0
        phases.update(orm=0.0, templates=0.0)
        with connection.execute_wrapper(timed):
            for _ in range(args.repeat):
                statements.clear()
                start = time.perf_counter()
                if args.no_profile:
                    request(page, client)
                else:
                    profiler.runcall(request, page, client)
                times.append((time.perf_counter() - start) * 1000)
        cpu = (time.process_time() - cpu_started) * 1000 / args.repeat
        total += sum(times)
        print(
            f"{page.name:40} {statistics.median(times):8.1f} {min(times):8.1f} {cpu:7.1f} "
            f"{db_seconds * 1000 / args.repeat:7.1f} {phases['orm'] * 1000 / args.repeat:7.1f} "
            f"{phases['templates'] * 1000 / args.repeat:7.1f} "
            f"{queries:7d} {size / 1024:5.0f}"
        )
        if args.sql:
            for took, sql in statements:
                print(f"    {took:7.1f} ms  {' '.join(sql.split())[:300]}")
    print(f"total {total:.0f} ms for {len(pages) * args.repeat} requests")
    if not args.no_profile:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
