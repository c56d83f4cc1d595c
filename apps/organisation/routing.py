"""Who is responsible: an address or a school → Stadtteil → Sozialraum → team.

The one place that answers this question. It never guesses: a street that is
not in the directory raises :class:`StreetNotFound`.
"""

import re
import unicodedata
from dataclasses import dataclass

from apps.organisation.models import Schule, Sozialraum, Stadtteil, Standort, StreetSegment, Team


class StreetNotFound(LookupError):
    """The street (or this house number of it) is not in the street directory."""


@dataclass(frozen=True)
class Responsibility:
    stadtteil: Stadtteil
    sozialraum: Sozialraum
    team: Team
    standort: Standort | None


_STRASSE = re.compile(r"(str\.|strasse)$")


def street_key(street: str) -> str:
    """A spelling-tolerant key: case, ß/ss, umlauts, 'Str.'/'Straße', spaces, hyphens."""
    text = street.strip().lower().replace("ß", "ss")
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[\s\-]+", "", text)
    return _STRASSE.sub("strasse", text)


def parse_house_number(value: str | int) -> int:
    """'12a' → 12. Raises ValueError when there is no leading number."""
    match = re.match(r"\s*(\d+)", str(value))
    if not match:
        raise ValueError("Hausnummer fehlt")
    return int(match.group(1))


def responsibility_for_stadtteil(stadtteil: Stadtteil) -> Responsibility:
    sozialraum = stadtteil.sozialraum
    team = Team.objects.get(sozialraum=sozialraum)
    standort = team.standorte.order_by("-is_primary", "name").first()
    return Responsibility(stadtteil=stadtteil, sozialraum=sozialraum, team=team, standort=standort)


def responsibility_for_address(street: str, house_number: str | int) -> Responsibility:
    number = parse_house_number(house_number)
    parity = StreetSegment.Parity.EVEN if number % 2 == 0 else StreetSegment.Parity.ODD
    segment = (
        StreetSegment.objects.select_related("stadtteil__sozialraum")
        .filter(street_key=street_key(street), number_from__lte=number, number_to__gte=number)
        .filter(parity__in=[StreetSegment.Parity.ALL, parity])
        .first()
    )
    if segment is None:
        raise StreetNotFound(street)
    return responsibility_for_stadtteil(segment.stadtteil)


def responsibility_for_school(school: Schule) -> Responsibility:
    return responsibility_for_stadtteil(school.stadtteil)
