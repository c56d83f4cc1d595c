"""/healthz, /readyz and /metrics: no login, no data, correct with the database gone."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.notifications.tasks import send_notification_email
from apps.operations import health
from apps.operations.logformat import JsonFormatter
from apps.operations.models import ScheduledJob
from apps.operations.scheduler import beat

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def test_liveness_answers_without_login_and_without_a_session(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_ready_when_database_migrations_and_a_worker_are_fine(client):
    beat("worker-1", timezone.now())

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_not_ready_without_a_worker_names_the_check(client, settings):
    settings.WORKER_STALE_SECONDS = 60
    beat("worker-1", timezone.now() - timezone.timedelta(minutes=5))
    from apps.operations.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timezone.timedelta(minutes=5))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "nicht bereit",
        "failed": {"worker": "kein Worker gemeldet"},
    }


def test_not_ready_with_a_migration_missing(client, monkeypatch):
    beat("worker-1", timezone.now())
    monkeypatch.setattr(health, "_migrations_seen_applied", False)
    monkeypatch.setattr(
        "django.db.migrations.executor.MigrationExecutor.migration_plan",
        lambda self, targets: [("cases", "0099_new")],
    )

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failed"] == {"migrations": "1 nicht angewendet"}


def test_with_the_database_down_liveness_holds_and_readiness_names_the_database():
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='localhost')\n"
        "print(json.dumps([c.get('/healthz').status_code, c.get('/readyz').status_code, "
        "c.get('/readyz').json()]))\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "weimar_sozialraum.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",  # nothing listens there
        "DJANGO_LOG_LEVEL": "CRITICAL",
    }

    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    live, ready, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert (live, ready) == (200, 503)
    assert body["failed"]["database"] == "nicht erreichbar"


def test_metrics_only_from_allowed_addresses(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = [__import__("ipaddress").ip_network("10.1.0.0/16")]

    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.2.0.1").status_code == 403
    assert client.get("/metrics").status_code == 403  # 127.0.0.1 is not on this list


def test_behind_a_proxy_metrics_go_by_the_forwarded_client_address(client, settings):
    import ipaddress

    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.1.0.0/16")]
    settings.TRUSTED_PROXY_COUNT = 1

    allowed = client.get("/metrics", HTTP_X_FORWARDED_FOR="10.1.0.9", REMOTE_ADDR="127.0.0.1")
    refused = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.5", REMOTE_ADDR="10.1.0.2")

    assert (allowed.status_code, refused.status_code) == (200, 403)


def test_metrics_show_requests_by_url_name_queue_and_failed_logins(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.get(reverse("organisation:overview") + "?suche=Schr%C3%B6der")
    client.post(reverse("accounts:login"), {"username": "niemand", "password": "falsch-falsch"})
    send_notification_email.enqueue(1)

    text = client.get("/metrics").text

    assert (
        'sozialraum_http_requests_total{method="GET",status="2xx",view="organisation:overview"}'
        in text
    )
    assert (
        'sozialraum_http_request_duration_seconds_bucket{le="0.1",view="organisation:overview"}'
        in text
    )
    assert 'sozialraum_http_request_queries_count{view="organisation:overview"}' in text
    assert 'sozialraum_tasks{state="ready"} 1.0' in text
    assert "sozialraum_tasks_oldest_ready_age_seconds" in text
    assert "sozialraum_login_failures_total" in text
    assert "Schr" not in text and "niemand" not in text


def _metrics_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/metrics").status_code == 200
    return len(queries)


def test_metrics_cost_the_same_queries_for_one_job_and_task_or_many(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_notification_email.enqueue(1)
    ScheduledJob.objects.create(name="a", schedule="x", next_run_at=timezone.now())
    few = _metrics_queries(client)
    for number in range(20):
        send_notification_email.enqueue(number)
        ScheduledJob.objects.create(name=f"job{number}", schedule="x", next_run_at=timezone.now())

    assert _metrics_queries(client) == few


def test_the_request_log_names_the_url_pattern_never_the_path_or_query(client, west_member, caplog):
    client.force_login(west_member)
    with caplog.at_level(logging.INFO, logger="sozialraum.request"):
        client.get(reverse("organisation:overview") + "?suche=Schr%C3%B6der")

    (record,) = [r for r in caplog.records if r.name == "sozialraum.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["view"] == "organisation:overview"
    assert line["status"] == 200
    assert line["user_id"] == west_member.pk
    assert line["duration_ms"] >= 0
    assert line["queries"] >= 1
    assert "suche" not in json.dumps(line) and "Schr" not in json.dumps(line)
    assert "/sozialraeume/" not in json.dumps(line)


def test_json_logs_keep_exception_classes_but_not_their_messages():
    child = "Mia Beispiel"
    try:
        raise ValueError(f"Kind {child}")  # the frame's code line stays, the text goes
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "failed"
    assert "ValueError" in line["error"]
    assert "Mia" not in line["error"]
