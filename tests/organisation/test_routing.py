import pytest

from apps.organisation.models import Schule, Stadtteil, StreetSegment
from apps.organisation.routing import (
    AmbiguousAddress,
    HouseNumberNotFound,
    StreetNotFound,
    parse_house_number,
    responsibility_for_address,
    responsibility_for_school,
    responsibility_for_stadtteil,
    street_key,
)
from tests.organisation.conftest import segment

pytestmark = pytest.mark.django_db

# The assumed mapping from DOMAIN.md, written out again so that a change to
# the master data migration has to be a deliberate change here too.
DOMAIN_MAPPING = {
    "West": ["Weimar-West", "Westvorstadt", "Gaberndorf", "Daasdorf am Berge", "Tröbsdorf"],
    "Nord und Schöndorf": [
        "Weimar-Nord",
        "Nordvorstadt",
        "Schöndorf (Waldstadt)",
        "Tiefurt",
        "Süßenborn",
    ],
    "Mitte-Süd": [
        "Altstadt",
        "Südstadt",
        "Parkvorstadt",
        "Oberweimar/Ehringsdorf",
        "Taubach",
        "Legefeld",
        "Gelmeroda",
        "Possendorf",
        "Niedergrunstedt",
    ],
}
STADTTEIL_TO_SOZIALRAUM = [
    (stadtteil, sozialraum)
    for sozialraum, stadtteile in DOMAIN_MAPPING.items()
    for stadtteil in stadtteile
]


def test_master_data_has_exactly_the_stadtteile_of_the_domain_mapping():
    assert set(Stadtteil.objects.values_list("name", flat=True)) == {
        name for name, _ in STADTTEIL_TO_SOZIALRAUM
    }


@pytest.mark.parametrize(("stadtteil", "sozialraum"), STADTTEIL_TO_SOZIALRAUM)
def test_every_stadtteil_routes_to_its_sozialraum_and_team(stadtteil, sozialraum):
    segment("Prüfweg", stadtteil)

    by_address = responsibility_for_address("Prüfweg", "7")
    by_stadtteil = responsibility_for_stadtteil(Stadtteil.objects.get(name=stadtteil))

    for found in (by_address, by_stadtteil):
        assert found.stadtteil.name == stadtteil
        assert found.sozialraum.name == sozialraum
        assert found.team.name == f"Sozialraumteam {sozialraum}"


def test_a_school_routes_by_its_stadtteil(school_west, school_nord):
    assert responsibility_for_school(school_west).sozialraum.slug == "west"
    assert responsibility_for_school(school_nord).team.sozialraum.slug == "nord-schoendorf"


def test_routing_names_the_primary_office_of_the_team(standort_west, team_west):
    from apps.organisation.models import Standort

    Standort.objects.create(
        team=team_west, name="Außenstelle", street="Nebenweg 2", is_primary=False
    )
    segment("Soproner Straße", "Weimar-West")

    assert responsibility_for_address("Soproner Straße", 1).standort == standort_west


def test_routing_without_an_office_says_so_instead_of_inventing_one():
    segment("Soproner Straße", "Weimar-West")

    assert responsibility_for_address("Soproner Straße", 1).standort is None


@pytest.mark.parametrize(
    "spelling",
    [
        "Schöndorfer Straße",
        "Schöndorfer Str.",
        "Schöndorfer Str",
        "schöndorfer strasse",
        "SCHÖNDORFER STRASSE",
        "Schoendorfer Strasse",
        "Schöndorfer-Straße",
        "  Schöndorfer   Straße ",
        "Scho\u0308ndorfer Straße",  # decomposed umlaut, as some keyboards send it
        "Schöndorferstr.",
    ],
)
def test_street_spelling_variants_find_the_same_street(street_directory, spelling):
    assert responsibility_for_address(spelling, "10").stadtteil.name == "Schöndorf (Waldstadt)"


def test_str_abbreviation_is_expanded_inside_a_name_too():
    assert street_key("Str. des Friedens") == street_key("Straße des Friedens")


@pytest.mark.parametrize("different", ["Strandweg", "Am Horst", "Schöndorfer Weg", "Schöndorf"])
def test_street_key_does_not_merge_different_streets(different):
    assert street_key(different) != street_key("Schöndorfer Straße")


@pytest.mark.parametrize(
    ("number", "stadtteil"),
    [("1", "Weimar-West"), ("2", "Weimar-Nord"), ("97", "Weimar-West"), ("98", "Weimar-Nord")],
)
def test_the_two_sides_of_a_border_street_route_by_parity(street_directory, number, stadtteil):
    assert responsibility_for_address("Ettersburger Straße", number).stadtteil.name == stadtteil


@pytest.mark.parametrize(
    ("number", "stadtteil"),
    [
        ("1", "Schöndorf (Waldstadt)"),
        ("40", "Schöndorf (Waldstadt)"),
        ("40a", "Schöndorf (Waldstadt)"),
        ("41", "Weimar-Nord"),
        ("120", "Weimar-Nord"),
    ],
)
def test_house_number_ranges_are_inclusive(street_directory, number, stadtteil):
    assert responsibility_for_address("Schöndorfer Straße", number).stadtteil.name == stadtteil


def test_an_unknown_street_is_not_found_never_guessed(street_directory):
    with pytest.raises(StreetNotFound) as raised:
        responsibility_for_address("Schöndorfer Weg", "10")

    assert not isinstance(raised.value, HouseNumberNotFound)


@pytest.mark.parametrize(
    ("street", "number"),
    [("Schöndorfer Straße", "121"), ("Ettersburger Straße", "101"), ("Ettersburger Straße", "100")],
)
def test_a_house_number_outside_every_segment_is_not_found(street_directory, street, number):
    with pytest.raises(HouseNumberNotFound):
        responsibility_for_address(street, number)


def test_house_number_not_found_is_still_a_street_not_found(street_directory):
    with pytest.raises(StreetNotFound):
        responsibility_for_address("Ettersburger Straße", "100")


def test_overlapping_segments_in_two_stadtteile_refuse_to_pick_one():
    segment("Grenzweg", "Weimar-West", 1, 20)
    segment("Grenzweg", "Weimar-Nord", 10, 30)

    assert responsibility_for_address("Grenzweg", 5).stadtteil.name == "Weimar-West"
    with pytest.raises(AmbiguousAddress):
        responsibility_for_address("Grenzweg", 15)


@pytest.mark.parametrize("bad", ["", "  ", "a", "-"])
def test_a_house_number_without_digits_is_rejected(bad):
    with pytest.raises(ValueError, match="Hausnummer"):
        parse_house_number(bad)


def test_segment_key_is_kept_in_step_with_the_name():
    created = segment("Goethestr.", "Altstadt")
    created.street = "Schillerstraße"
    created.save()

    assert StreetSegment.objects.get().street_key == street_key("Schillerstr")


def test_routing_a_school_does_not_depend_on_the_street_directory(school_west):
    assert not StreetSegment.objects.exists()
    assert responsibility_for_school(Schule.objects.get()).stadtteil.name == "Weimar-West"
