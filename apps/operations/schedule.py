"""The scheduled jobs, defined once: the worker runs them, systemd timers may instead.

Registering a job is one line in ``SCHEDULE``: a name, what to run (a
management command, or the dotted path of a task or function that needs no
arguments) and when (``every=`` an interval, or ``daily_at=`` a local time).
``manage.py run_job NAME`` runs one by hand or from a timer (``deploy/systemd``).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Job:
    name: str
    command: str = ""
    args: tuple[str, ...] = ()
    call: str = ""
    every: timedelta | None = None
    daily_at: time | None = None
    description: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if bool(self.command) == bool(self.call):
            raise ValueError(f"{self.name}: entweder command= oder call= angeben")
        if (self.every is None) == (self.daily_at is None):
            raise ValueError(f"{self.name}: entweder every= oder daily_at= angeben")

    @property
    def schedule(self) -> str:
        if self.daily_at is not None:
            return f"täglich {self.daily_at:%H:%M}"
        assert self.every is not None
        minutes = int(self.every.total_seconds() // 60)
        return f"alle {minutes} Minuten" if minutes % 60 else f"alle {minutes // 60} Stunden"

    def next_run_after(self, moment: datetime) -> datetime:
        if self.every is not None:
            return moment + self.every
        assert self.daily_at is not None
        local = timezone.localtime(moment)
        candidate = timezone.make_aware(datetime.combine(local.date(), self.daily_at))
        if candidate <= moment:
            candidate = timezone.make_aware(
                datetime.combine(local.date() + timedelta(days=1), self.daily_at)
            )
        return candidate

    def run(self) -> str:
        """Run the job here and now; returns a one-line summary without personal data."""
        if self.command:
            out = _LastLine()
            call_command(self.command, *self.args, stdout=out, stderr=out)
            return out.last
        target: Any = import_string(self.call)
        function: Callable[[], Any] = getattr(target, "call", target)  # a Task or a function
        result = function()
        return f"Ergebnis: {result}" if isinstance(result, int) else ""

    def systemd_timer(self) -> str:
        """The systemd timer that starts this job (``manage.py systemd_timers``)."""
        if self.daily_at is not None:
            when = f"OnCalendar=*-*-* {self.daily_at:%H:%M}:00 Europe/Berlin\nPersistent=true"
        else:
            assert self.every is not None
            seconds = int(self.every.total_seconds())
            when = f"OnBootSec=300\nOnUnitActiveSec={seconds}"
        return (
            "# Alternative to the worker's scheduler (then run the worker with --no-scheduler).\n"
            "# Written by `manage.py systemd_timers` from apps/operations/schedule.py.\n"
            f"[Unit]\nDescription=Sozialraum Weimar: {self.name} ({self.schedule})\n\n"
            f"[Timer]\n{when}\nRandomizedDelaySec=60\n"
            f"Unit=sozialraum-job@{self.name}.service\n\n"
            "[Install]\nWantedBy=timers.target\n"
        )


class _LastLine:
    """A stdout for call_command that keeps only the summary (the last line)."""

    def __init__(self) -> None:
        self.last = ""

    def write(self, text: str) -> None:
        lines = [line for line in text.splitlines() if line.strip()]
        if lines:
            self.last = lines[-1][:300]

    def flush(self) -> None:
        pass


SCHEDULE: tuple[Job, ...] = (
    Job("send_reminders", call="apps.casework.tasks.send_due_task_reminders", daily_at=time(6, 30)),
    Job("apply_retention", call="apps.audit.tasks.apply_retention", daily_at=time(2, 30)),
    # Signed checkpoints of the access log's chain head (journal, table, optional e-mail).
    Job("checkpoint_access_log", command="checkpoint_access_log", every=timedelta(hours=1)),
    Job("verify_access_log", command="verify_access_log", daily_at=time(3, 15)),
    Job(
        "prune_task_results",
        command="prune_db_task_results",
        args=("--min-age-days", "30", "--failed-min-age-days", "90"),
        daily_at=time(4, 0),
    ),
    Job("clear_sessions", command="clearsessions", daily_at=time(4, 30)),
    # One-time keys of create forms (double-submit guard), kept a week.
    Job("prune_submission_keys", call="apps.core.submissions.prune", daily_at=time(4, 45)),
)


def jobs() -> dict[str, Job]:
    from django.conf import settings

    return {job.name: job for job in getattr(settings, "SCHEDULED_JOBS", None) or SCHEDULE}
