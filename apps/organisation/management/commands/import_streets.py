from apps.organisation.imports import (
    ImportSummary,
    RowError,
    StreetRow,
    parse_streets,
    write_streets,
)
from apps.organisation.management.commands._csv_import import CsvImportCommand


class Command(CsvImportCommand):
    help = (
        "Straßenverzeichnis aus einer CSV-Datei einlesen: alle Abschnitte der in der Datei "
        "genannten Straßen werden ersetzt, andere Straßen bleiben. "
        "Spalten: strasse;von;bis;seite;stadtteil (docs/import-formats.md)."
    )

    def parse(self, text: str) -> tuple[list[StreetRow], list[RowError]]:
        return parse_streets(text)

    def write(self, rows: list[StreetRow]) -> ImportSummary:
        return write_streets(rows)

    def describe(self, summary: ImportSummary) -> str:
        def count(number: int, one: str, many: str) -> str:
            return f"{number} {one if number == 1 else many}"

        return (
            f"Straßenverzeichnis: {count(len(summary.names), 'Straße', 'Straßen')} eingelesen, "
            f"{count(summary.created, 'Abschnitt', 'Abschnitte')} angelegt, "
            f"{count(summary.removed, 'alter Abschnitt', 'alte Abschnitte')} ersetzt."
        )
