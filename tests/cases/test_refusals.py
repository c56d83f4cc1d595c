import pytest

from apps.core.records import lock_version, save_new_version
from apps.core.refusals import NotAllowed, Refused, StaleRecord, compare, word_diff
from apps.referrals.workflow import TransitionNotAllowed

pytestmark = pytest.mark.django_db


def test_every_refusal_is_one_family_with_a_message():
    assert issubclass(StaleRecord, Refused)
    assert issubclass(TransitionNotAllowed, NotAllowed)
    assert str(NotAllowed("Nur das Familienamt.")) == "Nur das Familienamt."


def test_a_stale_version_names_who_changed_the_record_and_when(west_case, familienamt_lead):
    from apps.cases.services import case_update

    case_update(
        case_id=west_case.pk,
        actor=familienamt_lead,
        expected_version=west_case.version,
        family_goals="Neu",
    )

    with pytest.raises(StaleRecord) as refusal:
        lock_version(type(west_case).objects.all(), west_case.pk, west_case.version)

    assert refusal.value.changed_by == str(familienamt_lead)
    assert refusal.value.changed_at is not None
    assert f"von {familienamt_lead} geändert (am " in refusal.value.message


def test_saving_counts_the_version_up(west_case):
    before = west_case.version

    save_new_version(west_case, ["assessment"])

    west_case.refresh_from_db()
    assert west_case.version == before + 1


def test_short_values_are_compared_as_a_whole_long_texts_word_by_word():
    diff = compare(
        {"date": "Datum", "text": "Text"},
        {"date": "01.02.2026", "text": "Mila liest langsam und gern."},
        {"date": "02.02.2026", "text": "Mila liest schnell und gern."},
        by_word={"text"},
    )

    assert [(s.kind, s.text) for s in diff[0].segments] == [
        ("removed", "01.02.2026"),
        ("added", "02.02.2026"),
    ]
    assert ("removed", "langsam") in [(s.kind, s.text) for s in diff[1].segments]


def test_two_different_texts_are_not_cut_into_shared_words():
    segments = word_diff("Was das Amt notiert hat.", "Wir wollen, dass es klappt.")

    assert [s.kind for s in segments] == ["removed", "added"]
