from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.operations.runner import RunResult, UnknownJob, run_job
from apps.operations.schedule import jobs


class Command(BaseCommand):
    help = (
        "Führt einen geplanten Auftrag sofort aus (für systemd-Timer oder von Hand); "
        "läuft er gerade anderswo, wird übersprungen. Ohne Namen: Liste der Aufträge."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="Name des Auftrags, z. B. send_reminders")
        parser.add_argument(
            "--trigger", default="manual", choices=["manual", "timer"], help="Wer startet."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"]
        if not name:
            for job in jobs().values():
                self.stdout.write(f"{job.name:24} {job.schedule}")
            return
        try:
            result = run_job(name, trigger=options["trigger"])
        except UnknownJob:
            known = ", ".join(jobs())
            raise CommandError(f"Unbekannter Auftrag '{name}'. Bekannt: {known}") from None
        if result is RunResult.FAILED:
            raise CommandError(f"Auftrag {name} ist fehlgeschlagen (siehe Verwaltung).")
        if result is RunResult.SKIPPED:
            self.stdout.write(f"Auftrag {name} läuft bereits anderswo: übersprungen.")
            return
        self.stdout.write(f"Auftrag {name} erfolgreich.")
