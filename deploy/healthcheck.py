"""Container health checks without curl in the image.

    python deploy/healthcheck.py          web: GET /healthz on this container
    python deploy/healthcheck.py worker   worker: this host's worker sent a heartbeat

Exit 0 when healthy, 1 otherwise.
"""

import http.client
import os
import socket
import sys


def web() -> bool:
    # Django checks the Host header: ask as the first configured host name.
    host = (os.environ.get("DJANGO_ALLOWED_HOSTS") or "localhost").split(",")[0].strip()
    port = int(os.environ.get("HEALTHCHECK_PORT", "8000"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
    try:
        connection.request("GET", "/healthz", headers={"Host": host})
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def worker() -> bool:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weimar_sozialraum.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from apps.operations.models import WorkerHeartbeat

    since = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    mine = WorkerHeartbeat.objects.filter(hostname=socket.gethostname()[:255])
    return mine.filter(last_seen__gte=since).exists()


if __name__ == "__main__":
    healthy = worker() if sys.argv[1:] == ["worker"] else web()
    sys.exit(0 if healthy else 1)
