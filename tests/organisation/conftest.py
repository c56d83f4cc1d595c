import pytest

from apps.organisation.models import Stadtteil, Standort, StreetSegment, Team


def segment(
    street: str, stadtteil: str, number_from: int = 1, number_to: int = 9999, parity: str = "all"
) -> StreetSegment:
    return StreetSegment.objects.create(
        street=street,
        stadtteil=Stadtteil.objects.get(name=stadtteil),
        number_from=number_from,
        number_to=number_to,
        parity=parity,
    )


@pytest.fixture
def street_directory(db) -> None:
    """A small directory with a border street: odd numbers West, even numbers Nord."""
    segment("Soproner Straße", "Weimar-West")
    segment("Schöndorfer Straße", "Schöndorf (Waldstadt)", 1, 40)
    segment("Schöndorfer Straße", "Weimar-Nord", 41, 120)
    segment("Ettersburger Straße", "Weimar-West", 1, 99, "odd")
    segment("Ettersburger Straße", "Weimar-Nord", 2, 98, "even")


@pytest.fixture
def standort_nord(team_nord: Team) -> Standort:
    return Standort.objects.create(
        team=team_nord,
        name="Büro Nord",
        street="Beispielplatz 3",
        opening_hours="Mi 14–18 Uhr",
        phone="03643 000000",
        email="nord@example.org",
        accessibility="Ebenerdiger Zugang",
        is_demo=True,
    )
