"""Bulk assignment and saved filters on the triage queue."""

import pytest
from django.urls import reverse

from apps.referrals.models import Referral, ReferralEvent, SavedFilter
from apps.referrals.workflow import Status
from tests.referrals.factories import make_referral

pytestmark = pytest.mark.django_db

QUEUE = reverse("referrals:queue")
BULK = reverse("referrals:bulk_assign")
SAVE = reverse("referrals:filter_save")


def _messages(client, response) -> str:
    return client.get(response["Location"]).content.decode()


@pytest.fixture
def three_open(school_leader, school_west):
    return [make_referral(author=school_leader, school=school_west, days_ago=d) for d in (3, 2, 1)]


# --- bulk assignment -------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("familienamt_worker", 302),
        ("familienamt_lead", 302),
        ("west_member", 403),
        ("school_leader", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_familienamt_assigns(
    client, login_as, three_open, familienamt_lead, persona, status
):
    login_as(persona)

    response = client.post(BULK, {"ids": [three_open[0].pk], "assignee": familienamt_lead.pk})

    assert response.status_code == status
    assigned = Referral.objects.filter(assignee=familienamt_lead).count()
    assert assigned == (1 if persona.startswith("familienamt") else 0)


def test_bulk_assign_gives_the_selected_requests_to_one_person(
    client, familienamt_worker, familienamt_lead, three_open
):
    client.force_login(familienamt_worker)
    chosen = three_open[:2]

    response = client.post(
        BULK,
        {
            "ids": [r.pk for r in chosen],
            "assignee": familienamt_lead.pk,
            "next": f"{QUEUE}?dringend=nein&bearbeitung=niemand",
        },
    )

    assert response["Location"] == f"{QUEUE}?dringend=nein&bearbeitung=niemand"
    assert set(Referral.objects.filter(assignee=familienamt_lead)) == set(chosen)
    assert ReferralEvent.objects.filter(summary__startswith="Zugewiesen an").count() == 2
    assert "2 Anfragen zugewiesen" in _messages(client, response)


def test_bulk_assign_ignores_ids_out_of_scope(
    client, familienamt_worker, familienamt_lead, school_leader, school_west, three_open
):
    draft = make_referral(author=school_leader, school=school_west, status=Status.DRAFT)
    client.force_login(familienamt_worker)

    response = client.post(
        BULK, {"ids": [draft.pk, three_open[0].pk, 999999, "x"], "assignee": familienamt_lead.pk}
    )

    draft.refresh_from_db()
    assert draft.assignee is None
    assert "1 Anfrage zugewiesen" in _messages(client, response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"assignee": "LEAD"}, "Bitte wählen Sie mindestens eine Anfrage aus."),
        ({"ids": "FIRST"}, "Bitte wählen Sie eine Mitarbeiterin oder einen Mitarbeiter"),
        ({"ids": "FIRST", "assignee": "SCHOOL"}, "Bitte wählen Sie eine Mitarbeiterin"),
        ({"ids": "FIRST", "assignee": "abc"}, "Bitte wählen Sie eine Mitarbeiterin"),
    ],
)
def test_bulk_assign_without_ids_or_assignee_writes_nothing(
    client, familienamt_worker, familienamt_lead, school_leader, three_open, data, message
):
    client.force_login(familienamt_worker)
    stand_ins = {"LEAD": familienamt_lead.pk, "SCHOOL": school_leader.pk, "FIRST": three_open[0].pk}
    data = {k: stand_ins.get(v, v) for k, v in data.items()}

    response = client.post(BULK, data)

    assert response["Location"] == QUEUE
    assert message in _messages(client, response)
    assert not Referral.objects.filter(assignee__isnull=False).exists()
    assert not ReferralEvent.objects.exists()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/eingang/"])
def test_bulk_assign_does_not_redirect_elsewhere(
    client, familienamt_worker, familienamt_lead, three_open, target
):
    client.force_login(familienamt_worker)

    response = client.post(
        BULK, {"ids": [three_open[0].pk], "assignee": familienamt_lead.pk, "next": target}
    )

    assert response["Location"] == QUEUE


# --- saved filters ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("familienamt_worker", 302), ("west_member", 403), ("school_leader", 403), ("anonymous", 302)],
)
def test_only_the_familienamt_saves_filters(client, login_as, persona, status):
    login_as(persona)

    response = client.post(SAVE, {"name": "Meine", "query": "dringend=ja"})

    assert response.status_code == status
    assert SavedFilter.objects.count() == (1 if persona == "familienamt_worker" else 0)


def test_a_saved_filter_roundtrips(client, familienamt_worker, school_leader, school_west):
    urgent = make_referral(author=school_leader, school=school_west, urgent=True)
    calm = make_referral(author=school_leader, school=school_west)
    client.force_login(familienamt_worker)

    response = client.post(
        SAVE,
        {
            "name": "Dringend, West",
            "query": "dringend=ja&vorname=Lena&status=received&status=in_triage&nach=1.2&wartet=",
        },
    )

    saved = SavedFilter.objects.get(owner=familienamt_worker)
    # Only known filter keys with values are kept: never a name, never a cursor.
    assert saved.query == "dringend=ja&status=received&status=in_triage"
    assert response["Location"] == f"{QUEUE}?{saved.query}"
    page = client.get(QUEUE).content.decode()
    assert "Dringend, West" in page
    assert f'href="{QUEUE}?dringend=ja&amp;status=received&amp;status=in_triage"' in page
    rows = client.get(f"{QUEUE}?{saved.query}").context["rows"]
    assert [row.referral for row in rows] == [urgent]
    assert calm not in [row.referral for row in rows]


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Bitte geben Sie dem Filter einen Namen."), ("x" * 61, "Der Name ist zu lang")],
)
def test_a_filter_needs_a_short_name(client, familienamt_worker, name, message):
    client.force_login(familienamt_worker)

    response = client.post(SAVE, {"name": name, "query": "dringend=ja"})

    assert message in _messages(client, response)
    assert not SavedFilter.objects.exists()


def test_filter_names_are_unique_per_person(client, familienamt_worker, familienamt_lead):
    SavedFilter.objects.create(owner=familienamt_lead, name="Dringend", query="dringend=ja")
    client.force_login(familienamt_worker)
    client.post(SAVE, {"name": "Dringend", "query": "dringend=ja"})

    response = client.post(SAVE, {"name": "Dringend", "query": "dringend=nein"})

    assert "Sie haben schon einen Filter „Dringend“" in _messages(client, response)
    assert SavedFilter.objects.filter(owner=familienamt_worker).get().query == "dringend=ja"


def test_only_own_filters_can_be_deleted(client, familienamt_worker, familienamt_lead):
    mine = SavedFilter.objects.create(owner=familienamt_worker, name="Meins", query="")
    theirs = SavedFilter.objects.create(owner=familienamt_lead, name="Ihres", query="")
    client.force_login(familienamt_worker)

    assert client.post(reverse("referrals:filter_delete", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("referrals:filter_delete", args=[mine.pk])).status_code == 405
    response = client.post(reverse("referrals:filter_delete", args=[mine.pk]))

    assert response["Location"] == QUEUE
    assert list(SavedFilter.objects.all()) == [theirs]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("familienamt_lead", 302), ("west_member", 403), ("school_leader", 403), ("anonymous", 302)],
)
def test_filter_delete_persona_table(client, login_as, familienamt_lead, persona, status):
    saved = SavedFilter.objects.create(owner=familienamt_lead, name="Meins", query="")
    login_as(persona)

    response = client.post(reverse("referrals:filter_delete", args=[saved.pk]))

    assert response.status_code == status
    assert SavedFilter.objects.exists() == (persona != "familienamt_lead")


@pytest.mark.parametrize("field", ["name", "query"])
def test_a_nul_byte_in_a_saved_filter_is_refused_not_a_server_error(
    client, familienamt_worker, field
):
    client.force_login(familienamt_worker)
    data = {"name": "Mein Filter", "query": "status=received"}
    data[field] = data[field] + "\x00"

    response = client.post(SAVE, data, follow=True)

    assert response.status_code == 200
    assert "unzulässiges Zeichen" in response.content.decode()
    assert not SavedFilter.objects.exists()
