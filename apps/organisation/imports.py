"""Reading the school list and the street directory from CSV files.

Parsing and validation are plain functions returning ``(rows, errors)`` so the
management commands and the demo seeder share them. Nothing is written while
parsing; the ``write_*`` functions take only validated rows and write them in
one transaction. The column layout is documented in ``docs/import-formats.md``.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from apps.organisation.models import Schule, Stadtteil, StreetSegment
from apps.organisation.routing import street_key

SCHOOL_COLUMNS = ("schulnummer", "name", "schulart", "strasse", "plz", "stadtteil")
SCHOOL_REQUIRED = ("schulnummer", "name", "schulart", "strasse", "stadtteil")
STREET_COLUMNS = ("strasse", "von", "bis", "seite", "stadtteil")
STREET_REQUIRED = ("strasse", "stadtteil")

DEFAULT_POSTCODE = "99423"
FIRST_HOUSE_NUMBER = 1
LAST_HOUSE_NUMBER = 9999

PARITY_WORDS = {
    "": StreetSegment.Parity.ALL,
    "alle": StreetSegment.Parity.ALL,
    "gerade": StreetSegment.Parity.EVEN,
    "ungerade": StreetSegment.Parity.ODD,
}

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Zeile {self.line}: {self.message}"


@dataclass(frozen=True)
class SchoolRow:
    line: int
    school_number: str
    name: str
    kind: str
    street: str
    postcode: str
    stadtteil: Stadtteil


@dataclass(frozen=True)
class StreetRow:
    line: int
    street: str
    number_from: int
    number_to: int
    parity: str
    stadtteil: Stadtteil

    @property
    def key(self) -> str:
        return street_key(self.street)


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    names: list[str] = field(default_factory=list)


class ImportFileError(ValueError):
    """The file cannot be read at all (not UTF-8, not found)."""


def read_text(path: str | Path) -> str:
    """The file's text; UTF-8 with or without a byte order mark."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise ImportFileError(f"Die Datei {path} kann nicht gelesen werden: {error}.") from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"Die Datei {path} ist nicht UTF-8-kodiert (Byte {error.start}). "
            "Bitte in der Tabellenkalkulation als „CSV UTF-8“ speichern."
        ) from error


def _fold(text: str) -> str:
    """Case, umlaut, space and punctuation tolerant form for matching names."""
    text = unicodedata.normalize("NFC", text).strip().lower().translate(_UMLAUTS)
    return re.sub(r"[^a-z0-9]+", "", text)


def _sniff_delimiter(header_line: str) -> str:
    # Excel in a German locale writes ';', most other tools ','. The header
    # holds no commas or semicolons of its own, so it decides reliably.
    return ";" if header_line.count(";") >= header_line.count(",") and ";" in header_line else ","


def _read_rows(
    text: str, columns: tuple[str, ...], required: tuple[str, ...]
) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """Data rows with their line numbers, keyed by the normalised header."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    first = next((number for number, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return [], [RowError(1, "Die Datei ist leer.")]
    reader = csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(lines[first]))
    header: list[str] = []
    for row in reader:
        if any(cell.strip() for cell in row):
            header = [_fold(cell) for cell in row]
            break
    header_line = reader.line_num
    unknown = [name for name in header if name not in columns]
    missing = [name for name in required if name not in header]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    problems = []
    if missing:
        problems.append(f"Pflichtspalte fehlt: {', '.join(missing)}")
    if unknown:
        problems.append(f"unbekannte Spalte: {', '.join(n or '(leer)' for n in unknown)}")
    if duplicated:
        problems.append(f"Spalte doppelt: {', '.join(duplicated)}")
    if problems:
        expected = ";".join(columns)
        message = f"Kopfzeile fehlerhaft ({'; '.join(problems)}). Erwartet: {expected}"
        return [], [RowError(header_line, message)]

    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(
                RowError(
                    reader.line_num,
                    f"{len(cells)} Spalten statt {len(header)}. "
                    "Enthält ein Wert das Trennzeichen? Dann bitte in Anführungszeichen setzen.",
                )
            )
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
        rows.append((reader.line_num, {name: values.get(name, "") for name in columns}))
    if not rows and not errors:
        errors.append(RowError(header_line, "Die Datei enthält nur die Kopfzeile, keine Daten."))
    return rows, errors


def _missing(line: int, values: dict[str, str], required: Iterable[str]) -> list[RowError]:
    return [
        RowError(line, f"Pflichtfeld „{name}“ ist leer.") for name in required if not values[name]
    ]


def _too_long(line: int, label: str, value: str, limit: int) -> list[RowError]:
    if len(value) > limit:
        return [RowError(line, f"„{label}“ ist länger als {limit} Zeichen.")]
    return []


def _stadtteil_lookup() -> dict[str, Stadtteil]:
    return {_fold(s.name): s for s in Stadtteil.objects.select_related("sozialraum")}


def _unknown_stadtteil(line: int, name: str, known: dict[str, Stadtteil]) -> RowError:
    names = ", ".join(sorted(s.name for s in known.values()))
    return RowError(line, f"Unbekannter Stadtteil „{name}“. Bekannte Stadtteile: {names}.")


_SCHOOL_KINDS = {
    **{_fold(value): value for value in Schule.Kind.values},
    **{_fold(str(label)): value for value, label in Schule.Kind.choices},
}


def parse_schools(text: str) -> tuple[list[SchoolRow], list[RowError]]:
    """Validate a school CSV; ``rows`` is only usable when ``errors`` is empty."""
    raw_rows, errors = _read_rows(text, SCHOOL_COLUMNS, SCHOOL_REQUIRED)
    stadtteile = _stadtteil_lookup()
    first_line_of: dict[str, int] = {}
    rows: list[SchoolRow] = []
    for line, values in raw_rows:
        row_errors = _missing(line, values, SCHOOL_REQUIRED)
        number = values["schulnummer"]
        if number:
            row_errors += _too_long(line, "schulnummer", number, 20)
            if number in first_line_of:
                row_errors.append(
                    RowError(
                        line,
                        f"Schulnummer „{number}“ steht mehrfach in der Datei "
                        f"(zuerst in Zeile {first_line_of[number]}).",
                    )
                )
            else:
                first_line_of[number] = line
        row_errors += _too_long(line, "name", values["name"], 200)
        row_errors += _too_long(line, "strasse", values["strasse"], 120)
        kind = _SCHOOL_KINDS.get(_fold(values["schulart"]))
        if values["schulart"] and kind is None:
            allowed = ", ".join(str(label) for label in Schule.Kind.labels)
            row_errors.append(
                RowError(line, f"Unbekannte Schulart „{values['schulart']}“. Erlaubt: {allowed}.")
            )
        postcode = values["plz"] or DEFAULT_POSTCODE
        if not re.fullmatch(r"\d{5}", postcode):
            row_errors.append(RowError(line, f"PLZ „{postcode}“ ist keine fünfstellige Zahl."))
        stadtteil = stadtteile.get(_fold(values["stadtteil"]))
        if values["stadtteil"] and stadtteil is None:
            row_errors.append(_unknown_stadtteil(line, values["stadtteil"], stadtteile))
        errors += row_errors
        if not row_errors and kind is not None and stadtteil is not None:
            rows.append(
                SchoolRow(
                    line=line,
                    school_number=number,
                    name=values["name"],
                    kind=kind,
                    street=values["strasse"],
                    postcode=postcode,
                    stadtteil=stadtteil,
                )
            )
    return rows, sorted(errors, key=lambda error: error.line)


def _house_number(line: int, label: str, value: str, default: int) -> tuple[int, list[RowError]]:
    if not value:
        return default, []
    if not value.isdigit() or not FIRST_HOUSE_NUMBER <= int(value) <= LAST_HOUSE_NUMBER:
        return default, [
            RowError(
                line,
                f"„{label}“ ist keine gültige Hausnummer: „{value}“ "
                f"(erlaubt: ganze Zahl von {FIRST_HOUSE_NUMBER} bis {LAST_HOUSE_NUMBER}, "
                "ohne Buchstabenzusatz).",
            )
        ]
    return int(value), []


def _share_a_house_number(a: StreetRow, b: StreetRow) -> bool:
    low, high = max(a.number_from, b.number_from), min(a.number_to, b.number_to)
    if low > high:
        return False
    sides = {p for p in (a.parity, b.parity) if p != StreetSegment.Parity.ALL}
    if len(sides) == 2:
        return False
    if not sides or high > low:
        return True
    wanted_remainder = 0 if sides == {StreetSegment.Parity.EVEN} else 1
    return low % 2 == wanted_remainder


def parse_streets(text: str) -> tuple[list[StreetRow], list[RowError]]:
    """Validate a street directory CSV; ``rows`` is only usable when ``errors`` is empty.

    Segments of one street in the file must not share a house number: the
    router would otherwise have to guess between them.
    """
    raw_rows, errors = _read_rows(text, STREET_COLUMNS, STREET_REQUIRED)
    stadtteile = _stadtteil_lookup()
    rows: list[StreetRow] = []
    for line, values in raw_rows:
        row_errors = _missing(line, values, STREET_REQUIRED)
        row_errors += _too_long(line, "strasse", values["strasse"], 120)
        if values["strasse"] and not street_key(values["strasse"]):
            row_errors.append(RowError(line, f"„{values['strasse']}“ ist kein Straßenname."))
        number_from, from_errors = _house_number(line, "von", values["von"], FIRST_HOUSE_NUMBER)
        number_to, to_errors = _house_number(line, "bis", values["bis"], LAST_HOUSE_NUMBER)
        row_errors += from_errors + to_errors
        if not from_errors and not to_errors and number_from > number_to:
            row_errors.append(
                RowError(line, f"„von“ ({number_from}) ist größer als „bis“ ({number_to}).")
            )
        parity = PARITY_WORDS.get(values["seite"].lower())
        if parity is None:
            row_errors.append(
                RowError(
                    line,
                    f"Unbekannte Seite „{values['seite']}“. Erlaubt: alle, gerade, ungerade "
                    "(leer bedeutet alle).",
                )
            )
        stadtteil = stadtteile.get(_fold(values["stadtteil"]))
        if values["stadtteil"] and stadtteil is None:
            row_errors.append(_unknown_stadtteil(line, values["stadtteil"], stadtteile))
        errors += row_errors
        if not row_errors and parity is not None and stadtteil is not None:
            rows.append(
                StreetRow(
                    line=line,
                    street=values["strasse"],
                    number_from=number_from,
                    number_to=number_to,
                    parity=parity,
                    stadtteil=stadtteil,
                )
            )

    by_street: dict[str, list[StreetRow]] = {}
    for row in rows:
        by_street.setdefault(row.key, []).append(row)
    for segments in by_street.values():
        for index, row in enumerate(segments):
            earlier = next((o for o in segments[:index] if _share_a_house_number(o, row)), None)
            if earlier is not None:
                errors.append(
                    RowError(
                        row.line,
                        f"Abschnitt von „{row.street}“ überschneidet sich mit Zeile "
                        f"{earlier.line}: eine Hausnummer darf nur zu einem Abschnitt gehören.",
                    )
                )
    return rows, sorted(errors, key=lambda error: error.line)


@transaction.atomic
def write_schools(rows: list[SchoolRow], *, is_demo: bool = False) -> ImportSummary:
    """Create or update schools by Schulnummer; schools not in the file stay."""
    summary = ImportSummary()
    existing = Schule.objects.in_bulk(
        [row.school_number for row in rows], field_name="school_number"
    )
    new: list[Schule] = []
    changed: list[Schule] = []
    fields = ["name", "kind", "street", "postcode", "stadtteil", "is_demo"]
    for row in rows:
        values = {
            "name": row.name,
            "kind": row.kind,
            "street": row.street,
            "postcode": row.postcode,
            "stadtteil": row.stadtteil,
            "is_demo": is_demo,
        }
        school = existing.get(row.school_number)
        if school is None:
            new.append(Schule(school_number=row.school_number, **values))
            continue
        current = {name: getattr(school, name) for name in fields}
        current["stadtteil"] = school.stadtteil_id
        wanted = {**values, "stadtteil": row.stadtteil.pk}
        if current == wanted:
            summary.unchanged += 1
            continue
        for name, value in values.items():
            setattr(school, name, value)
        changed.append(school)
    Schule.objects.bulk_create(new)
    Schule.objects.bulk_update(changed, fields)
    summary.created, summary.updated = len(new), len(changed)
    return summary


@transaction.atomic
def write_streets(rows: list[StreetRow], *, is_demo: bool = False) -> ImportSummary:
    """Replace every segment of each street named in the file; other streets stay."""
    keys = {row.key for row in rows}
    summary = ImportSummary(names=sorted({row.street for row in rows}))
    summary.removed, _ = StreetSegment.objects.filter(street_key__in=keys).delete()
    # bulk_create skips save(), so the key is set here.
    created = StreetSegment.objects.bulk_create(
        StreetSegment(
            street=row.street,
            street_key=row.key,
            number_from=row.number_from,
            number_to=row.number_to,
            parity=row.parity,
            stadtteil=row.stadtteil,
            is_demo=is_demo,
        )
        for row in rows
    )
    summary.created = len(created)
    return summary
