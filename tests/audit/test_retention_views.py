"""The retention overview (Familienamt lead, data protection officer) and legal holds."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.audit.models import AccessLogEntry, Action, LegalHold
from tests.audit.test_retention_data import build_case

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

URL = "/protokoll/aufbewahrung/"
HOLD_URL = "/protokoll/aufbewahrung/sperren/"
LONG_AGO = timezone.make_aware(datetime.datetime(2000, 1, 10, 12, 0))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _old_case(team, author, marker="ALT", first_name="Lena"):
    return build_case(
        team=team,
        author=author,
        marker=marker,
        first_name=first_name,
        date_of_birth=datetime.date(1920, 2, 3),
        closed_at=LONG_AGO,
    )


@pytest.fixture
def old_case(team_west, familienamt_worker):
    return _old_case(team_west, familienamt_worker)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_lead", 200),
        ("dpo", 200),
        ("familienamt_worker", 403),
        ("west_member", 403),
        ("school_leader", 403),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
def test_the_overview_is_for_the_lead_and_the_data_protection_officer(
    login_as, client, persona, status
):
    login_as(persona)

    assert client.get(URL).status_code == status


def test_the_overview_lists_what_would_go_by_reference_without_names(login_as, client, old_case):
    login_as("dpo")

    page = client.get(URL).content.decode()

    assert page.count('data-testid="due-now-row"') == 1
    assert old_case.reference in page
    assert "03.02.2020" in page
    assert "Lena" not in page and "Sommer" not in page and "ALT" not in page
    assert 'data-testid="hold-form"' not in page  # the DPO watches, the lead decides


def test_the_overview_previews_the_next_twelve_months(
    login_as, client, team_west, familienamt_worker
):
    soon = timezone.localdate() + datetime.timedelta(days=60)
    case = build_case(
        team=team_west,
        author=familienamt_worker,
        marker="BALD",
        date_of_birth=soon.replace(year=soon.year - 100),
        closed_at=LONG_AGO,
    )
    login_as("familienamt_lead")

    page = client.get(URL).content.decode()

    assert page.count('data-testid="upcoming-row"') == 1 and case.reference in page
    assert 'data-testid="due-now-empty"' in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_lead", 302),
        ("familienamt_worker", 403),
        ("dpo", 403),
        ("west_member", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_lead_sets_a_hold(login_as, client, old_case, persona, status):
    login_as(persona)

    response = client.post(
        HOLD_URL, {"target": "case", "reference": old_case.reference, "reason": "Klage"}
    )

    assert response.status_code == status
    assert LegalHold.objects.exists() is (persona == "familienamt_lead")


def test_a_hold_takes_the_case_off_the_list_and_is_logged(
    login_as, client, old_case, familienamt_lead
):
    login_as("familienamt_lead")

    response = client.post(
        HOLD_URL,
        {"target": "case", "reference": old_case.reference, "reason": "Verfahren am VG Weimar"},
        follow=True,
    )

    page = response.content.decode()
    hold = LegalHold.objects.get()
    assert (hold.case, hold.created_by, hold.reason) == (
        old_case,
        familienamt_lead,
        "Verfahren am VG Weimar",
    )
    assert 'data-testid="due-now-empty"' in page
    assert page.count('data-testid="hold-row"') == 1
    entry = AccessLogEntry.objects.get(action=Action.WRITE, case_id=old_case.pk)
    assert entry.purpose == "Löschsperre gesetzt"


def test_a_hold_on_a_person_by_number(login_as, client, old_case):
    login_as("familienamt_lead")

    client.post(
        HOLD_URL, {"target": "person", "reference": str(old_case.person_id), "reason": "Klage"}
    )

    assert LegalHold.objects.get().person_id == old_case.person_id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"target": "case", "reference": "", "reason": "Klage"},
            "Bitte geben Sie das Aktenzeichen",
        ),
        ({"target": "case", "reference": "F-0000-0", "reason": "Klage"}, "kein Datensatz"),
        ({"target": "case", "reference": "{ref}", "reason": ""}, "Bitte geben Sie den Grund"),
        ({"target": "person", "reference": "abc", "reason": "Klage"}, "kein Datensatz"),
    ],
)
def test_a_hold_with_bad_input_says_why_and_writes_nothing(
    login_as, client, old_case, data, message
):
    login_as("familienamt_lead")
    data = {key: value.format(ref=old_case.reference) for key, value in data.items()}

    response = client.post(HOLD_URL, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Die Löschsperre wurde nicht gesetzt" in page
    assert not LegalHold.objects.exists()
    assert not AccessLogEntry.objects.filter(action=Action.WRITE).exists()


def test_a_second_hold_on_the_same_case_is_refused(login_as, client, old_case, familienamt_lead):
    LegalHold.objects.create(case=old_case, reason="erste", created_by=familienamt_lead)
    login_as("familienamt_lead")

    response = client.post(
        HOLD_URL, {"target": "case", "reference": old_case.reference, "reason": "zweite"}
    )

    assert response.status_code == 400
    assert LegalHold.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("familienamt_lead", 302), ("dpo", 403), ("familienamt_worker", 403), ("anonymous", 302)],
)
def test_only_the_lead_releases_a_hold(
    login_as, client, old_case, familienamt_lead, persona, status
):
    hold = LegalHold.objects.create(case=old_case, reason="Klage", created_by=familienamt_lead)
    login_as(persona)

    response = client.post(f"{HOLD_URL}{hold.pk}/aufheben/")

    assert response.status_code == status
    hold.refresh_from_db()
    assert (hold.released_at is not None) is (persona == "familienamt_lead")


def test_releasing_a_released_hold_is_404(login_as, client, old_case, familienamt_lead):
    hold = LegalHold.objects.create(
        case=old_case, reason="Klage", created_by=familienamt_lead, released_at=timezone.now()
    )
    login_as("familienamt_lead")

    assert client.post(f"{HOLD_URL}{hold.pk}/aufheben/").status_code == 404


def test_overview_queries_do_not_grow_with_rows(
    login_as, client, team_west, familienamt_worker, familienamt_lead
):
    first = _old_case(team_west, familienamt_worker, "EINS", "Eins")
    LegalHold.objects.create(person=first.person, reason="a", created_by=familienamt_lead)
    _old_case(team_west, familienamt_worker, "ZWEI", "Zwei")
    login_as("familienamt_lead")
    with CaptureQueriesContext(connection) as few:
        client.get(URL)

    for n in range(4):
        case = _old_case(team_west, familienamt_worker, f"MEHR{n}", f"Mehr{n}")
        if n % 2:
            LegalHold.objects.create(case=case, reason="b", created_by=familienamt_lead)
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL).content.decode()

    assert page.count('data-testid="due-now-row"') == 3
    assert page.count('data-testid="hold-row"') == 3
    assert len(many.captured_queries) == len(few.captured_queries)
