"""The Schulbegleitung year for the Familienamt: grants, renewal wave, hours."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.referrals.workflow import Status
from tests.schoolsupport.conftest import running_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["year", "renewals", "hours", "continuations"])
@pytest.mark.parametrize(
    "persona",
    ["familienamt_worker", "familienamt_lead", "school_leader", "west_member", "admin_user", "dpo"],
)
def test_who_may_open_the_schulbegleitung_pages(client, request, name, persona):
    client.force_login(request.getfixturevalue(persona))
    school_page = name == "continuations"
    allowed = persona == "school_leader" if school_page else persona.startswith("familienamt")

    response = client.get(reverse(f"schoolsupport:{name}"))

    assert response.status_code == (200 if allowed else 403)


def test_running_grants_are_listed_with_hours_and_end(client, familienamt_worker, sb_case):
    client.force_login(familienamt_worker)

    page = client.get(reverse("schoolsupport:year")).content.decode()

    assert sb_case.reference in page
    assert "1 laufende Bewilligungen, zusammen 12" in page


def test_hours_per_provider_show_no_names(client, familienamt_worker, sb_case):
    client.force_login(familienamt_worker)

    page = client.get(reverse("schoolsupport:hours")).content.decode()

    assert "12" in page
    assert sb_case.person.last_name not in page and sb_case.reference not in page


def test_bulk_start_review_moves_the_chosen_running_cases(client, familienamt_worker, sb_case):
    client.force_login(familienamt_worker)

    response = client.post(
        reverse("schoolsupport:renewals_start"), {"fall": [sb_case.pk]}, follow=True
    )

    sb_case.refresh_from_db()
    assert sb_case.status == Status.REVIEW
    assert f"Fortschreibung begonnen für 1 Fall: {sb_case.reference}" in response.content.decode()


def test_bulk_start_review_without_a_choice_changes_nothing(client, familienamt_worker, sb_case):
    client.force_login(familienamt_worker)

    response = client.post(reverse("schoolsupport:renewals_start"), {}, follow=True)

    sb_case.refresh_from_db()
    assert sb_case.status == Status.RUNNING
    assert "Bitte wählen Sie mindestens einen Fall aus." in response.content.decode()


def test_the_renewal_filter_keeps_to_its_state(client, familienamt_worker, sb_case):
    client.force_login(familienamt_worker)

    started = client.get(reverse("schoolsupport:renewals"), {"stand": "begonnen"})
    waiting = client.get(reverse("schoolsupport:renewals"), {"stand": "offen"})

    assert sb_case.reference not in started.content.decode()
    assert sb_case.reference in waiting.content.decode()


@pytest.mark.parametrize("name", ["year", "renewals"])
def test_the_lists_need_the_same_queries_for_one_and_many_grants(
    client, familienamt_worker, west_member, school_leader, school_west, sb_case, name
):
    client.force_login(familienamt_worker)
    url = reverse(f"schoolsupport:{name}")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        running_case(
            school_leader, school_west, familienamt_worker, west_member, first_name=f"Kind{n}"
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.content.decode().count("F-") >= 5
    assert len(many) == len(one)


def test_the_renewal_wave_ends_with_the_school_year_as_the_calendar_data_has_it(
    client, familienamt_worker
):
    from django.utils import timezone

    from apps.organisation.models import SchoolYear

    today = timezone.localdate()
    school_year = SchoolYear.objects.containing(today)
    # The Familienamt moved the end of the school year (a different Ferienordnung).
    school_year.ends_on = school_year.ends_on.replace(day=9)
    school_year.save()
    client.force_login(familienamt_worker)

    page = client.get(reverse("schoolsupport:renewals")).content.decode()

    assert f"bis zum {school_year.ends_on:%d.%m.%Y} endet" in page
    assert f"1. Halbjahr endet am {school_year.first_half_ends_on:%d.%m.%Y}" in page


def test_without_a_school_year_in_the_data_the_lists_say_what_they_assume(
    client, familienamt_worker
):
    from apps.organisation.models import SchoolYear

    SchoolYear.objects.all().delete()
    client.force_login(familienamt_worker)

    page = client.get(reverse("schoolsupport:renewals")).content.decode()

    assert "Für heute ist kein Schuljahr hinterlegt" in page


@pytest.mark.parametrize("name", ["year", "renewals"])
def test_the_lists_page_with_the_shared_pager_showing_each_grant_once(
    client, monkeypatch, familienamt_worker, west_member, school_leader, school_west, sb_case, name
):
    from apps.schoolsupport import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(4):
        running_case(
            school_leader, school_west, familienamt_worker, west_member, first_name=f"Kind{n}"
        )
    client.force_login(familienamt_worker)
    url = reverse(f"schoolsupport:{name}")

    shown, cursor = [], None
    for _ in range(5):
        response = client.get(url, {"nach": cursor} if cursor else {})
        shown += [grant.pk for grant in response.context["rows"]]
        cursor = response.context["page"].next_cursor
        if cursor is None:
            break
    broken = client.get(url, {"nach": "2027-07-31_1"})  # the old cursor format

    assert len(shown) == len(set(shown)) >= 5
    assert broken.status_code == 200 and 'data-testid="pager-reset"' in broken.text
