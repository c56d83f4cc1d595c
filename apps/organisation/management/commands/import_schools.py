from apps.organisation.imports import (
    ImportSummary,
    RowError,
    SchoolRow,
    parse_schools,
    write_schools,
)
from apps.organisation.management.commands._csv_import import CsvImportCommand


class Command(CsvImportCommand):
    help = (
        "Schulen aus einer CSV-Datei anlegen oder aktualisieren (Schlüssel: Schulnummer). "
        "Spalten: schulnummer;name;schulart;strasse;plz;stadtteil (docs/import-formats.md)."
    )

    def parse(self, text: str) -> tuple[list[SchoolRow], list[RowError]]:
        return parse_schools(text)

    def write(self, rows: list[SchoolRow]) -> ImportSummary:
        return write_schools(rows)

    def describe(self, summary: ImportSummary) -> str:
        return (
            f"Schulen: {summary.created} neu, {summary.updated} aktualisiert, "
            f"{summary.unchanged} unverändert."
        )
