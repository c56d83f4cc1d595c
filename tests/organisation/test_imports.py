from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.organisation.imports import parse_schools, parse_streets, write_streets
from apps.organisation.models import Schule, StreetSegment
from apps.organisation.routing import responsibility_for_address

pytestmark = pytest.mark.django_db

SCHOOLS = """\
schulnummer;name;schulart;strasse;plz;stadtteil
4711;Grundschule Am Beispiel;Grundschule;Beispielweg 1;99427;Weimar-West
4712;Regelschule Muster;regelschule;Musterstraße 5;;Weimar-Nord
4713;Förderzentrum Probe;Förderzentrum;Probeplatz 2;99423;Altstadt
"""

STREETS = """\
strasse,von,bis,seite,stadtteil
Soproner Straße,,,alle,Weimar-West
Ettersburger Straße,1,99,ungerade,Weimar-West
Ettersburger Straße,2,98,gerade,Weimar-Nord
Schöndorfer Str.,1,40,,Schöndorf (Waldstadt)
"""


def run(command: str, tmp_path: Path, content: str | bytes, *extra: str) -> str:
    path = tmp_path / "daten.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    out = StringIO()
    call_command(command, str(path), *extra, stdout=out)
    return out.getvalue()


def import_error(command: str, tmp_path: Path, content: str | bytes) -> str:
    with pytest.raises(CommandError) as raised:
        run(command, tmp_path, content)
    return str(raised.value)


# --- schools ---------------------------------------------------------------


def test_import_schools_creates_schools_and_reports_a_summary(tmp_path):
    output = run("import_schools", tmp_path, SCHOOLS)

    assert "3 neu, 0 aktualisiert" in output
    school = Schule.objects.select_related("stadtteil").get(school_number="4712")
    assert school.name == "Regelschule Muster"
    assert school.kind == Schule.Kind.REGELSCHULE
    assert school.postcode == "99423"  # empty PLZ means Weimar's default
    assert school.stadtteil.name == "Weimar-Nord"
    assert Schule.objects.get(school_number="4713").kind == Schule.Kind.FOERDERZENTRUM


def test_reimport_updates_schools_by_schulnummer_and_keeps_others(tmp_path, school_west):
    run("import_schools", tmp_path, SCHOOLS)
    changed = SCHOOLS.replace(
        "Regelschule Muster;regelschule", "Gemeinschaftsschule Muster;Gemeinschaftsschule"
    )

    output = run("import_schools", tmp_path, changed)

    assert "0 neu, 1 aktualisiert, 2 unverändert" in output
    school = Schule.objects.get(school_number="4712")
    assert (school.name, school.kind) == ("Gemeinschaftsschule Muster", "gemeinschaftsschule")
    assert Schule.objects.count() == 4  # school_west was not in the file and stays


def test_import_reads_a_byte_order_mark_and_comma_delimiter(tmp_path):
    content = ("\ufeff" + SCHOOLS.replace(";", ",")).encode("utf-8")

    run("import_schools", tmp_path, content)

    assert Schule.objects.count() == 3


def test_header_names_tolerate_case_and_umlaut_spelling(tmp_path):
    run(
        "import_schools",
        tmp_path,
        SCHOOLS.replace("schulnummer;name;schulart;strasse", "Schulnummer;Name;Schulart;Straße"),
    )

    assert Schule.objects.count() == 3


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (
            "4720;Schule X;Grundschule;Weg 1;99423;Atlantis",
            "Zeile 5: Unbekannter Stadtteil „Atlantis“",
        ),
        (
            "4720;Schule X;Waldorfschule;Weg 1;99423;Altstadt",
            "Zeile 5: Unbekannte Schulart „Waldorfschule“",
        ),
        ("4720;;Grundschule;Weg 1;99423;Altstadt", "Zeile 5: Pflichtfeld „name“ ist leer."),
        (
            ";Schule X;Grundschule;Weg 1;99423;Altstadt",
            "Zeile 5: Pflichtfeld „schulnummer“ ist leer.",
        ),
        (
            "4720;Schule X;Grundschule;Weg 1;9942;Altstadt",
            "Zeile 5: PLZ „9942“ ist keine fünfstellige Zahl.",
        ),
        (
            "4711;Schule X;Grundschule;Weg 1;99423;Altstadt",
            "Zeile 5: Schulnummer „4711“ steht mehrfach in der Datei (zuerst in Zeile 2).",
        ),
        ("4720;Schule X;Grundschule;Weg 1;99423", "Zeile 5: 5 Spalten statt 6."),
    ],
)
def test_a_bad_school_row_is_reported_and_nothing_is_written(tmp_path, bad_row, message):
    error = import_error("import_schools", tmp_path, SCHOOLS + bad_row + "\n")

    assert message in error
    assert "nichts wurde gespeichert" in error
    assert not Schule.objects.exists()


def test_all_bad_rows_are_reported_at_once_in_line_order(tmp_path):
    content = SCHOOLS + "4720;;Grundschule;Weg 1;;Altstadt\n\n4721;Y;Kita;Weg 2;;Nirgendwo\n"

    error = import_error("import_schools", tmp_path, content)

    assert "3 Fehler" in error
    assert (
        error.index("Zeile 5:")
        < error.index("Zeile 7: Unbekannte Schulart")
        < error.index("Zeile 7: Unbekannter Stadtteil")
    )


def test_an_update_is_not_half_applied_when_a_later_row_is_bad(tmp_path):
    run("import_schools", tmp_path, SCHOOLS)
    renamed = SCHOOLS.replace("Grundschule Am Beispiel", "Umbenannt")

    import_error("import_schools", tmp_path, renamed + "4720;X;Grundschule;Weg;;Atlantis\n")

    assert Schule.objects.get(school_number="4711").name == "Grundschule Am Beispiel"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "Die Datei ist leer."),
        ("schulnummer;name;schulart;strasse;plz;stadtteil\n", "nur die Kopfzeile"),
        (
            "nummer;name;schulart;strasse;plz;stadtteil\n1;a;Grundschule;b;;Altstadt\n",
            "Pflichtspalte fehlt: schulnummer",
        ),
        (
            "schulnummer;name;schulart;strasse;plz;stadtteil;bemerkung\n",
            "unbekannte Spalte: bemerkung",
        ),
    ],
)
def test_a_bad_file_layout_is_explained(tmp_path, content, message):
    assert message in import_error("import_schools", tmp_path, content)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    error = import_error("import_schools", tmp_path, SCHOOLS.encode("cp1252"))

    assert "nicht UTF-8" in error
    assert not Schule.objects.exists()


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="kann nicht gelesen werden"):
        call_command("import_schools", str(tmp_path / "fehlt.csv"))


def test_dry_run_checks_but_writes_nothing(tmp_path):
    output = run("import_schools", tmp_path, SCHOOLS, "--dry-run")

    assert "3 Zeilen geprüft" in output
    assert not Schule.objects.exists()


def test_parse_schools_returns_rows_and_errors_without_touching_the_database():
    rows, errors = parse_schools(SCHOOLS + "4799;X;Grundschule;Weg;;Atlantis\n")

    assert [row.school_number for row in rows] == ["4711", "4712", "4713"]
    assert [error.line for error in errors] == [5]
    assert not Schule.objects.exists()


# --- streets ---------------------------------------------------------------


def test_import_streets_creates_segments_that_route(tmp_path):
    output = run("import_streets", tmp_path, STREETS)

    assert "3 Straßen eingelesen, 4 Abschnitte angelegt, 0 alte Abschnitte ersetzt" in output
    soproner = StreetSegment.objects.get(street="Soproner Straße")
    assert (soproner.number_from, soproner.number_to, soproner.parity) == (1, 9999, "all")
    assert responsibility_for_address("Ettersburger Str.", 4).stadtteil.name == "Weimar-Nord"
    assert (
        responsibility_for_address("Schöndorfer Straße", 40).stadtteil.name
        == "Schöndorf (Waldstadt)"
    )


def test_reimport_replaces_the_segments_of_the_streets_in_the_file_only(tmp_path):
    run("import_streets", tmp_path, STREETS)
    # Another spelling of the same street replaces it too.
    output = run(
        "import_streets",
        tmp_path,
        "strasse;von;bis;seite;stadtteil\nEttersburger Str.;;;;Weimar-West\n",
    )

    assert "1 Straße eingelesen, 1 Abschnitt angelegt, 2 alte Abschnitte ersetzt" in output
    assert responsibility_for_address("Ettersburger Straße", 4).stadtteil.name == "Weimar-West"
    assert StreetSegment.objects.filter(street="Soproner Straße").exists()
    assert StreetSegment.objects.count() == 3


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("Goetheplatz,,,alle,Atlantis", "Zeile 6: Unbekannter Stadtteil „Atlantis“"),
        (",1,5,alle,Altstadt", "Zeile 6: Pflichtfeld „strasse“ ist leer."),
        ("Goetheplatz,1,5,alle,", "Zeile 6: Pflichtfeld „stadtteil“ ist leer."),
        ("Goetheplatz,9,5,alle,Altstadt", "Zeile 6: „von“ (9) ist größer als „bis“ (5)."),
        ("Goetheplatz,1a,5,alle,Altstadt", "Zeile 6: „von“ ist keine gültige Hausnummer: „1a“"),
        ("Goetheplatz,1,fünf,alle,Altstadt", "Zeile 6: „bis“ ist keine gültige Hausnummer: „fünf“"),
        ("Goetheplatz,0,5,alle,Altstadt", "Zeile 6: „von“ ist keine gültige Hausnummer: „0“"),
        ("Goetheplatz,1,5,links,Altstadt", "Zeile 6: Unbekannte Seite „links“"),
        (
            "Soproner Str.,10,20,gerade,Weimar-Nord",
            "Zeile 6: Abschnitt von „Soproner Str.“ überschneidet sich mit Zeile 2",
        ),
    ],
)
def test_a_bad_street_row_is_reported_and_nothing_is_written(tmp_path, bad_row, message):
    error = import_error("import_streets", tmp_path, STREETS + bad_row + "\n")

    assert message in error
    assert not StreetSegment.objects.exists()


def test_a_bad_street_file_leaves_the_existing_directory_untouched(tmp_path):
    run("import_streets", tmp_path, STREETS)

    import_error(
        "import_streets",
        tmp_path,
        "strasse;von;bis;seite;stadtteil\nSoproner Straße;;;;Weimar-Nord\nX;;;;Atlantis\n",
    )

    assert StreetSegment.objects.get(street="Soproner Straße").stadtteil.name == "Weimar-West"


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        ("1,9,ungerade", "2,8,gerade", False),
        ("1,1,ungerade", "1,5,gerade", False),
        ("3,3,alle", "3,9,ungerade", True),
        ("4,4,alle", "3,9,ungerade", False),
        ("1,10,alle", "11,20,alle", False),
        ("1,10,alle", "10,20,alle", True),
        ("1,10,gerade", "10,20,alle", True),
    ],
)
def test_segments_overlap_only_when_they_share_a_house_number(first, second, overlap):
    content = (
        f"strasse,von,bis,seite,stadtteil\nGrenzweg,{first},Altstadt\nGrenzweg,{second},Südstadt\n"
    )

    _, errors = parse_streets(content)

    assert bool(errors) is overlap


def test_quoted_values_may_contain_the_delimiter(tmp_path):
    run(
        "import_streets",
        tmp_path,
        'strasse;von;bis;seite;stadtteil\n"Straße; die seltsame";;;;Altstadt\n',
    )

    assert StreetSegment.objects.get().street == "Straße; die seltsame"


def test_write_streets_can_mark_demo_data():
    rows, errors = parse_streets(STREETS)
    assert not errors

    write_streets(rows, is_demo=True)

    assert StreetSegment.objects.filter(is_demo=False).count() == 0
    assert StreetSegment.objects.count() == 4


def test_the_examples_in_the_documentation_are_valid_files():
    doc = (Path(__file__).parents[2] / "docs" / "import-formats.md").read_text(encoding="utf-8")
    examples = [block.split("```", 1)[0] for block in doc.split("```csv\n")[1:]]

    schools, streets = examples
    assert parse_schools(schools)[1] == []
    assert parse_streets(streets)[1] == []
