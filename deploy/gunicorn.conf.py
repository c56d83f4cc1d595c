"""gunicorn for Sozialraum Weimar (container and systemd alike).

No access log: our own request log (apps.operations.middleware) names URL
patterns, never paths or query strings. Metrics of all worker processes are
added up through PROMETHEUS_MULTIPROC_DIR (a tmpfs).
"""

import os
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then: bounded memory over weeks of uptime.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files in memory: the root file system is read-only.
worker_tmp_dir = "/dev/shm"
accesslog = None
errorlog = "-"
# X-Forwarded-* are read by Django (DJANGO_BEHIND_PROXY); gunicorn trusts only local proxies.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):  # type: ignore[no-untyped-def]
    """Metrics of a previous run must not count again."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        for entry in Path(directory).glob("*.db"):
            entry.unlink()
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
