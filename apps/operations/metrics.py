"""Prometheus metrics: requests per URL name, queries, the task queue, failed logins.

prometheus_client rather than our own text: gunicorn runs several worker
processes, and its multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``, a tmpfs
in the container) adds up their counters on each scrape. Queue and job
figures are read from the database at scrape time, so any web process gives
the same answer.
"""

import os
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Min, Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

disable_created_metrics()  # the *_created series only double the output

REQUESTS = Counter(
    "sozialraum_http_requests",
    "HTTP requests by URL name, method and status class",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "sozialraum_http_request_duration_seconds",
    "Time to answer a request, by URL name",
    ["view"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUERIES = Histogram(
    "sozialraum_http_request_queries",
    "Database queries per request, by URL name",
    ["view"],
    buckets=(1, 2, 5, 10, 20, 50, 100, 250),
)
LOGIN_FAILURES = Counter("sozialraum_login_failures", "Failed logins (wrong password or code)")


def on_login_failed(**kwargs: Any) -> None:
    LOGIN_FAILURES.inc()


class BackgroundWorkCollector(Collector):
    """Task queue and scheduled jobs, read from the database at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django_tasks_db.models import DBTaskResult, get_date_max

        from apps.operations.models import ScheduledJob, WorkerHeartbeat

        now = timezone.now()
        due = Q(status=TaskResultStatus.READY) & (
            Q(run_after__lte=now) | Q(run_after=get_date_max())
        )
        tasks = DBTaskResult.objects.aggregate(
            ready=Count("pk", filter=due),
            oldest=Min("enqueued_at", filter=due),
            waiting=Count("pk", filter=Q(status=TaskResultStatus.READY) & ~due),
            running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
            failed=Count("pk", filter=Q(status=TaskResultStatus.FAILED)),
        )
        queue = GaugeMetricFamily(
            "sozialraum_tasks", "Tasks in the queue by state", labels=["state"]
        )
        queue.add_metric(["ready"], tasks["ready"])
        queue.add_metric(["retry_wait"], tasks["waiting"])
        queue.add_metric(["running"], tasks["running"])
        queue.add_metric(["failed"], tasks["failed"])
        yield queue
        oldest = tasks["oldest"]
        yield GaugeMetricFamily(
            "sozialraum_tasks_oldest_ready_age_seconds",
            "Age of the oldest task waiting for a worker",
            value=(now - oldest).total_seconds() if oldest else 0,
        )
        stale = now - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        workers = WorkerHeartbeat.objects.filter(last_seen__gte=stale).count()
        yield GaugeMetricFamily(
            "sozialraum_workers_alive", "Workers that sent a heartbeat recently", value=workers
        )
        finished = GaugeMetricFamily(
            "sozialraum_job_last_finished_timestamp_seconds",
            "When a scheduled job last finished",
            labels=["job"],
        )
        failed = GaugeMetricFamily(
            "sozialraum_job_last_run_failed", "1 if the job's last run failed", labels=["job"]
        )
        for job in ScheduledJob.objects.only("name", "last_finished_at", "last_outcome"):
            if job.last_finished_at:
                finished.add_metric([job.name], job.last_finished_at.timestamp())
            failed.add_metric([job.name], int(job.last_outcome == ScheduledJob.Outcome.FAILED))
        yield finished
        yield failed


def exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        process_metrics = generate_latest(registry)
    else:
        process_metrics = generate_latest(REGISTRY)
    database = CollectorRegistry()
    database.register(BackgroundWorkCollector())
    return process_metrics + generate_latest(database)
