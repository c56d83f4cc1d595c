"""Schools in narrow columns: the kind abbreviated, the distinguishing part kept."""

import pytest
from django.urls import reverse

from apps.organisation.models import Schule
from tests.referrals.factories import make_referral


@pytest.mark.parametrize(
    ("name", "kind", "short"),
    [
        ("Grundschule „Sonnenblume“", Schule.Kind.GRUNDSCHULE, "GS Sonnenblume"),
        ("Regelschule „Zur Linde“", Schule.Kind.REGELSCHULE, "RS Zur Linde"),
        ("Gemeinschaftsschule „Am Weinberg“", Schule.Kind.GEMEINSCHAFTSSCHULE, "TGS Am Weinberg"),
        ("Gymnasium „Am Mühlbach“", Schule.Kind.GYMNASIUM, "Gym. Am Mühlbach"),
        ("Förderzentrum „Am Park“", Schule.Kind.FOERDERZENTRUM, "FöZ Am Park"),
        ("Berufsbildende Schule Weimar", Schule.Kind.BERUFSBILDEND, "SBBS Weimar"),
        # A name that does not start with its kind stays as it is.
        ("Schule am Ettersberg", Schule.Kind.GRUNDSCHULE, "Schule am Ettersberg"),
        ("Grundschule", Schule.Kind.GRUNDSCHULE, "Grundschule"),
    ],
)
def test_the_short_name_abbreviates_the_kind_and_keeps_what_tells_schools_apart(name, kind, short):
    assert Schule(name=name, kind=kind).short_name == short


@pytest.mark.django_db
def test_the_inbox_shows_the_short_name_and_keeps_the_full_one_at_hand(
    client, familienamt_worker, school_leader, school_west
):
    school_west.name = "Grundschule „Sonnenblume“"
    school_west.save()
    make_referral(author=school_leader, school=school_west, days_ago=1)
    client.force_login(familienamt_worker)

    response = client.get(reverse("referrals:queue"))

    assert ">GS Sonnenblume</td>" in response.text
    assert 'title="Grundschule „Sonnenblume“"' in response.text
