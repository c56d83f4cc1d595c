import datetime

import pytest
from django.utils import timezone

from apps.conferences.models import Participant
from apps.conferences.rules import age_on, consent_covers, initials
from apps.organisation.models import Traeger

from .conftest import give_consent

pytestmark = pytest.mark.django_db


def _present(*short_names: str) -> list[Participant]:
    return [Participant(organisation=Traeger.objects.get(short_name=s)) for s in short_names]


def test_consent_naming_every_organisation_present_covers(west_case, familienamt_worker):
    give_consent(west_case, "Familienamt Weimar, AWO Mitte-West-Thüringen", familienamt_worker)

    assert consent_covers(west_case, _present("AWO", "Stadt Weimar"))


def test_consent_matches_the_full_name_case_insensitively(west_case, familienamt_worker):
    give_consent(west_case, "die awo mitte-west-thüringen", familienamt_worker)

    assert consent_covers(west_case, _present("AWO"))


def test_one_participants_organisation_missing_keeps_the_case_pseudonymised(
    west_case, familienamt_worker
):
    give_consent(west_case, "Familienamt und AWO", familienamt_worker)

    assert not consent_covers(west_case, _present("AWO", "Caritas"))


def test_withdrawn_consent_does_not_cover(west_case, familienamt_worker):
    give_consent(west_case, "AWO", familienamt_worker, withdrawn_at=timezone.now())

    assert not consent_covers(west_case, _present("AWO"))


def test_expired_consent_does_not_cover(west_case, familienamt_worker):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    give_consent(west_case, "AWO", familienamt_worker, valid_until=yesterday)

    assert not consent_covers(west_case, _present("AWO"))


def test_consent_for_another_purpose_does_not_cover(west_case, familienamt_worker):
    consent = give_consent(west_case, "AWO", familienamt_worker)
    consent.purposes = ["referral"]
    consent.save()

    assert not consent_covers(west_case, _present("AWO"))


def test_a_name_inside_another_word_does_not_count(west_case, familienamt_worker):
    give_consent(west_case, "Sozialraumteam HTGplus", familienamt_worker)

    assert not consent_covers(west_case, _present("HTG"))


def test_participant_without_organisation_or_nobody_present_fails_closed(
    west_case, familienamt_worker
):
    give_consent(west_case, "AWO, Stadt Weimar", familienamt_worker)

    assert not consent_covers(west_case, [*_present("AWO"), Participant(organisation=None)])
    assert not consent_covers(west_case, [])


def test_case_without_referral_is_never_covered(west_case):
    west_case.referral = None

    assert not consent_covers(west_case, _present("AWO"))


def test_initials_and_age():
    assert initials("Jürgen", "Müller") == "J. M."
    assert initials("Anna-Lena", "von Berg") == "A.-L. V.-B."
    assert age_on(datetime.date(2015, 5, 1), datetime.date(2026, 4, 30)) == 10
    assert age_on(datetime.date(2015, 5, 1), datetime.date(2026, 5, 1)) == 11
