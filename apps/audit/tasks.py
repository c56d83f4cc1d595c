from django.tasks import task

from apps.audit import retention


@task()
def apply_retention() -> int:
    """The scheduled deletion run; returns how many records were due."""
    return len(retention.apply())


@task()
def checkpoint_access_log() -> int:
    """Sign the chain's head (see apps.audit.anchor); returns the entry it confirms."""
    from apps.audit.anchor import write_checkpoint

    return write_checkpoint().seq
