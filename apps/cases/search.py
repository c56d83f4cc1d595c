"""Find a child by name, tolerant of umlauts, accents, case and small misspellings.

The query is folded exactly like ``Person.name_key`` ("Müller" → "mueller"), so
the trigram index on ``UPPER(name_key)`` finds the candidates (see
:func:`query_keys` for "Muller"). A second score against the unaccented written
name ranks "Muller" → "Müller" as an exact hit, since ``name_key`` spells the
umlaut out as "ue".
"""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat, Greatest, Upper

from apps.accounts.models import User
from apps.cases.duplicates import name_key
from apps.cases.models import Case, Person
from apps.core import forms as core_forms
from apps.core.forms import DateInput

RESULT_LIMIT = 25
# Close names fetched before the score ranks them (see _candidates).
CANDIDATES = 500
MIN_NAME_LENGTH = 2
# A, O or U not already followed by E: where someone without an umlaut key wrote "u" for "ü".
UMLAUT_CANDIDATE = re.compile(r"([AOU])(?!E)")


def folded(name: str) -> str:
    """The query spelled like ``name_key``, word by word: "Jürgen Müller" → "juergen mueller"."""
    return " ".join(filter(None, (name_key(word, "").strip() for word in name.split())))


class PersonSearchForm(core_forms.Form):
    name = forms.CharField(
        label="Name des Kindes",
        help_text="Vor- oder Nachname, auch in Teilen. Umlaute und kleine Tippfehler sind egal.",
        min_length=MIN_NAME_LENGTH,
        max_length=100,
        error_messages={
            "required": "Bitte geben Sie einen Namen ein.",
            "min_length": "Bitte geben Sie mindestens 2 Zeichen des Namens ein.",
            "max_length": "Der Name darf höchstens 100 Zeichen lang sein.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = forms.DateField(
        label="Geburtsdatum",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ)."},
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        # "--" or "??" fold to nothing: there is no name left to compare.
        if len(folded(name).replace(" ", "")) < MIN_NAME_LENGTH:
            raise forms.ValidationError("Bitte geben Sie mindestens 2 Buchstaben des Namens ein.")
        return name


@dataclass(frozen=True)
class Hit:
    person: Person
    cases: list[Case]


def query_keys(name: str) -> list[str]:
    """The folded query, and the same with umlauts spelled out where they may be meant.

    "Muller" folds to "muller", but the key of "Müller" is "mueller": too far
    apart for pg_trgm's threshold (0.5 < 0.6). Trying "mueller" as well finds
    him; the variant can only add candidates, the score still ranks them.
    """
    key = folded(name).upper()
    spelled_out = UMLAUT_CANDIDATE.sub(r"\1E", key)
    return [key] if spelled_out == key else [key, spelled_out]


def _candidates(keys: list[str], date_of_birth: datetime.date | None) -> QuerySet[Any, int]:
    """Ids of at most ``CANDIDATES`` persons whose name is close to one of ``keys``.

    ``%>`` (pg_trgm's word-similarity threshold) lets the GIN index on
    UPPER(name_key) find them; the limit without an order lets PostgreSQL stop
    there instead of fetching and sorting every match. Only a very common name
    ("Müller": thousands at a million persons, all equally close) has more; the
    page then asks for the date of birth, which the index on it narrows at once.
    Not scoped: the query around it is, and scoping here would make PostgreSQL
    read all of a team's cases first.

    The search fetches them first, not as a nested subquery: PostgreSQL cannot
    know a subquery stops at 500 and joined it by reading every person (17 ms
    at 100,000 persons, growing with them); with the ids as values it reads
    just those rows by their key (2–4 ms).
    """
    close = Q()
    for key in keys:
        close |= Q(upper_key__trigram_word_similar=key)
    persons = Person.objects.alias(upper_key=Upper("name_key")).filter(close)
    if date_of_birth is not None:
        persons = persons.filter(date_of_birth=date_of_birth)
    return persons.order_by().values_list("pk", flat=True)[:CANDIDATES]


def search_persons(user: User, name: str, date_of_birth: datetime.date | None = None) -> list[Hit]:
    """Persons ``user`` may see whose name is close to ``name``, closest first.

    Each hit carries only the cases the user may see: a team member does not
    learn that another team also works with the child.
    """
    keys = query_keys(name)
    written = Upper(Unaccent(Concat("first_name", Value(" "), "last_name")))
    scores = [TrigramWordSimilarity(key, Upper("name_key")) for key in keys]
    typed = Unaccent(Value(" ".join(name.split()).upper()))
    # The stubs allow only a str here; PostgreSQL takes any text expression.
    scores.append(TrigramWordSimilarity(typed, written))  # type: ignore[arg-type]
    found = (
        Person.objects.visible_to(user)
        .filter(pk__in=list(_candidates(keys, date_of_birth)))
        .annotate(score=Greatest(*scores))
        .order_by("-score", "last_name", "first_name", "pk")
        .prefetch_related(
            Prefetch(
                "cases",
                queryset=Case.objects.visible_to(user)
                .select_related("team")
                .order_by("-opened_at", "-pk"),
                to_attr="visible_cases",
            )
        )[:RESULT_LIMIT]
    )
    return [Hit(person, person.visible_cases) for person in found]
