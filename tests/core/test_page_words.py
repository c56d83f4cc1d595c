"""Small wording and navigation rules of issue 8's page tour."""

import pytest
from django.urls import reverse

from apps.organisation.models import Traeger

pytestmark = pytest.mark.django_db


def test_traeger_are_shown_as_people_know_them():
    assert str(Traeger.objects.get(short_name="HTG")) == "Hufeland-Trägergesellschaft (HTG)"
    city = Traeger.objects.get(is_city=True)
    assert str(city) == city.name  # no "Stadt Weimar (Stadt Weimar)"


def test_schulbegleitung_anfragen_is_in_the_schools_main_navigation(client, school_leader):
    client.force_login(school_leader)

    content = client.get(reverse("accounts:start")).content.decode()

    nav = content[content.index('aria-label="Hauptnavigation"') :]
    assert f'href="{reverse("referrals:create")}"' in nav
    assert "Schulbegleitung anfragen" in nav


def test_others_do_not_get_the_request_form_in_their_navigation(client, west_member):
    client.force_login(west_member)

    content = client.get(reverse("accounts:start")).content.decode()

    assert "Schulbegleitung anfragen" not in content
