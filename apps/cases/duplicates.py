"""Is this child already known? Tolerant of umlauts, case and small misspellings.

Candidates are shown to Familienamt staff, who decide to link to an existing
person or to create a new one: persons are never merged silently.
"""

import datetime
import unicodedata

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models.functions import Upper

from apps.cases.models import Person

SIMILARITY_THRESHOLD = 0.45


def name_key(first_name: str, last_name: str) -> str:
    """'Jürgen Müller-Weiß' → 'juergen muellerweiss'."""

    def fold(text: str) -> str:
        text = text.strip().lower().replace("ß", "ss")
        text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))
        return text

    return f"{fold(first_name)} {fold(last_name)}"


def possible_duplicates(
    first_name: str, last_name: str, date_of_birth: datetime.date | None
) -> list[Person]:
    """Known persons born the same day whose name is the same or close."""
    if date_of_birth is None:
        return []
    key = name_key(first_name, last_name)
    return list(
        Person.objects.filter(date_of_birth=date_of_birth)
        .annotate(similarity=TrigramSimilarity(Upper("name_key"), key.upper()))
        .filter(similarity__gte=SIMILARITY_THRESHOLD)
        .order_by("-similarity", "pk")[:10]
    )
