"""Failed tasks come back later, and their error is kept without personal data.

django-tasks-db marks a task that raised as failed and keeps the traceback.
Here a failed task goes back to the queue with exponential back-off until
``TASK_MAX_ATTEMPTS`` is reached: a mail relay that is down for a few hours
loses no mail. A task that used up its attempts stays failed and visible in
the admin, where it can be put back in the queue by hand.

Exception *messages* can quote data (an SMTP refusal names the recipient's
address, an integrity error the row's values), so only the frames and the
exception's class are stored.
"""

import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.tasks import TaskResultStatus
from django.utils import timezone

# Tasks that must not be repeated on failure: a scheduled job's next run is
# its retry, and its outcome is recorded on the job.
NOT_RETRIED = {"apps.operations.tasks.run_scheduled_job"}

_FRAME = re.compile(r'^  File "[^"]*", line \d+, in \S+$')
_EXCEPTION = re.compile(r"^([A-Za-z_][\w.]*)(:|$)")
_MARKERS = (
    "Traceback (most recent call last):",
    "During handling of the above exception, another exception occurred:",
    "The above exception was the direct cause of the following exception:",
)


def backoff(attempt: int) -> timedelta:
    """Wait before attempt ``attempt + 1``: base, 2 × base, 4 × base … up to the cap."""
    base = settings.TASK_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** (attempt - 1), settings.TASK_RETRY_MAX_SECONDS))


def scrub_traceback(text: str) -> str:
    """Frames (file, line, function, code) and exception classes; no messages."""
    kept: list[str] = []
    after_frame = False
    for line in text.splitlines():
        if _FRAME.match(line):
            kept.append(line)
            after_frame = True
            continue
        if after_frame and line.startswith("    "):
            # The source line of the frame and the caret line under it: our code.
            kept.append(line)
            continue
        after_frame = False
        if line in _MARKERS:
            kept.extend(["", line] if kept else [line])
        elif match := _EXCEPTION.match(line):
            suffix = ": (Meldung nicht gespeichert)" if match.group(2) else ""
            kept.append(match.group(1) + suffix)
    return "\n".join(kept)


def on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    db_result = getattr(task_result, "db_result", None)
    if db_result is None or task_result.status != TaskResultStatus.FAILED:
        return  # the immediate backend in tests, or a success
    from django_tasks_db.models import DBTaskResult

    attempts = len(db_result.worker_ids)
    changes: dict[str, Any] = {"traceback": scrub_traceback(db_result.traceback)}
    if db_result.task_path not in NOT_RETRIED and attempts < settings.TASK_MAX_ATTEMPTS:
        # Back to the queue: the row keeps its id, its worker list counts the
        # attempts, and the scrubbed error stays visible until one succeeds.
        changes |= {
            "status": TaskResultStatus.READY,
            "run_after": timezone.now() + backoff(attempts),
            "finished_at": None,
        }
    DBTaskResult.objects.filter(pk=db_result.pk, status=TaskResultStatus.FAILED).update(**changes)
