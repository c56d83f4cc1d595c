"""A request's history spans the request, its consents and its questions."""

import datetime

import pytest
from django.urls import reverse

from apps.referrals.models import Referral
from apps.referrals.services import ConsentData, referral_submit

pytestmark = pytest.mark.django_db


def submit_referral(school_leader, school) -> Referral:
    referral = referral_submit(
        author=school_leader,
        school=school,
        kind=Referral.Kind.SCHULBEGLEITUNG,
        fields={
            "first_name": "Jürgen",
            "last_name": "Müller",
            "date_of_birth": datetime.date(2016, 3, 4),
            "school_class": "3b",
            "observations": "Braucht Unterstützung im Unterricht.",
        },
        consent=ConsentData(
            given_by="Anna Müller",
            relation="Mutter",
            given_on=datetime.date(2026, 11, 1),
            purpose="referral",
            recipients="Familienamt und Sozialraumteam",
        ),
    )
    return referral


def test_a_bulk_change_of_requests_shows_on_each_request(
    client, school_leader, school_west, familienamt_worker
):
    referral = submit_referral(school_leader, school_west)
    Referral.objects.filter(pk=referral.pk).update(school_class="4a", urgent=True)
    client.force_login(familienamt_worker)

    response = client.get(reverse("history:referral", args=[referral.pk]))

    content = response.content.decode()
    assert "Klasse" in content and "3b" in content and "4a" in content
    assert "Einwilligung" in content
