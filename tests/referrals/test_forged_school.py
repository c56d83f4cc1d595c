"""A school sent with a school leader's form that is not theirs is refused, never replaced."""

import pytest
from django.urls import reverse

from apps.referrals.models import Consent, Referral
from tests.referrals.test_school_child_protection import _post as report_post
from tests.referrals.test_school_create import valid_post as request_post

pytestmark = pytest.mark.django_db

FORMS = [
    pytest.param(reverse("referrals:create"), request_post, id="request"),
    pytest.param(reverse("referrals:child_protection"), report_post, id="child_protection"),
]


@pytest.mark.parametrize(("url", "post"), FORMS)
def test_a_forged_school_is_refused_with_a_message_and_nothing_is_filed(
    client, school_leader, school_nord, url, post
):
    client.force_login(school_leader)

    response = client.post(url, post(school=school_nord.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Die übermittelte Schule ist nicht Ihre Schule (Testschule West)" in content
    assert not Referral.objects.exists()
    assert not Consent.objects.exists()


@pytest.mark.parametrize(("url", "post"), FORMS)
@pytest.mark.parametrize("school", ["999999", "keine-zahl"])
def test_an_unknown_school_is_refused_too(client, school_leader, url, post, school):
    client.force_login(school_leader)

    response = client.post(url, post(school=school))

    assert "Die übermittelte Schule ist nicht Ihre Schule" in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize(("url", "post"), FORMS)
def test_the_own_school_sent_along_is_accepted(client, school_leader, school_west, url, post):
    client.force_login(school_leader)

    response = client.post(url, post(school=school_west.pk))

    assert response.status_code == 302
    assert Referral.objects.get().school == school_west
