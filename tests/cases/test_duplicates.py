import datetime

import pytest

from apps.cases.duplicates import possible_duplicates
from apps.cases.models import Person

pytestmark = pytest.mark.django_db

BIRTHDAY = datetime.date(2016, 3, 4)


@pytest.mark.parametrize(
    ("first_name", "last_name"),
    [
        ("Jürgen", "Müller"),
        ("Juergen", "Mueller"),
        ("Jurgen", "Muller"),
        ("jürgen", "MÜLLER"),
        ("Jürgen", "Muller"),
    ],
)
def test_spellings_of_the_same_child_are_found(known_mueller, first_name, last_name):
    assert possible_duplicates(first_name, last_name, BIRTHDAY) == [known_mueller]


def test_a_different_birthday_is_not_a_duplicate(known_mueller):
    assert possible_duplicates("Jürgen", "Müller", datetime.date(2016, 3, 5)) == []


def test_a_different_child_born_the_same_day_is_not_a_duplicate(known_mueller):
    Person.objects.create(first_name="Lena", last_name="Schulz", date_of_birth=BIRTHDAY)

    assert possible_duplicates("Lena", "Schulz", BIRTHDAY) != [known_mueller]
    assert known_mueller not in possible_duplicates("Lena", "Schulz", BIRTHDAY)
