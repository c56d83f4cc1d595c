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
       [--only NAME ...] [--sort tottime|cumulative] [--demo-url URL]
The database needs the demo and ``manage.py generate_volume`` (small is enough).

``--demo-url`` names a second database holding the demo only (``seed_demo``):
the same pages are then measured there too (in a second process), and a table
sets each page's CPU per request at this volume against demo size (issue 10's
target: at most 1.5 times) and compares their numbers of queries (the same at
any size). Where the demo has no case with 200 timeline entries, its case page
is the team's case with the most entries.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import statistics
import subprocess
import sys
import tempfile
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
    parser.add_argument("--demo-url", help="a database with the demo only, to compare with")
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)  # for --demo-url
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
        "timeline_case": volume.timeline_case_id() or _busiest_case(teams["west"]),
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
    measured: dict[str, dict[str, float]] = {}
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
        measured[page.name] = {"cpu": cpu, "queries": queries}
        if args.sql:
            for took, sql in statements:
                print(f"    {took:7.1f} ms  {' '.join(sql.split())[:300]}")
    print(f"total {total:.0f} ms for {len(pages) * args.repeat} requests")
    if args.json:
        args.json.write_text(json.dumps(measured), encoding="utf-8")
    if args.demo_url:
        _compare_with_demo(args, measured)
    if not args.no_profile:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())


CASE_PAGES = {p.name for p in PAGES if "{timeline_case}" in p.path}


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


def _compare_with_demo(args: argparse.Namespace, here: dict[str, dict[str, float]]) -> None:
    """The same pages on the demo-only database; this volume's cost against it."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [sys.executable, __file__, "--no-profile", "--repeat", str(args.repeat)]
        command += ["--json", out.name, *(["--only", *args.only] if args.only else [])]
        print(f"\n… the same pages on the demo database ({args.repeat} requests each)")
        subprocess.run(
            command,
            env={**os.environ, "DATABASE_URL": args.demo_url},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        demo = json.loads(Path(out.name).read_text(encoding="utf-8"))
    print(
        f"\n{'page':40} {'CPU ms':>7} {'demo':>7} {'×':>5} {'≤1.5':>5}"
        f" {'queries':>7} {'demo':>5} {'same':>5}"
    )
    for name, figures in here.items():
        other = demo[name]
        if name in CASE_PAGES:
            name += " *"
        ratio = figures["cpu"] / other["cpu"]
        same = figures["queries"] == other["queries"]
        print(
            f"{name:40} {figures['cpu']:7.1f} {other['cpu']:7.1f} {ratio:5.2f}"
            f" {'yes' if ratio <= 1.5 else 'NO':>5} {figures['queries']:7.0f}"
            f" {other['queries']:5.0f} {'yes' if same else 'NO':>5}"
        )
    if CASE_PAGES & here.keys():
        print(
            "* another case: the demo has none with 200 entries; its busiest case has kinds\n"
            "  of entries the volume's has not (a recommendation, a help plan): one query each."
        )


if __name__ == "__main__":
    main()
