import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Role, RoleAssignment, User
from apps.cases.models import Case, CaseEvent, HelpKind
from apps.cases.services import case_update
from apps.organisation.models import Traeger
from apps.referrals.workflow import TransitionNotAllowed

pytestmark = pytest.mark.django_db

GOALS = "Wir wollen, dass Jürgen wieder gern in die Schule geht."
ASSESSMENT = "Hoher Unterstützungsbedarf in der Pause, im Unterricht gut begleitet."


def _url(case: Case) -> str:
    return reverse("cases:edit", args=[case.pk])


def _data(case: Case, **overrides) -> dict:
    data = {
        "version": case.version,
        "worker": "",
        "help_kind": HelpKind.SCHULBEGLEITUNG_35A,
        "family_goals": GOALS,
        "assessment": ASSESSMENT,
    }
    return data | overrides


def _team_member(team, username: str) -> User:
    user = User.objects.create_user(username=username, password="x")
    RoleAssignment.objects.create(
        user=user, role=Role.TEAM, team=team, employer=Traeger.objects.get(short_name="AWO")
    )
    return user


def _unchanged(case: Case) -> bool:
    case.refresh_from_db()
    return (
        case.version == 1
        and case.family_goals == ""
        and case.worker_id is None
        and not CaseEvent.objects.filter(case=case, summary__startswith="Falldaten").exists()
    )


# access -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 200),
        ("familienamt_worker", 200),
        ("familienamt_lead", 200),
        ("nord_member", 404),
        ("school_leader", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_the_edit_page_is_for_the_cases_team_and_the_familienamt(
    client, login_as, west_case, persona, status
):
    login_as(persona)

    response = client.get(_url(west_case))

    assert response.status_code == status
    if status == 302:
        assert "?next=" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 302),
        ("familienamt_worker", 302),
        ("nord_member", 404),
        ("school_leader", 403),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_cases_team_and_the_familienamt_save_case_data(
    client, login_as, west_case, persona, status
):
    login_as(persona)

    response = client.post(_url(west_case), _data(west_case))

    assert response.status_code == status
    west_case.refresh_from_db()
    assert (west_case.family_goals == GOALS) == (persona in {"west_member", "familienamt_worker"})


# saving -------------------------------------------------------------------------


def test_a_save_bumps_the_version_and_writes_a_timeline_entry_without_content(
    client, west_member, west_case
):
    colleague = _team_member(west_case.team, "tm-west-3")
    client.force_login(west_member)

    response = client.post(_url(west_case), _data(west_case, worker=colleague.pk), follow=True)

    west_case.refresh_from_db()
    assert west_case.version == 2
    assert west_case.worker == colleague
    assert west_case.family_goals == GOALS and west_case.assessment == ASSESSMENT
    event = CaseEvent.objects.filter(case=west_case).latest("at")
    assert event.summary.startswith("Falldaten geändert")
    assert GOALS not in event.summary and ASSESSMENT not in event.summary
    timeline = response.text[response.text.index('id="case-timeline"') :]
    assert "Falldaten geändert" in timeline
    assert "Die Falldaten von" in response.text


def test_the_case_page_keeps_the_familys_words_apart_from_the_assessment(
    client, west_member, west_case
):
    Case.objects.filter(pk=west_case.pk).update(family_goals=GOALS, assessment=ASSESSMENT)
    client.force_login(west_member)

    text = client.get(west_case.get_absolute_url()).text

    family = text[
        text.index('data-testid="family-goals"') : text.index('id="einschaetzung-heading"')
    ]
    professional = text[text.index('data-testid="assessment"') :]
    assert "In Worten der Familie" in text and "Fachliche Einschätzung" in text
    assert "Jürgen wieder gern" in family and "Hoher Unterstützungsbedarf" not in family
    assert "Hoher Unterstützungsbedarf" in professional.split("</section>")[0]


def test_the_case_page_links_to_the_access_log_the_history_and_the_edit_page(
    client, west_member, west_case
):
    client.force_login(west_member)

    text = client.get(west_case.get_absolute_url()).text

    assert reverse("audit:case", args=[west_case.pk]) in text
    assert reverse("history:case", args=[west_case.pk]) in text
    assert _url(west_case) in text
    assert "Wer hat diesen Fall geöffnet?" in text and "Alle Änderungen" in text


def test_saving_unchanged_data_writes_nothing(client, west_member, west_case):
    client.force_login(west_member)

    client.post(
        _url(west_case),
        _data(west_case, help_kind=west_case.help_kind_id or "", family_goals="", assessment=""),
    )

    assert _unchanged(west_case)


# bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("worker", "Diese Person gehört nicht zum Team des Falls"),
        ("help_kind", "Bitte wählen Sie eine Hilfeart aus der Liste"),
        ("family_goals", "höchstens 10.000 Zeichen"),
        ("version", ""),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(
    client, west_member, nord_member, west_case, field, message
):
    bad = {
        "worker": nord_member.pk,
        "help_kind": "zauberei",
        "family_goals": "x" * 10001,
        "version": "keine Zahl",
    }[field]
    client.force_login(west_member)

    response = client.post(_url(west_case), _data(west_case, **{field: bad}))

    assert response.status_code == 200
    assert "Es wurde nichts gespeichert" in response.text
    assert message in response.text
    assert _unchanged(west_case)


def test_the_service_refuses_a_worker_from_another_team(west_member, nord_member, west_case):
    with pytest.raises(TransitionNotAllowed):
        case_update(case_id=west_case.pk, actor=west_member, expected_version=1, worker=nord_member)

    assert _unchanged(west_case)


# never overwrite ----------------------------------------------------------------


def test_a_stale_save_is_refused_with_409_the_changes_and_the_typed_text(
    client, west_member, familienamt_worker, west_case
):
    case_update(
        case_id=west_case.pk,
        actor=familienamt_worker,
        expected_version=1,
        family_goals="Was das Familienamt notiert hat.",
    )
    client.force_login(west_member)

    response = client.post(_url(west_case), _data(west_case, version=1))

    assert response.status_code == 409
    assert "wurde inzwischen von fa-worker geändert" in response.text
    assert 'data-testid="stale"' in response.text
    assert "Was das Familienamt notiert hat." in response.text  # saved, in the changes table
    assert GOALS in response.text  # the typed text is still in the form
    assert ASSESSMENT in response.text
    west_case.refresh_from_db()
    assert west_case.family_goals == "Was das Familienamt notiert hat."
    assert west_case.assessment == ""
    assert west_case.version == 2


def test_after_a_refused_save_saving_again_is_a_deliberate_overwrite(
    client, west_member, familienamt_worker, west_case
):
    case_update(
        case_id=west_case.pk, actor=familienamt_worker, expected_version=1, family_goals="Alt"
    )
    client.force_login(west_member)
    refused = client.post(_url(west_case), _data(west_case, version=1))
    version = re.search(r'name="version" value="(\d+)"', refused.text)
    assert version is not None and version.group(1) == "2"

    client.post(_url(west_case), _data(west_case, version=2))

    west_case.refresh_from_db()
    assert west_case.family_goals == GOALS and west_case.version == 3


# queries ------------------------------------------------------------------------


def test_the_edit_page_query_count_does_not_grow_with_the_team(client, west_member, west_case):
    client.force_login(west_member)
    client.get(_url(west_case))
    with CaptureQueriesContext(connection) as few:
        client.get(_url(west_case))
    for n in range(15):
        _team_member(west_case.team, f"tm-west-extra-{n}")

    with CaptureQueriesContext(connection) as many:
        response = client.get(_url(west_case))

    assert "tm-west-extra-14" in response.text
    assert len(many) == len(few)


def test_the_kind_of_help_is_chosen_from_the_kinds_kept_as_data(client, west_member, west_case):
    client.force_login(west_member)

    page = client.get(_url(west_case)).text
    client.post(_url(west_case), _data(west_case, help_kind=HelpKind.EINGLIEDERUNGSHILFE))

    west_case.refresh_from_db()
    assert west_case.help_kind == HelpKind.objects.get(code=HelpKind.EINGLIEDERUNGSHILFE)
    assert 'value="egh_35a"' in page and ">noch offen</option>" in page
    # The § 8a track is no kind to pick for an ordinary case.
    assert 'value="kinderschutz"' not in page
