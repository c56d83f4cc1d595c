import pytest
from django.test import RequestFactory

from apps.conferences.apps import upcoming_conferences

pytestmark = pytest.mark.django_db


def test_team_member_sees_the_next_conference_on_the_start_page(conference, west_member):
    request = RequestFactory().get("/")
    request.user = west_member

    section = upcoming_conferences(request)

    assert section is not None
    assert conference.get_absolute_url() in section.render(request)


@pytest.mark.parametrize("persona", ["nord_member", "familienamt_worker", "school_leader"])
def test_others_do_not_see_a_west_conference(conference, persona, request):
    http_request = RequestFactory().get("/")
    http_request.user = request.getfixturevalue(persona)

    section = upcoming_conferences(http_request)

    assert section is None or conference.get_absolute_url() not in section.render(http_request)
