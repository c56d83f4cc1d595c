"""The worker's scheduler loop: heartbeat, due jobs into the queue, orphans back.

Every worker runs this loop beside its task loop. Whichever worker first
moves a due job's ``next_run_at`` forward (one conditional UPDATE, so only
one can) puts a run into the task queue; the run itself is guarded by the
advisory lock in ``runner.py``.
"""

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.tasks import TaskResultStatus
from django.utils import timezone

from apps.operations.models import ScheduledJob, WorkerHeartbeat
from apps.operations.runner import job_state
from apps.operations.schedule import jobs

logger = logging.getLogger(__name__)


def beat(worker_id: str, started_at: datetime) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.bulk_create(
        [
            WorkerHeartbeat(
                worker_id=worker_id,
                hostname=socket.gethostname()[:255],
                pid=os.getpid(),
                started_at=started_at,
                last_seen=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["worker_id"],
        update_fields=["hostname", "pid", "last_seen"],
    )
    WorkerHeartbeat.objects.filter(last_seen__lt=now - timedelta(days=1)).delete()


def enqueue_due_jobs() -> list[str]:
    """Put every due job into the queue once; returns the names enqueued here."""
    from apps.operations.tasks import run_scheduled_job

    now = timezone.now()
    enqueued = []
    for job in jobs().values():
        state = job_state(job)
        if state.next_run_at > now:
            continue
        claimed = ScheduledJob.objects.filter(name=job.name, next_run_at=state.next_run_at).update(
            next_run_at=job.next_run_after(now)
        )
        if claimed:
            run_scheduled_job.enqueue(job.name)
            enqueued.append(job.name)
    return enqueued


def requeue_orphans() -> int:
    """Tasks left 'running' by a worker that stopped sending heartbeats go back to the queue."""
    from django_tasks_db.models import DBTaskResult

    stale = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(last_seen__gte=stale).values_list("worker_id", flat=True)
    )
    orphans = [
        result.pk
        for result in DBTaskResult.objects.running().filter(started_at__lt=stale).only("worker_ids")
        if not result.worker_ids or result.worker_ids[-1] not in alive
    ]
    if orphans:
        DBTaskResult.objects.filter(pk__in=orphans, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        logger.warning("requeued tasks of a vanished worker", extra={"count": len(orphans)})
    return len(orphans)


def tick(worker_id: str, started_at: datetime, *, schedule: bool = True) -> None:
    beat(worker_id, started_at)
    if schedule:
        enqueue_due_jobs()
    requeue_orphans()


class SchedulerThread(threading.Thread):
    """Heartbeat and orphan recovery always; due jobs unless systemd timers start them."""

    def __init__(self, worker_id: str, interval: float, *, schedule: bool = True) -> None:
        super().__init__(name="scheduler", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.schedule = schedule
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                close_old_connections()
                tick(self.worker_id, self.started_at, schedule=self.schedule)
            except Exception:
                # A database blip must not end the loop; the next tick tries again.
                logger.exception("scheduler tick failed")
            self.stopping.wait(self.interval)
        connection.close()

    def stop(self) -> None:
        self.stopping.set()
