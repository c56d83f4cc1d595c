from django.tasks import task

from apps.audit import retention


@task()
def apply_retention() -> int:
    """The scheduled deletion run; returns how many records were due."""
    return len(retention.apply())
