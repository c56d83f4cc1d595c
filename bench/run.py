"""`make bench`: the pages at load, side by side with a raw twin and the Django admin.

Starts its own production-like servers (gunicorn, several workers, DEBUG off,
a fresh secret key, second factor off for the bench), logs in once per
persona and reuses the session cookie, then loads every page of
``bench/pages.py`` with 8 concurrent clients (wrk; a Python fallback when
wrk is missing). The contenders run interleaved, round after round, so the
noise of a shared machine hits all of them alike; each figure is the median
over the rounds. Queries per request are counted on the server (bench-only
middleware, response header) in one separate request per page.

Usage: DATABASE_URL=... .venv/bin/python bench/run.py [--seconds 5] [--rounds 3]
       [--workers 4] [--compare results.json --compare-label before] [--only NAME ...]
The database should hold the volume (``manage.py generate_volume --size full``).
"""

import argparse
import datetime
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import PAGES, REFERENCES, TWIN_OF, Page  # noqa: E402

RESULTS = ROOT / "bench" / "results"
VENV_BIN = ROOT / ".venv" / "bin"
CLIENTS = 8
BENCH_ADMIN = "bench-admin"
NOISE_NOTE = (
    "Shared, noisy 2-core machine: absolute times are inflated and vary between runs; "
    "the ratios (contenders interleaved, medians of rounds) are what to compare."
)


def server_env(secret: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secret,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_SECOND_FACTOR_REQUIRED="false",
        DJANGO_BENCH="true",
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- HTTP with a manual cookie jar (the session cookie is "Secure" with DEBUG off) --


@dataclass
class Session:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, body: str = "") -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": self.cookie_header, "Host": "127.0.0.1"}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(session: Session, path: str) -> str:
    status, _, content = session.request("GET", path)
    match = CSRF_INPUT.search(content)
    if status != 200 or match is None:
        raise SystemExit(f"No form at {path} (status {status}).")
    return match.group(1).decode()


def login(port: int, username: str, password: str) -> Session:
    session = Session(port)
    body = urllib.parse.urlencode(
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": csrf_token(session, "/anmelden/"),
        }
    )
    status, _, _ = session.request("POST", "/anmelden/", body)
    if status != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"Login of {username} failed (status {status}).")
    return session


# -- preparing the database and the twin -------------------------------------------------


@dataclass
class Prepared:
    ids: dict[str, int]
    admin_password: str
    twin_sql: list[str]
    twin_bytes: int
    persistent: bool
    volume: dict[str, int]


def prepare(env: dict[str, str]) -> Prepared:
    """Bench account, ids for the paths, and the case list's SQL captured from Django."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weimar_sozialraum.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.accounts.models import User
    from apps.demo import volume
    from apps.organisation.models import Team
    from apps.reports.models import PublishedReport

    case_id = volume.timeline_case_id()
    if case_id is None:
        raise SystemExit(
            "No case with a long timeline: run `manage.py generate_volume --size full` first."
        )
    teams = {t.sozialraum.slug: t.pk for t in Team.objects.select_related("sozialraum")}
    ids = {
        "timeline_case": case_id,
        "team_west": teams["west"],
        "team_nord": teams["nord-schoendorf"],
        # The demo publishes one council report (apps/demo/reports.py).
        "published_report": PublishedReport.objects.order_by("-pk")
        .values_list("pk", flat=True)
        .first(),
    }
    password = secrets.token_urlsafe(24)
    admin = User.objects.filter(username=BENCH_ADMIN).first() or User(username=BENCH_ADMIN)
    admin.is_staff = admin.is_superuser = admin.is_active = True
    admin.set_password(password)
    admin.save()

    client = Client(HTTP_HOST="127.0.0.1")
    client.post("/anmelden/", {"username": "familienamt", "password": settings.DEMO_PASSWORD})
    page = next(p for p in PAGES if p.name == TWIN_OF)
    client.get(page.path.format(**ids))  # the first request of a session warms caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.path.format(**ids))
    if response.status_code != 200:
        raise SystemExit(f"{TWIN_OF}: status {response.status_code} while capturing its SQL.")
    return Prepared(
        ids=ids,
        admin_password=password,
        twin_sql=[query["sql"] for query in captured.captured_queries],
        twin_bytes=len(response.content),
        persistent=bool(settings.DATABASES["default"].get("CONN_MAX_AGE")),
        volume=volume.counts(),
    )


# -- servers -------------------------------------------------------------------------


def start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{command[0]} stopped at once (exit {process.returncode}).")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit(f"{' '.join(command)} did not start listening on {port}.")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def gunicorn(app: str, port: int, workers: int) -> list[str]:
    return [
        str(VENV_BIN / "gunicorn"),
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--timeout",
        "120",
    ]


# -- load ------------------------------------------------------------------------------


@dataclass
class Target:
    page: Page
    port: int
    path: str
    cookie: str
    method: str = "GET"
    body: str = ""
    queries: str = "?"
    kilobytes: float = 0.0


@dataclass
class Sample:
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int


def run_wrk(target: Target, seconds: int) -> Sample:
    env = dict(os.environ, BENCH_COOKIE=target.cookie, BENCH_METHOD=target.method)
    env["BENCH_BODY"] = target.body
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CLIENTS}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(ROOT / "bench" / "wrk.lua"),
            f"http://127.0.0.1:{target.port}{target.path}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    data = json.loads(line.removeprefix("BENCH "))
    return Sample(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50=data["p50_us"] / 1000,
        p95=data["p95_us"] / 1000,
        p99=data["p99_us"] / 1000,
        errors=data["bad_status"] + data["socket_errors"],
    )


def run_python(target: Target, seconds: int) -> Sample:
    """Fallback without wrk: 8 threads with keep-alive connections."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    headers = {"Cookie": target.cookie, "Host": "127.0.0.1"}
    if target.body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=30)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            connection.request(
                target.method, target.path, body=target.body or None, headers=headers
            )
            response = connection.getresponse()
            response.read()
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                errors += response.status >= 400
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return Sample(len(latencies) / elapsed, quantiles[49], quantiles[94], quantiles[98], errors)


# -- the run ---------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    kind: str
    queries: str
    kilobytes: float
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int
    p95_target_ms: float


WARM_UP_SECONDS = 1
PROBES = 6


def measure(targets: list[Target], rounds: int, seconds: int) -> list[Result]:
    runner = run_wrk if shutil.which("wrk") else run_python
    samples: dict[str, list[Sample]] = {t.page.name: [] for t in targets}
    # One unrecorded second per contender under the same load first: one request warms
    # one of the workers only, and a cold worker (imports, template compilation,
    # PostgreSQL's catalog and plan caches of a new connection) made the first round
    # 20-30 % slower than the third.
    print(f"Warming up: {len(targets)} contenders × {WARM_UP_SECONDS} s …", flush=True)
    for target in targets:
        runner(target, WARM_UP_SECONDS)
    for number in range(rounds):
        # A different order each round: no contender always follows the heaviest.
        order = targets[number % len(targets) :] + targets[: number % len(targets)]
        for target in order:
            samples[target.page.name].append(runner(target, seconds))
            print(
                f"  round {number + 1}/{rounds} {target.page.name}: "
                f"{samples[target.page.name][-1].rps:.1f} req/s",
                flush=True,
            )
    results = []
    for target in targets:
        runs = samples[target.page.name]
        results.append(
            Result(
                name=target.page.name,
                kind=target.page.kind,
                queries=target.queries,
                kilobytes=target.kilobytes,
                rps=statistics.median(s.rps for s in runs),
                p50=statistics.median(s.p50 for s in runs),
                p95=statistics.median(s.p95 for s in runs),
                p99=statistics.median(s.p99 for s in runs),
                errors=sum(s.errors for s in runs),
                p95_target_ms=target.page.p95_target_ms,
            )
        )
    return results


def table(
    results: list[Result],
    compare: dict[str, Any] | None,
    label: str,
) -> list[str]:
    before = {r["name"]: r for r in compare["results"]} if compare else {}
    header = (
        f"{'page':<38} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'queries':>7} {'KB':>6}  p95<50"
    )
    if compare:
        header += f"  | {label + ' req/s':>14} {label + ' p95':>12} {'speed-up':>8}"
    lines = [header, "-" * len(header)]
    for r in results:
        target = "" if r.kind != "page" else ("yes" if r.p95 < r.p95_target_ms else "NO")
        line = (
            f"{r.name:<38} {r.rps:>7.1f} {r.p50:>8.1f} {r.p95:>8.1f} {r.p99:>8.1f} "
            f"{r.queries:>7} {r.kilobytes:>6.0f}  {target:<6}"
        )
        if r.errors:
            line += f"  ({r.errors} errors)"
        old = before.get(r.name)
        if old:
            line += (
                f"  | {old['rps']:>14.1f} {old['p95']:>12.1f} {r.rps / old['rps']:>7.1f}×"
                f"  (queries {old['queries']})"
            )
        lines.append(line)
    by_name = {r.name: r for r in results}
    page, twin, admin = (
        by_name.get(TWIN_OF),
        next((r for r in results if r.kind == "twin"), None),
        next((r for r in results if r.kind == "admin"), None),
    )
    lines.append("")
    if page and twin:
        lines.append(f"{TWIN_OF} / raw twin throughput: {page.rps / twin.rps:.2f} (target ≥ 0.25)")
    if page and admin:
        lines.append(
            f"{TWIN_OF} / Django admin changelist throughput: {page.rps / admin.rps:.1f}× "
            "(target ≥ 20×)"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 5)))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 3)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 4)))
    parser.add_argument("--compare", type=Path, default=os.environ.get("BENCH_COMPARE") or None)
    parser.add_argument("--compare-label", default=os.environ.get("BENCH_COMPARE_LABEL", "before"))
    parser.add_argument("--only", nargs="*", help="page names (default: all)")
    parser.add_argument("--label", default=os.environ.get("BENCH_LABEL", ""))
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL to the database with the volume (generate_volume).")

    env = server_env(secrets.token_urlsafe(50))
    subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    prepared = prepare(env)
    RESULTS.mkdir(parents=True, exist_ok=True)
    sql_file = RESULTS / "twin-sql.json"
    sql_file.write_text(json.dumps(prepared.twin_sql), encoding="utf-8")
    twin_env = dict(
        env,
        BENCH_TWIN_SQL=str(sql_file),
        BENCH_TWIN_BYTES=str(prepared.twin_bytes),
        BENCH_TWIN_PERSISTENT="1" if prepared.persistent else "0",
    )
    django_port, twin_port = free_port(), free_port()
    servers = [
        start(gunicorn("weimar_sozialraum.wsgi", django_port, args.workers), env, django_port),
        start(gunicorn("bench.raw_twin:app", twin_port, args.workers), twin_env, twin_port),
    ]
    loadavg_before = os.getloadavg()
    try:
        from django.conf import settings

        passwords = {BENCH_ADMIN: prepared.admin_password}
        sessions: dict[str, Session] = {}
        targets = []
        for page in PAGES + REFERENCES:
            if args.only and page.name not in args.only and page.kind == "page":
                continue
            if page.kind == "twin":
                probe = Session(twin_port)
                target = Target(page, twin_port, "/", "")
            else:
                if page.persona not in sessions:
                    password = passwords.get(page.persona, settings.DEMO_PASSWORD)
                    sessions[page.persona] = login(django_port, page.persona, password)
                probe = sessions[page.persona]
                path = page.path.format(**prepared.ids)
                target = Target(page, django_port, path, "")
                if page.form:
                    form = dict(page.form, csrfmiddlewaretoken=csrf_token(probe, path))
                    target.method, target.body = "POST", urllib.parse.urlencode(form)
            target.cookie = probe.cookie_header
            # The fewest queries of a few requests: a worker's first view of the steering
            # page counts its figures, and the once-a-minute session save adds two.
            counted = []
            for _ in range(PROBES):
                status, headers, content = probe.request(target.method, target.path, target.body)
                if status != 200:
                    raise SystemExit(f"{page.name}: {target.method} {target.path} → {status}")
                counted.append(headers.get("x-bench-queries", "?"))
            target.queries = min(counted, key=lambda q: int(q) if q.isdigit() else 0)
            target.kilobytes = len(content) / 1024
            target.cookie = probe.cookie_header
            targets.append(target)
        print(f"Measuring {len(targets)} contenders, {args.rounds} rounds × {args.seconds} s …")
        results = measure(targets, args.rounds, args.seconds)
    finally:
        for server in servers:
            stop(server)
    loadavg_after = os.getloadavg()

    compare = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    lines = [
        f"make bench {stamp} UTC · commit {commit} {args.label}".rstrip(),
        f"gunicorn × {args.workers} workers, DEBUG off, {CLIENTS} concurrent clients "
        f"({'wrk' if shutil.which('wrk') else 'Python fallback'}), "
        f"{args.rounds} interleaved rounds × {args.seconds} s, medians; "
        f"persistent DB connections: {'yes' if prepared.persistent else 'no'}",
        "volume: " + ", ".join(f"{k} {v:,}" for k, v in prepared.volume.items()),
        f"load average before/after: {loadavg_before[0]:.1f} / {loadavg_after[0]:.1f}",
        NOISE_NOTE,
        "",
        *table(results, compare, args.compare_label),
    ]
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    (RESULTS / f"results-{stamp}.txt").write_text(text, encoding="utf-8")
    (RESULTS / f"results-{stamp}.json").write_text(
        json.dumps(
            {
                "stamp": stamp,
                "commit": commit,
                "volume": prepared.volume,
                "results": [asdict(r) for r in results],
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    print(f"Written to {RESULTS / f'results-{stamp}.txt'} (and .json)")


if __name__ == "__main__":
    main()
