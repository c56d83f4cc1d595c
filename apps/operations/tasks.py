from django.tasks import task

from apps.operations.runner import run_job


@task()
def run_scheduled_job(name: str) -> str:
    """A due scheduled job, run by whichever worker takes it from the queue."""
    return run_job(name, trigger="worker").value
