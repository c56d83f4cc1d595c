import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.organisation.models import Schule, Stadtteil, Standort, Team, Traeger

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("organisation:overview")
FINDER = reverse("organisation:finder")
HTMX = {"HTTP_HX_REQUEST": "true"}
PERSONAS = [
    "anonymous",
    "familienamt_worker",
    "familienamt_lead",
    "school_leader",
    "west_member",
    "nord_member",
    "admin_user",
    "dpo",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", [OVERVIEW, FINDER + "?strasse=Soproner+Str.&hausnummer=1"])
def test_the_public_pages_are_open_to_everyone(client, login_as, persona, url, street_directory):
    login_as(persona)

    assert client.get(url).status_code == 200


def test_finder_accepts_only_get(client):
    assert client.post(FINDER, {"strasse": "Soproner Straße", "hausnummer": "1"}).status_code == 405


def test_overview_shows_each_sozialraum_with_stadtteile_team_traeger_and_office(
    client, standort_west, standort_nord
):
    page = client.get(OVERVIEW).content.decode()

    for expected in [
        "Sozialraum West",
        "Sozialraum Nord und Schöndorf",
        "Sozialraum Mitte-Süd",
        "Daasdorf am Berge",
        "Schöndorf (Waldstadt)",
        "Oberweimar/Ehringsdorf",
        "Sozialraumteam Nord und Schöndorf",
        "AWO Mitte-West-Thüringen",
        "Hufeland-Trägergesellschaft",
        "Caritasverband für das Bistum Erfurt",
        "Beispielplatz 3, 99423 Weimar",
        "Mi 14–18 Uhr",
        "Ebenerdiger Zugang",
        'href="mailto:nord@example.org"',
        'href="tel:03643000000"',
        "Demodaten",
        'aria-live="polite"',
        'for="finder-strasse"',
        'for="finder-hausnummer"',
        'for="finder-schule"',
    ]:
        assert expected in page, expected
    # The city staffs every team; it is not listed as one of the carriers.
    assert "Stadt Weimar, Amt für Familie und Soziales</a>" not in page
    assert ">Stadt Weimar, Amt für Familie und Soziales," not in page


def test_a_team_without_an_office_points_to_the_familienamt(client):
    page = client.get(OVERVIEW).content.decode()

    assert page.count("Die Adresse des Teambüros wird noch bekannt gegeben") == 3


def _grow_master_data(round_: int) -> None:
    for team in Team.objects.all():
        Standort.objects.create(
            team=team, name=f"Büro {round_}", street=f"Weg {round_}", is_primary=False
        )
    stadtteil = Stadtteil.objects.create(
        name=f"Neuer Stadtteil {round_}", sozialraum=Team.objects.first().sozialraum
    )
    for kind in Schule.Kind.values:
        Schule.objects.create(
            school_number=f"{round_}-{kind[:8]}",
            name=f"Schule {kind} {round_}",
            kind=kind,
            street="Weg",
            stadtteil=stadtteil,
        )
    Traeger.objects.create(name=f"Träger {round_}", short_name=f"T{round_}").teams.add(
        *Team.objects.all()
    )


def test_overview_query_count_does_not_grow_with_offices_stadtteile_and_schools(client):
    _grow_master_data(1)
    with CaptureQueriesContext(connection) as few:
        client.get(OVERVIEW)
    for round_ in range(2, 6):
        _grow_master_data(round_)

    with CaptureQueriesContext(connection) as many:
        page = client.get(OVERVIEW).content.decode()

    assert "Schule foerderzentrum 5" in page and "Büro 5" in page
    assert len(many) == len(few)


def test_finder_query_count_does_not_grow_with_schools(client, street_directory):
    url = FINDER + "?strasse=Soproner+Straße&hausnummer=3"
    _grow_master_data(1)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for round_ in range(2, 6):
        _grow_master_data(round_)

    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_htmx_finder_request_returns_only_the_result_partial(
    client, street_directory, standort_nord
):
    response = client.get(FINDER, {"strasse": "ettersburger str", "hausnummer": "12"}, **HTMX)

    body = response.content.decode()
    assert "<html" not in body
    assert 'id="finder-result"' not in body  # the region stays on the page, only its content swaps
    assert "Zuständig für ettersburger str 12: Sozialraumteam Nord und Schöndorf" in body
    assert "Weimar-Nord gehört zum Sozialraum" in body
    assert "Beispielplatz 3, 99423 Weimar" in body
    assert response["Vary"].count("HX-Request") == 1


def test_plain_finder_request_returns_the_whole_page_with_the_result(
    client, street_directory, standort_west
):
    response = client.get(FINDER, {"strasse": "Ettersburger Straße", "hausnummer": "13"})

    body = response.content.decode()
    assert "<html" in body
    assert "Sozialraum Mitte-Süd" in body  # the overview is still there
    assert "Zuständig für Ettersburger Straße 13: Sozialraumteam West" in body
    assert "Musterweg 1, 99423 Weimar" in body
    assert 'value="Ettersburger Straße"' in body  # the form keeps what was typed


def test_page_forms_work_without_javascript_and_swap_with_htmx(client):
    body = client.get(OVERVIEW).content.decode()

    assert body.count(f'method="get" action="{FINDER}"') == 2
    assert body.count(f'hx-get="{FINDER}" hx-target="#finder-result" hx-push-url="false"') == 2


def test_picking_a_school_shows_the_team_of_its_sozialraum(client, school_nord, standort_nord):
    body = client.get(FINDER, {"schule": school_nord.pk}, **HTMX).content.decode()

    assert "Zuständig für Testschule Nord: Sozialraumteam Nord und Schöndorf" in body
    assert "Beispielplatz 3" in body


def test_school_select_lists_schools_by_name_and_keeps_the_choice(client, school_west, school_nord):
    Schule.objects.create(
        school_number="A-1",
        name="Albert-Schweitzer-Schule",
        kind="grundschule",
        street="Weg 1",
        stadtteil=Stadtteil.objects.get(name="Altstadt"),
    )

    body = client.get(FINDER, {"schule": school_nord.pk}).content.decode()

    assert (
        body.index("Albert-Schweitzer-Schule (Altstadt)")
        < body.index("Testschule Nord")
        < body.index("Testschule West (Weimar-West)")
    )
    assert f'value="{school_nord.pk}" selected>' in body


def test_a_result_for_a_team_without_office_sends_people_to_the_familienamt(
    client, street_directory
):
    body = client.get(
        FINDER, {"strasse": "Soproner Straße", "hausnummer": "1"}, **HTMX
    ).content.decode()

    assert "Sozialraumteam West" in body
    assert "noch kein Büro eingetragen" in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"strasse": "Unbekannter Weg", "hausnummer": "3"},
            "Diese Straße kennen wir nicht: „Unbekannter Weg“. Bitte prüfen Sie die Schreibweise",
        ),
        (
            {"strasse": "Schöndorfer Straße", "hausnummer": "500"},
            "Die Hausnummer 500 der Straße „Schöndorfer Straße“ steht nicht in unserem",
        ),
        ({"strasse": "Soproner Straße", "hausnummer": ""}, "Bitte geben Sie eine Hausnummer ein."),
        ({"strasse": "Soproner Straße"}, "Bitte geben Sie eine Hausnummer ein."),
        ({"strasse": "", "hausnummer": "3"}, "Bitte geben Sie eine Straße ein."),
        ({}, "Bitte geben Sie eine Straße ein."),
        (
            {"strasse": "Soproner Straße", "hausnummer": "a12"},
            "Die Hausnummer muss mit einer Zahl beginnen",
        ),
        ({"strasse": "x" * 121, "hausnummer": "1"}, "Der Straßenname ist zu lang"),
        (
            {"schule": "999999"},
            "Diese Schule kennen wir nicht. Bitte wählen Sie eine aus der Liste.",
        ),
        ({"schule": "abc"}, "Diese Schule kennen wir nicht."),
        ({"schule": ""}, "Bitte wählen Sie eine Schule aus."),
    ],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_bad_finder_input_gets_a_clear_german_message_and_writes_nothing(
    client, street_directory, params, message, htmx
):
    headers = HTMX if htmx else {}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(FINDER, params, **headers)

    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Wir konnten die Zuständigkeit nicht bestimmen" in body
    assert "Zuständig für" not in body
    assert ("<html" in body) is not htmx
    assert not [q for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]


def test_an_address_in_two_overlapping_segments_is_not_guessed(client):
    from tests.organisation.conftest import segment

    segment("Grenzweg", "Weimar-West", 1, 20)
    segment("Grenzweg", "Weimar-Nord", 10, 30)

    body = client.get(FINDER, {"strasse": "Grenzweg", "hausnummer": "12"}, **HTMX).content.decode()

    assert "nicht eindeutig bestimmen" in body
    assert "Sozialraumteam" not in body
