"""Who is responsible: an address or a school → Stadtteil → Sozialraum → team.

The one place that answers this question. It never guesses: a street that is
not in the directory raises :class:`StreetNotFound`, a house number outside
every segment of a known street raises :class:`HouseNumberNotFound`, and an
address that two Stadtteile claim raises :class:`AmbiguousAddress`. All three
are ``StreetNotFound``, so a caller that only needs "known or not" catches one.
"""

import re
import unicodedata
from dataclasses import dataclass

from apps.organisation.models import Schule, Sozialraum, Stadtteil, Standort, StreetSegment, Team


class StreetNotFound(LookupError):
    """The street (or this house number of it) is not in the street directory."""

    def __init__(self, street: str, house_number: int | None = None) -> None:
        super().__init__(street if house_number is None else f"{street} {house_number}")
        self.street = street
        self.house_number = house_number


class HouseNumberNotFound(StreetNotFound):
    """The street is known, but no segment of it covers this house number."""


class AmbiguousAddress(StreetNotFound):
    """Overlapping segments put this address in more than one Stadtteil.

    The directory needs fixing; picking one of them would be a guess.
    """


@dataclass(frozen=True)
class Responsibility:
    stadtteil: Stadtteil
    sozialraum: Sozialraum
    team: Team
    standort: Standort | None


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# "Str." anywhere ("Str. des Friedens") and a bare "str" ending a word
# ("Goethestr") both stand for "Straße"; "Strand" or "Strobelweg" must not.
_STR_ABBREVIATION = re.compile(r"str\.|str\b")
_NOT_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9]+")


def street_key(street: str) -> str:
    """A spelling-tolerant key: case, ß/ss, umlauts/ae, 'Str.'/'Straße', spaces, hyphens, dots.

    Street names typed with an umlaut and with its two-letter spelling
    ("Schöndorfer", "Schoendorfer") give the same key; the key stays strict
    enough that two different streets never share it.
    """
    # NFC first: a decomposed "u + ¨" (macOS, some browsers) must fold like "ü".
    text = unicodedata.normalize("NFC", street).strip().lower().translate(_UMLAUTS)
    text = _STR_ABBREVIATION.sub("strasse", text)
    # Other accents (é in "Café") fall back to the base letter.
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NOT_LETTER_OR_DIGIT.sub("", text)


def parse_house_number(value: str | int) -> int:
    """'12a' → 12, '12-14' → 12. Raises ValueError when there is no leading number."""
    match = re.match(r"\s*(\d+)", str(value))
    if not match:
        raise ValueError("Hausnummer fehlt")
    return int(match.group(1))


def responsibility_for_stadtteil(stadtteil: Stadtteil) -> Responsibility:
    sozialraum = stadtteil.sozialraum
    team = Team.objects.get(sozialraum=sozialraum)
    standort = team.standorte.order_by("-is_primary", "name").first()
    return Responsibility(stadtteil=stadtteil, sozialraum=sozialraum, team=team, standort=standort)


def stadtteil_for_address(street: str, house_number: str | int) -> Stadtteil:
    """The Stadtteil of an address; raises ValueError for a missing house number."""
    number = parse_house_number(house_number)
    parity = StreetSegment.Parity.EVEN if number % 2 == 0 else StreetSegment.Parity.ODD
    segments = StreetSegment.objects.filter(street_key=street_key(street))
    matching = list(
        segments.filter(number_from__lte=number, number_to__gte=number)
        .filter(parity__in=[StreetSegment.Parity.ALL, parity])
        .select_related("stadtteil__sozialraum")
    )
    stadtteile = {segment.stadtteil_id: segment.stadtteil for segment in matching}
    if len(stadtteile) > 1:
        raise AmbiguousAddress(street, number)
    if not stadtteile:
        if segments.exists():
            raise HouseNumberNotFound(street, number)
        raise StreetNotFound(street)
    return next(iter(stadtteile.values()))


def responsibility_for_address(street: str, house_number: str | int) -> Responsibility:
    return responsibility_for_stadtteil(stadtteil_for_address(street, house_number))


def responsibility_for_school(school: Schule) -> Responsibility:
    return responsibility_for_stadtteil(school.stadtteil)
