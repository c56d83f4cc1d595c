from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from apps.operations.scheduler import SchedulerThread, beat


class Command(BaseCommand):
    help = (
        "Arbeitet die Aufgaben-Warteschlange in PostgreSQL ab (E-Mails, geplante Aufträge) "
        "und startet fällige geplante Aufträge. Mehrere Worker auf mehreren Rechnern "
        "teilen sich die Warteschlange sicher. Beenden mit Strg+C oder SIGTERM: die laufende "
        "Aufgabe wird noch zu Ende geführt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Alles Fällige abarbeiten, dann beenden."
        )
        parser.add_argument("--max-tasks", type=int, default=None, help="Nach N Aufgaben enden.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Sekunden Pause bei leerer Warteschlange."
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Keine geplanten Aufträge starten (wenn systemd-Timer sie starten).",
        )
        parser.add_argument("--worker-id", default="", help="Eindeutiger Name dieses Workers.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options["worker_id"] or get_random_string(32)
        worker = Worker(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=options["interval"],
            batch=options["batch"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not options["batch"],
            max_tasks=options["max_tasks"],
            worker_id=worker_id,
        )
        scheduler = None
        if options["batch"]:
            beat(worker_id, timezone.now())  # seen once, so /readyz knows it exists
        else:
            scheduler = SchedulerThread(
                worker_id, settings.SCHEDULER_TICK_SECONDS, schedule=not options["no_scheduler"]
            )
            scheduler.start()
        if not options["batch"]:
            worker.configure_signals()  # Ctrl-C / SIGTERM: finish the running task, then stop
        try:
            worker.run()
        finally:
            if scheduler is not None:
                scheduler.stop()
                scheduler.join(timeout=5)
