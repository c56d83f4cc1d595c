"""Verlaufsnotizen: adding, correcting, the history, and the §65 rule."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.casework.models import AppendOnly, CaseNote, NoteDraft, NoteShare, NoteVersion
from tests.casework.conftest import URLS, write_note

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

HTMX = {"HX-Request": "true"}
SECRET = "Die Mutter erzählte vom Streit mit dem Vater."

VIEW_PERSONAS = [
    ("west_member", 200),
    ("familienamt_worker", 200),
    ("familienamt_lead", 200),
    ("nord_member", 404),
    ("school_leader", 403),
    ("admin_user", 403),
    ("dpo", 403),
    ("anonymous", 302),
]


@pytest.mark.parametrize(("persona", "status"), VIEW_PERSONAS)
def test_note_list_is_scoped_to_the_case(client, login_as, west_case, persona, status):
    login_as(persona)

    response = client.get(reverse("casework:notes", args=[west_case.pk]))

    assert response.status_code == status
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("persona", "status"),
    [(p, 302 if s == 200 else s) for p, s in VIEW_PERSONAS],
)
def test_note_create_is_scoped_to_the_case(client, login_as, west_case, persona, status):
    login_as(persona)

    response = client.post(
        reverse("casework:note_create", args=[west_case.pk]), {"text": "Telefonat mit der Schule."}
    )

    assert response.status_code == status
    assert CaseNote.objects.exists() == (status == 302 and persona != "anonymous")


def test_adding_a_note_without_javascript_redirects_to_the_case_page(
    client, west_member, west_case
):
    client.force_login(west_member)

    response = client.post(
        reverse("casework:note_create", args=[west_case.pk]), {"text": "Erstgespräch geführt."}
    )

    assert response.status_code == 302
    assert response.url == west_case.get_absolute_url() + "#notizen"
    note = CaseNote.objects.get()
    assert (note.author, note.confided) == (west_member, False)
    assert note.versions.get().text == "Erstgespräch geführt."


def test_adding_a_note_with_htmx_swaps_the_notes_panel(client, west_member, west_case):
    client.force_login(west_member)

    response = client.post(
        reverse("casework:note_create", args=[west_case.pk]),
        {"text": "Erstgespräch geführt."},
        headers=HTMX,
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="notizen"' in body and "Erstgespräch geführt." in body
    assert "<html" not in body


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_an_empty_note_is_refused_with_a_message(client, west_member, west_case, headers):
    client.force_login(west_member)

    response = client.post(
        reverse("casework:note_create", args=[west_case.pk]), {"text": "   "}, headers=headers
    )

    assert response.status_code == 200
    assert "Bitte schreiben Sie einen Text für die Notiz." in response.content.decode()
    assert not CaseNote.objects.exists()
    assert not NoteVersion.objects.exists()


def test_a_one_megabyte_note_is_refused_with_a_message_and_nothing_stored(
    client, west_member, west_case
):
    client.force_login(west_member)

    response = client.post(
        reverse("casework:note_create", args=[west_case.pk]), {"text": "Notiz " * 175_000}
    )

    assert response.status_code == 200
    assert "Bitte kürzen Sie den Text auf höchstens 20000 Zeichen" in response.content.decode()
    assert not CaseNote.objects.exists()
    assert not NoteVersion.objects.exists()


@pytest.mark.parametrize("text", ["halb\x00getippt", "x" * 20_001])
def test_a_draft_with_a_nul_byte_or_too_long_is_not_kept(client, west_member, west_case, text):
    client.force_login(west_member)

    response = client.post(
        reverse("casework:note_draft", args=[west_case.pk]), {"text": text}, headers=HTMX
    )

    assert response.status_code == 400
    assert "wurde nicht gespeichert" in response.content.decode()
    assert not NoteDraft.objects.exists()


def test_saving_the_note_deletes_the_draft(client, west_member, west_case):
    NoteDraft.objects.create(user=west_member, case=west_case, text="halb getippt")
    client.force_login(west_member)

    client.post(reverse("casework:note_create", args=[west_case.pk]), {"text": "fertig getippt"})

    assert not NoteDraft.objects.exists()


# The §65 rule --------------------------------------------------------------------------


def _pages_for_others(client, case, note):
    return {
        "Notizseite": client.get(reverse("casework:notes", args=[case.pk])),
        "Notizen-Partial": client.get(reverse("casework:notes", args=[case.pk]), headers=HTMX),
        "Verlauf": client.get(reverse("casework:note_history", args=[case.pk, note.pk])),
        "Fallseite": client.get(case.get_absolute_url()),
        "Fallseite (Abschnitte eingebunden)": client.get(reverse("test_case_page", args=[case.pk])),
    }


@pytest.mark.parametrize("persona", ["west_colleague", "familienamt_worker", "familienamt_lead"])
def test_a_confided_notes_text_never_reaches_another_user(
    client, login_as, west_case, confided_note, persona
):
    login_as(persona)

    for page, response in _pages_for_others(client, west_case, confided_note).items():
        body = response.content.decode()
        assert response.status_code == 200, page
        assert SECRET not in body, page
        assert "Anvertraute Notiz von tm-west" in body, page


def test_the_author_reads_their_confided_note(client, west_member, west_case, confided_note):
    client.force_login(west_member)

    for page, response in _pages_for_others(client, west_case, confided_note).items():
        assert SECRET in response.content.decode(), page


def test_the_text_of_an_unreadable_note_is_not_even_loaded(
    west_colleague, west_case, confided_note
):
    note = CaseNote.objects.visible_to(west_colleague).with_history_for(west_colleague).get()

    assert note.readable_versions == []
    assert note.current_version is None
    assert not note.can_read_text(west_colleague)


def test_can_read_text_agrees_with_the_annotation(
    west_member, west_colleague, familienamt_worker, nord_member, confided_note
):
    for user, expected in [
        (west_member, True),
        (west_colleague, False),
        (familienamt_worker, False),
        (nord_member, False),
    ]:
        fresh = CaseNote.objects.get(pk=confided_note.pk)
        assert fresh.can_read_text(user) is expected
        annotated = CaseNote.objects.visible_to(user).filter(pk=confided_note.pk).first()
        if annotated is not None:
            assert annotated.can_read_text(user) is expected


# Sharing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 200),
        ("west_colleague", 403),
        ("familienamt_worker", 403),
        ("nord_member", 404),
        ("school_leader", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_author_may_share_a_confided_note(
    client, login_as, west_case, confided_note, persona, status
):
    login_as(persona)

    response = client.get(reverse("casework:note_share", args=[west_case.pk, confided_note.pk]))

    assert response.status_code == status


def _share(client, case, note, colleague, **overrides):
    data = {
        "colleagues": [colleague.pk],
        "consent_given_by": "Anna Beispiel (Mutter)",
        "consent_given_on": "2026-01-10",
        "consent_basis": "Mündlich im Gespräch, für die Fallberatung.",
        **overrides,
    }
    return client.post(reverse("casework:note_share", args=[case.pk, note.pk]), data)


def test_sharing_opens_the_text_to_the_named_colleague_only(
    client, west_member, west_colleague, familienamt_worker, west_case, confided_note
):
    client.force_login(west_member)

    response = _share(client, west_case, confided_note, west_colleague)

    assert response.status_code == 302
    share = NoteShare.objects.get()
    assert (share.shared_with, share.consent_given_by) == (west_colleague, "Anna Beispiel (Mutter)")
    client.force_login(west_colleague)
    assert all(
        SECRET in r.content.decode()
        for r in _pages_for_others(client, west_case, confided_note).values()
    )
    client.force_login(familienamt_worker)
    assert all(
        SECRET not in r.content.decode()
        for r in _pages_for_others(client, west_case, confided_note).values()
    )


def test_a_revoked_share_closes_the_text_again(west_member, west_colleague, confided_note):
    share = NoteShare.objects.create(
        note=confided_note,
        shared_with=west_colleague,
        consent_given_by="Anna",
        consent_given_on="2026-01-10",
        consent_basis="mündlich",
        created_by=west_member,
    )
    assert CaseNote.objects.get().can_read_text(west_colleague)

    share.revoked_at = share.created_at
    share.save()

    assert not CaseNote.objects.get().can_read_text(west_colleague)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent_basis": ""}, "Ohne Einwilligung darf die Notiz nicht weitergegeben werden."),
        ({"consent_given_by": ""}, "Bitte geben Sie an, wer eingewilligt hat."),
        ({"colleagues": []}, "Bitte wählen Sie mindestens eine Kollegin oder einen Kollegen."),
        ({"consent_given_on": "2999-01-01"}, "Eine Einwilligung kann nicht in der Zukunft liegen."),
    ],
)
def test_sharing_without_a_recorded_consent_is_refused(
    client, west_member, west_colleague, west_case, confided_note, overrides, message
):
    client.force_login(west_member)

    response = _share(client, west_case, confided_note, west_colleague, **overrides)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NoteShare.objects.exists()


def test_a_confided_note_cannot_be_shared_outside_the_case_team(
    client, west_member, nord_member, west_case, confided_note
):
    client.force_login(west_member)

    response = _share(client, west_case, confided_note, nord_member)

    assert response.status_code == 200
    assert "nur für das Team des Falls und das Familienamt" in response.content.decode()
    assert not NoteShare.objects.exists()


# Corrections ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 200),
        ("west_colleague", 403),
        ("familienamt_worker", 403),
        ("nord_member", 404),
        ("school_leader", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_author_corrects_a_note(client, login_as, west_case, west_member, persona, status):
    note = write_note(west_case, west_member, "Termin am Montag.")
    login_as(persona)

    response = client.post(
        reverse("casework:note_correct", args=[west_case.pk, note.pk]),
        {"text": "Termin am Dienstag."},
    )

    assert response.status_code == (302 if status == 200 else status)
    assert note.versions.count() == (2 if status == 200 else 1)


def test_a_correction_keeps_the_earlier_version_in_the_history(
    client, west_member, west_colleague, west_case
):
    note = write_note(west_case, west_member, "Termin am Montag.")
    client.force_login(west_member)
    client.post(
        reverse("casework:note_correct", args=[west_case.pk, note.pk]),
        {"text": "Termin am Dienstag.", "reason": "Tag verwechselt"},
    )
    client.force_login(west_colleague)

    history = client.get(
        reverse("casework:note_history", args=[west_case.pk, note.pk])
    ).content.decode()
    notes = client.get(reverse("casework:notes", args=[west_case.pk])).content.decode()

    assert list(note.versions.values_list("number", "text")) == [
        (1, "Termin am Montag."),
        (2, "Termin am Dienstag."),
    ]
    assert "Termin am Montag." in history and "Termin am Dienstag." in history
    assert "Tag verwechselt" in history
    assert "Termin am Dienstag." in notes and "Termin am Montag." not in notes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Bitte schreiben Sie den korrigierten Text."),
        ("Termin am Montag.", "Der Text ist unverändert; es gibt nichts zu korrigieren."),
    ],
)
def test_an_empty_or_unchanged_correction_is_refused(client, west_member, west_case, text, message):
    note = write_note(west_case, west_member, "Termin am Montag.")
    client.force_login(west_member)

    response = client.post(
        reverse("casework:note_correct", args=[west_case.pk, note.pk]), {"text": text}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert note.versions.count() == 1


def test_a_note_version_is_never_changed_or_deleted(west_member, west_case):
    version = write_note(west_case, west_member, "Termin am Montag.").versions.get()

    version.text = "überschrieben"
    with pytest.raises(AppendOnly):
        version.save()
    with pytest.raises(AppendOnly):
        version.delete()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_colleague", 200),
        ("familienamt_worker", 200),
        ("nord_member", 404),
        ("school_leader", 403),
    ],
)
def test_note_history_is_scoped_to_the_case(
    client, login_as, west_case, west_member, persona, status
):
    note = write_note(west_case, west_member, "Termin am Montag.")
    login_as(persona)

    response = client.get(reverse("casework:note_history", args=[west_case.pk, note.pk]))

    assert response.status_code == status


def test_a_note_of_another_case_is_not_found_under_this_case(
    client, west_member, west_case, nord_case, nord_member
):
    note = write_note(nord_case, nord_member, "Nord")
    client.force_login(west_member)

    response = client.get(reverse("casework:note_history", args=[west_case.pk, note.pk]))

    assert response.status_code == 404


# Query counts --------------------------------------------------------------------------


def _notes(case, author, colleague, count):
    for i in range(count):
        note = write_note(case, author, f"Notiz {i}", confided=i % 3 == 0)
        NoteVersion.objects.create(
            note=note, number=2, text=f"Notiz {i} korrigiert", created_by=author
        )
        if i % 3 == 0:
            NoteShare.objects.create(
                note=note,
                shared_with=colleague,
                consent_given_by="Anna",
                consent_given_on="2026-01-10",
                consent_basis="mündlich",
                created_by=author,
            )


def _count_queries(client, url, headers=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_notes_queries_do_not_grow_with_the_number_of_notes(
    client, west_member, west_colleague, west_case, nord_case, nord_member, headers
):
    client.force_login(west_member)
    url = reverse("casework:notes", args=[west_case.pk])
    _notes(west_case, west_member, west_colleague, 1)
    with_one = _count_queries(client, url, headers)

    _notes(west_case, west_member, west_colleague, 29)
    with_thirty = _count_queries(client, url, headers)

    assert with_thirty == with_one


def test_the_case_page_section_queries_do_not_grow_with_the_number_of_notes(
    client, west_member, west_colleague, west_case
):
    client.force_login(west_member)
    url = reverse("test_case_page", args=[west_case.pk])
    _notes(west_case, west_member, west_colleague, 1)
    with_one = _count_queries(client, url)

    _notes(west_case, west_member, west_colleague, 29)
    with_thirty = _count_queries(client, url)

    assert with_thirty == with_one
