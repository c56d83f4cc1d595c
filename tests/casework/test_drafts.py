"""Nothing typed is lost: the note form's server-side draft."""

import pytest
from django.urls import reverse

from apps.casework.models import NoteDraft
from tests.casework.conftest import URLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

HTMX = {"HX-Request": "true"}
TYPED = "Die Lehrerin berichtet, dass Mila seit zwei Wochen"


def _autosave(client, case, text=TYPED, **extra):
    return client.post(
        reverse("casework:note_draft", args=[case.pk]), {"text": text, **extra}, headers=HTMX
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 200),
        ("familienamt_worker", 200),
        ("nord_member", 404),
        ("school_leader", 403),
        ("admin_user", 403),
        ("anonymous", 401),
    ],
)
def test_autosave_is_scoped_to_the_case(client, login_as, west_case, persona, status):
    login_as(persona)

    response = _autosave(client, west_case)

    assert response.status_code == status
    assert NoteDraft.objects.exists() == (status == 200)


def test_autosave_keeps_one_draft_per_person_and_case(client, west_member, west_case):
    client.force_login(west_member)

    _autosave(client, west_case, "erste Fassung")
    response = _autosave(client, west_case, "zweite Fassung", confided="on")

    draft = NoteDraft.objects.get()
    assert (draft.text, draft.confided) == ("zweite Fassung", True)
    assert "Entwurf gesichert um" in response.content.decode()


def test_an_expired_session_gets_a_short_401_notice_instead_of_the_login_page(
    client, west_member, west_case
):
    client.force_login(west_member)
    client.session.flush()
    client.logout()

    response = _autosave(client, west_case)

    assert response.status_code == 401
    body = response.content.decode()
    assert "Sitzung abgelaufen" in body and "noch nicht gespeichert" in body
    assert "<html" not in body and "Anmelden" not in body
    assert not NoteDraft.objects.exists()


def test_the_draft_survives_a_session_expiry_and_is_back_after_a_new_login(
    client, west_member, west_case
):
    client.force_login(west_member)
    _autosave(client, west_case)
    # The session ends (time-out or logout): all that was in it is gone.
    client.logout()
    assert client.get(reverse("casework:notes", args=[west_case.pk])).status_code == 302

    login = client.post(
        reverse("accounts:login"), {"username": "tm-west", "password": "correct-horse-battery"}
    )
    assert login.status_code == 302
    page = client.get(reverse("casework:notes", args=[west_case.pk])).content.decode()
    case_page = client.get(west_case.get_absolute_url()).content.decode()

    assert TYPED in page
    assert TYPED in case_page


def test_a_draft_is_only_shown_to_the_person_who_typed_it(
    client, west_member, west_colleague, west_case
):
    NoteDraft.objects.create(user=west_member, case=west_case, text=TYPED)
    client.force_login(west_colleague)

    page = client.get(reverse("casework:notes", args=[west_case.pk])).content.decode()

    assert TYPED not in page


def test_the_note_form_autosaves_every_few_seconds(client, west_member, west_case):
    client.force_login(west_member)

    page = client.get(reverse("casework:notes", args=[west_case.pk])).content.decode()

    assert 'hx-trigger="input changed delay:2s"' in page
    assert f'hx-post="{reverse("casework:note_draft", args=[west_case.pk])}"' in page
