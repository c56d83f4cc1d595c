import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.audit import retention


class Command(BaseCommand):
    help = (
        "Löscht Akten und Anfragen, deren Aufbewahrungsfrist abgelaufen ist, mit allen Inhalten. "
        "Mit --dry-run wird nur angezeigt, was gelöscht würde."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Nur anzeigen, nichts löschen.")
        parser.add_argument(
            "--stichtag",
            type=datetime.date.fromisoformat,
            default=None,
            help="Stichtag (JJJJ-MM-TT) statt heute, z. B. für eine Vorschau.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        items = retention.apply(dry_run=dry_run, today=options["stichtag"])
        if not items:
            self.stdout.write("Nichts abgelaufen: es wird nichts gelöscht.")
            return
        verb = "würde gelöscht" if dry_run else "gelöscht"
        for line in retention.describe(items):
            self.stdout.write(f"{line}  – {verb}")
        summary = f"{len(items)} Datensätze {'würden gelöscht' if dry_run else 'gelöscht'}."
        self.stdout.write(self.style.SUCCESS(summary) if not dry_run else summary)
