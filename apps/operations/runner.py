"""Run a scheduled job at most once at a time, across all workers and machines.

A PostgreSQL advisory lock, keyed by the job's name, is held on this
connection while the job runs: a second worker, a systemd timer or a person
running ``manage.py run_job`` at the same moment finds it taken and skips.
The lock goes away with the connection if the process dies.
"""

import logging
from enum import StrEnum

from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from apps.operations.models import ScheduledJob
from apps.operations.schedule import Job, jobs

logger = logging.getLogger(__name__)

# First half of the two-part advisory lock key: this project's scheduled jobs.
LOCK_NAMESPACE = 7413


class RunResult(StrEnum):
    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"


class UnknownJob(LookupError):
    pass


def job_state(job: Job) -> ScheduledJob:
    state, created = ScheduledJob.objects.get_or_create(
        name=job.name,
        defaults={"schedule": job.schedule, "next_run_at": job.next_run_after(timezone.now())},
    )
    if not created and state.schedule != job.schedule:
        # The schedule changed in code: the next run follows the new one.
        state.schedule = job.schedule
        state.next_run_at = job.next_run_after(timezone.now())
        state.save(update_fields=["schedule", "next_run_at"])
    return state


def run_job(name: str, *, trigger: str) -> RunResult:
    """Run ``name`` now unless it is already running somewhere; record how it went."""
    job = jobs().get(name)
    if job is None:
        raise UnknownJob(name)
    job_state(job)
    if not _try_lock(name):
        logger.info("job skipped, already running", extra={"job": name})
        return RunResult.SKIPPED
    try:
        ScheduledJob.objects.filter(name=name).update(
            last_started_at=timezone.now(),
            last_finished_at=None,
            last_outcome=ScheduledJob.Outcome.RUNNING,
            last_message="",
            last_trigger=trigger,
        )
        try:
            message = job.run()
        except Exception as error:
            ScheduledJob.objects.filter(name=name).update(
                last_finished_at=timezone.now(),
                last_outcome=ScheduledJob.Outcome.FAILED,
                last_message=_describe(error),
            )
            logger.exception("job failed", extra={"job": name})
            return RunResult.FAILED
        ScheduledJob.objects.filter(name=name).update(
            last_finished_at=timezone.now(),
            last_outcome=ScheduledJob.Outcome.OK,
            last_message=message,
        )
        logger.info("job finished", extra={"job": name})
        return RunResult.OK
    finally:
        _unlock(name)


def _describe(error: Exception) -> str:
    # Our commands' CommandError texts are written for this log (ids, counts);
    # any other exception's text may quote data, so only its class is kept.
    if isinstance(error, CommandError):
        return str(error)[:300]
    return f"{type(error).__module__}.{type(error).__qualname__}"[:300]


def _try_lock(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [LOCK_NAMESPACE, name])
        (locked,) = cursor.fetchone()
    return bool(locked)


def _unlock(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [LOCK_NAMESPACE, name])
