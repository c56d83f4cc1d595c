"""Scheduled jobs: defined once, run by the worker, never twice at the same time."""

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.operations import scheduler
from apps.operations.models import ScheduledJob, WorkerHeartbeat
from apps.operations.runner import RunResult, run_job
from apps.operations.schedule import SCHEDULE, Job
from tests.operations import jobs as test_jobs

TEST_JOBS = (
    Job("slow", call="tests.operations.jobs.slow", every=timedelta(hours=1)),
    Job("quick", call="tests.operations.jobs.quick", every=timedelta(minutes=15)),
    Job("broken", call="tests.operations.jobs.broken", daily_at=time(3, 0)),
)


@pytest.fixture(autouse=True)
def _test_jobs(settings):
    settings.SCHEDULED_JOBS = TEST_JOBS
    test_jobs.runs.clear()
    test_jobs.started.clear()
    test_jobs.release.clear()


def _in_thread(target, results: list, name: str) -> threading.Thread:
    def run() -> None:
        try:
            results.append(target())
        finally:
            connection.close()

    return threading.Thread(target=run, name=name)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_never_run_the_same_job_at_once():
    results: list[RunResult] = []
    first = _in_thread(lambda: run_job("slow", trigger="worker"), results, "worker-1")
    second = _in_thread(lambda: run_job("slow", trigger="worker"), results, "worker-2")

    first.start()
    assert test_jobs.started.wait(timeout=10)
    second.start()
    second.join(timeout=10)
    test_jobs.release.set()
    first.join(timeout=10)

    assert results == [RunResult.SKIPPED, RunResult.OK]
    assert test_jobs.runs == ["worker-1"]
    assert ScheduledJob.objects.get(name="slow").last_outcome == ScheduledJob.Outcome.OK


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_schedulers_put_a_due_job_into_the_queue_only_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    scheduler.enqueue_due_jobs()  # creates the rows
    ScheduledJob.objects.update(next_run_at=timezone.now() - timedelta(seconds=1))
    barrier = threading.Barrier(2)
    results: list[list[str]] = []

    def tick() -> list[str]:
        barrier.wait(timeout=10)
        return scheduler.enqueue_due_jobs()

    threads = [_in_thread(tick, results, f"worker-{n}") for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert sorted(name for names in results for name in names) == ["broken", "quick", "slow"]
    assert DBTaskResult.objects.count() == 3
    assert all(job.next_run_at > timezone.now() for job in ScheduledJob.objects.all())


@pytest.mark.django_db
def test_the_worker_runs_a_due_job_and_the_admin_shows_how_it_went(
    real_queue, run_worker, operator_client
):
    scheduler.tick("worker-a", timezone.now())
    ScheduledJob.objects.filter(name__in=["quick", "broken"]).update(
        next_run_at=timezone.now() - timedelta(seconds=1)
    )

    scheduler.tick("worker-a", timezone.now())
    run_worker()

    quick = ScheduledJob.objects.get(name="quick")
    assert quick.last_outcome == ScheduledJob.Outcome.OK
    assert quick.last_message == "Ergebnis: 7"
    assert quick.last_trigger == "worker"
    assert quick.next_run_at > timezone.now() + timedelta(minutes=14)
    broken = ScheduledJob.objects.get(name="broken")
    assert broken.last_outcome == ScheduledJob.Outcome.FAILED
    assert broken.last_message == "builtins.ValueError"  # the class, not the text
    assert test_jobs.runs == ["quick"]
    # A failed job is not retried as a task: its next scheduled run is the retry.
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()

    page = operator_client.get("/verwaltung/operations/scheduledjob/")
    assert page.status_code == 200
    assert "täglich 03:00" in page.text
    assert "fehlgeschlagen" in page.text
    assert "Musterweg" not in page.text


@pytest.mark.django_db
def test_a_job_that_is_not_due_is_not_started(real_queue, run_worker):
    scheduler.tick("worker-a", timezone.now())
    scheduler.tick("worker-a", timezone.now())
    run_worker()

    assert test_jobs.runs == []
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_tasks_of_a_vanished_worker_go_back_to_the_queue(real_queue, settings, notification_task):
    settings.WORKER_STALE_SECONDS = 60
    long_ago = timezone.now() - timedelta(minutes=10)
    WorkerHeartbeat.objects.create(
        worker_id="gone", hostname="h", pid=1, started_at=long_ago, last_seen=long_ago
    )
    DBTaskResult.objects.filter(pk=notification_task).update(
        status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["gone"]
    )

    assert scheduler.requeue_orphans() == 1
    assert DBTaskResult.objects.get(pk=notification_task).status == TaskResultStatus.READY


@pytest.mark.django_db
def test_a_running_task_of_a_live_worker_is_left_alone(real_queue, settings, notification_task):
    settings.WORKER_STALE_SECONDS = 60
    long_ago = timezone.now() - timedelta(minutes=10)
    scheduler.beat("alive", long_ago)
    DBTaskResult.objects.filter(pk=notification_task).update(
        status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["alive"]
    )

    assert scheduler.requeue_orphans() == 0


@pytest.fixture
def notification_task(real_queue) -> str:
    from apps.notifications.tasks import send_notification_email

    return send_notification_email.enqueue(1).id


def test_daily_jobs_run_at_local_time_also_across_daylight_saving():
    job = Job("x", command="check", daily_at=time(2, 30))
    # 30 March 2026, 00:10 UTC = 02:10 Berlin summer time; the next run is 02:30 local.
    assert job.next_run_after(datetime(2026, 3, 30, 0, 10, tzinfo=UTC)) == datetime(
        2026, 3, 30, 0, 30, tzinfo=UTC
    )
    # After today's run: tomorrow, 02:30 local (winter time: 01:30 UTC).
    assert job.next_run_after(datetime(2026, 1, 5, 1, 31, tzinfo=UTC)) == datetime(
        2026, 1, 6, 1, 30, tzinfo=UTC
    )


def test_a_job_needs_exactly_one_target_and_one_schedule():
    with pytest.raises(ValueError):
        Job("x", command="check", call="a.b", every=timedelta(hours=1))
    with pytest.raises(ValueError):
        Job("x", command="check")


def test_the_project_schedule_names_the_known_jobs():
    names = {job.name for job in SCHEDULE}
    assert {"send_reminders", "apply_retention", "verify_access_log"} <= names


@pytest.mark.django_db
def test_run_job_runs_a_job_by_hand_and_refuses_unknown_names(capsys):
    call_command("run_job", "quick")
    assert "erfolgreich" in capsys.readouterr().out
    assert ScheduledJob.objects.get(name="quick").last_trigger == "manual"

    with pytest.raises(CommandError, match="Unbekannter Auftrag 'nope'"):
        call_command("run_job", "nope")
    with pytest.raises(CommandError, match="fehlgeschlagen"):
        call_command("run_job", "broken", "--trigger", "timer")


@pytest.mark.django_db
def test_the_real_schedule_runs_by_hand(settings, capsys):
    settings.SCHEDULED_JOBS = None
    call_command("run_job", "verify_access_log")
    assert "erfolgreich" in capsys.readouterr().out
    assert (
        "Zugriffsprotokoll in Ordnung"
        in ScheduledJob.objects.get(name="verify_access_log").last_message
    )


@pytest.mark.django_db
def test_a_worker_without_scheduler_still_reports_but_starts_no_jobs(real_queue):
    ScheduledJob.objects.create(
        name="quick", schedule="alle 15 Minuten", next_run_at=timezone.now()
    )

    scheduler.tick("timer-host", timezone.now(), schedule=False)

    assert WorkerHeartbeat.objects.filter(worker_id="timer-host").exists()
    assert DBTaskResult.objects.count() == 0
