"""What both import commands share: read, validate everything, then write or refuse."""

from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.organisation.imports import ImportFileError, ImportSummary, RowError, read_text


class CsvImportCommand(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV-Datei (UTF-8, Trennzeichen ';' oder ',')")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Nur prüfen, nichts speichern.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = read_text(options["file"])
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        rows, errors = self.parse(text)
        if errors:
            lines = "\n".join(str(error) for error in errors)
            raise CommandError(
                f"{len(errors)} Fehler in {options['file']}, nichts wurde gespeichert:\n{lines}"
            )
        if options["dry_run"]:
            self.stdout.write(f"{len(rows)} Zeilen geprüft, keine Fehler. Nichts gespeichert.")
            return
        self.stdout.write(self.style.SUCCESS(self.describe(self.write(rows))))

    def parse(self, text: str) -> tuple[Sequence[Any], list[RowError]]:
        raise NotImplementedError

    def write(self, rows: Any) -> ImportSummary:
        raise NotImplementedError

    def describe(self, summary: ImportSummary) -> str:
        raise NotImplementedError
