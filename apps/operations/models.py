from django.db import models


class ScheduledJob(models.Model):
    """State of one scheduled job: when it runs next, how its last run went.

    The schedule itself is code (``apps/operations/schedule.py``); this row
    is what the workers share so that a due run is started exactly once.
    """

    class Outcome(models.TextChoices):
        NEVER = "", "noch nie gelaufen"
        RUNNING = "running", "läuft"
        OK = "ok", "erfolgreich"
        FAILED = "failed", "fehlgeschlagen"

    name = models.CharField("Auftrag", max_length=64, primary_key=True)
    schedule = models.CharField("Zeitplan", max_length=100)
    next_run_at = models.DateTimeField("nächster Lauf")
    last_started_at = models.DateTimeField("letzter Start", null=True, blank=True)
    last_finished_at = models.DateTimeField("letztes Ende", null=True, blank=True)
    last_outcome = models.CharField(
        "Ergebnis", max_length=10, choices=Outcome.choices, default=Outcome.NEVER, blank=True
    )
    # Our own summary line or an exception class, never an exception's text:
    # that may quote data (an address, a value from a row).
    last_message = models.CharField("Meldung", max_length=300, blank=True)
    last_trigger = models.CharField("ausgelöst durch", max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "geplanter Auftrag"
        verbose_name_plural = "geplante Aufträge"

    def __str__(self) -> str:
        return self.name

    @property
    def last_duration(self) -> float | None:
        if self.last_started_at and self.last_finished_at:
            return (self.last_finished_at - self.last_started_at).total_seconds()
        return None


class WorkerHeartbeat(models.Model):
    """A worker process says it is alive; /readyz and the metrics read this."""

    worker_id = models.CharField("Worker", max_length=64, primary_key=True)
    hostname = models.CharField("Rechner", max_length=255)
    pid = models.PositiveIntegerField("Prozess")
    started_at = models.DateTimeField("gestartet")
    last_seen = models.DateTimeField("zuletzt gemeldet", db_index=True)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = "Worker"
        verbose_name_plural = "Worker"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname})"
