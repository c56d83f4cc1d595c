from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.dbroles import as_owner
from apps.operations import backup


class Command(BaseCommand):
    help = (
        "Sichert Datenbank (pg_dump) und hochgeladene Dateien in ein Archiv mit Zeitstempel "
        "und gibt dessen Pfad aus."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", type=Path, default=None, help="Zielordner (Standard: DJANGO_BACKUP_DIR)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # As the owner: the dump must contain everything, whatever the application may read.
        with as_owner():
            try:
                path = backup.create(options["dir"] or Path(settings.BACKUP_DIR))
            except backup.BackupError as error:
                raise CommandError(str(error)) from None
        self.stdout.write(str(path))
