"""Handing a case to another Sozialraum team: propose, accept, decline; § 65 notes stay."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Role, RoleAssignment, User
from apps.cases.models import Case, CaseEvent
from apps.casework import sections, services
from apps.casework.models import CaseHandover
from apps.notifications.models import Notification
from apps.organisation.models import Traeger
from tests.casework.conftest import URLS, _case, write_note
from tests.casework.test_helpplan import render_case_sections

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

REASON = "Die Familie ist nach Weimar-Nord gezogen."
SECRET = "Die Mutter erzählte vom Streit mit dem Vater."
PLAIN = "Telefonat mit der Schule, alles ruhig."
START_URL = reverse("accounts:start")


@pytest.fixture
def mitte_member(team_mitte) -> User:
    user = User.objects.create_user(username="tm-mitte", password="correct-horse-battery")
    RoleAssignment.objects.create(
        user=user,
        role=Role.TEAM,
        team=team_mitte,
        employer=Traeger.objects.get(short_name="Diakonie"),
    )
    return user


@pytest.fixture
def pending(west_case, west_member, team_nord) -> CaseHandover:
    return services.case_handover_propose(
        case_id=west_case.pk, actor=west_member, to_team=team_nord, reason=REASON
    )


def _url(name, handover, *extra):
    return reverse(f"casework:{name}", args=[handover.case_id, handover.pk, *extra])


# Proposing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 302),
        ("familienamt_worker", 302),
        ("nord_member", 404),
        ("mitte_member", 404),
        ("school_leader", 403),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
def test_the_case_team_or_the_familienamt_proposes_a_handover(
    client, login_as, west_case, team_nord, persona, status
):
    login_as(persona)

    response = client.post(
        reverse("casework:handover_propose", args=[west_case.pk]),
        {"to_team": team_nord.pk, "reason": REASON},
    )

    assert response.status_code == status
    assert CaseHandover.objects.exists() == (status == 302 and persona != "anonymous")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 200),
        ("familienamt_lead", 200),
        ("nord_member", 404),
        ("school_leader", 403),
        ("anonymous", 302),
    ],
)
def test_the_proposal_form_is_scoped_to_the_case(client, login_as, west_case, persona, status):
    login_as(persona)

    assert client.get(reverse("casework:handover_propose", args=[west_case.pk])).status_code == (
        status
    )


def test_a_proposal_keeps_the_sending_team_responsible_and_tells_the_receiving_team(
    client, west_member, nord_member, west_case, team_west, team_nord
):
    client.force_login(west_member)

    response = client.post(
        reverse("casework:handover_propose", args=[west_case.pk]),
        {"to_team": team_nord.pk, "reason": REASON},
    )

    assert response.status_code == 302
    handover = CaseHandover.objects.get()
    assert (handover.from_team, handover.to_team, handover.status) == (
        team_west,
        team_nord,
        CaseHandover.Status.PENDING,
    )
    west_case.refresh_from_db()
    assert west_case.team == team_west and west_case.version == 1
    notice = Notification.objects.get(recipient=nord_member)
    assert west_case.reference in notice.text and "Mila" not in notice.text
    assert CaseEvent.objects.filter(case=west_case, summary__contains="vorgeschlagen").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "Bitte begründen Sie die Übergabe."),
        ({"reason": "   "}, "Bitte begründen Sie die Übergabe."),
        ({"to_team": ""}, "Bitte wählen Sie das Team, das den Fall übernehmen soll."),
        ({"to_team": "own"}, "Bitte wählen Sie ein anderes als das jetzt zuständige Team."),
    ],
)
def test_bad_proposal_input_is_refused_with_a_message(
    client, west_member, west_case, team_west, team_nord, data, message
):
    client.force_login(west_member)
    form = {"to_team": team_nord.pk, "reason": REASON, **data}
    if form["to_team"] == "own":
        form["to_team"] = team_west.pk

    response = client.post(reverse("casework:handover_propose", args=[west_case.pk]), form)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CaseHandover.objects.exists()
    assert not Notification.objects.exists()


def test_only_one_handover_per_case_may_be_pending(
    client, west_member, west_case, team_mitte, pending
):
    client.force_login(west_member)

    response = client.post(
        reverse("casework:handover_propose", args=[west_case.pk]),
        {"to_team": team_mitte.pk, "reason": "Doch lieber Mitte"},
        follow=True,
    )

    assert "ist schon eine Übergabe vorgeschlagen" in response.content.decode()
    assert CaseHandover.objects.count() == 1


def test_the_database_refuses_a_second_pending_handover(
    west_case, west_member, team_mitte, pending
):
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseHandover.objects.create(
            case=west_case,
            from_team=west_case.team,
            to_team=team_mitte,
            reason="zweiter Vorschlag",
            proposed_by=west_member,
        )


# Looking at a pending handover -------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 200),
        ("nord_member", 200),
        ("familienamt_worker", 200),
        ("mitte_member", 404),
        ("school_leader", 403),
        ("school_leader_nord", 403),
        ("admin_user", 403),
        ("dpo", 403),
        ("anonymous", 302),
    ],
)
def test_the_handover_page_is_for_both_teams_and_the_familienamt(
    client, login_as, pending, persona, status
):
    login_as(persona)

    assert client.get(_url("handover", pending)).status_code == status


def test_the_receiving_team_sees_enough_to_decide_and_no_notes(
    client, west_member, nord_member, west_case, school_west, pending
):
    west_case.school = school_west
    west_case.save(update_fields=["school"])
    write_note(west_case, west_member, PLAIN)
    write_note(west_case, west_member, SECRET, confided=True)
    client.force_login(nord_member)

    body = client.get(_url("handover", pending)).content.decode()

    assert west_case.reference in body
    assert "Mila Beispiel, geboren am 01.05.2015" in body
    assert "Testschule West" in body and REASON in body
    assert "Fall übernehmen" in body and "Übergabe ablehnen" in body
    assert PLAIN not in body and SECRET not in body


def test_until_accepted_the_receiving_team_cannot_open_the_case(
    client, nord_member, west_case, pending
):
    client.force_login(nord_member)

    assert client.get(reverse("cases:detail", args=[west_case.pk])).status_code == 404
    assert client.get(reverse("casework:notes", args=[west_case.pk])).status_code == 404


def test_the_case_page_says_who_stays_responsible(rf, west_member, west_case, pending):
    body = render_case_sections(rf, west_member, west_case, sections.handover_section)

    assert f"Übergabe an {pending.to_team.name} vorgeschlagen" in body
    assert f"Bis zur Annahme bleibt {west_case.team.name} zuständig." in body
    assert "Fall übergeben" not in body


def test_the_case_page_offers_a_handover_when_none_is_pending(rf, west_member, west_case):
    body = render_case_sections(rf, west_member, west_case, sections.handover_section)

    assert reverse("casework:handover_propose", args=[west_case.pk]) in body
    assert "Fall übergeben" in body


# Accepting ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("nord_member", 302),
        ("west_member", 403),
        ("familienamt_worker", 403),
        ("mitte_member", 404),
        ("school_leader", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_receiving_team_accepts(client, login_as, west_case, pending, persona, status):
    login_as(persona)

    response = client.post(_url("handover_accept", pending))

    assert response.status_code == status
    pending.refresh_from_db()
    accepted = status == 302 and persona != "anonymous"
    assert pending.is_pending is not accepted


def test_accepting_moves_the_case_to_the_new_team(
    client, west_member, nord_member, west_case, team_nord, pending
):
    west_case.worker = west_member
    west_case.save(update_fields=["worker"])
    client.force_login(nord_member)

    response = client.post(_url("handover_accept", pending))

    assert response.status_code == 302
    assert response.url == west_case.get_absolute_url()
    west_case.refresh_from_db()
    assert (west_case.team, west_case.sozialraum) == (team_nord, team_nord.sozialraum)
    assert west_case.version == 2 and west_case.worker is None
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (CaseHandover.Status.ACCEPTED, nord_member)
    assert CaseEvent.objects.filter(case=west_case, summary__startswith="Übergabe angenommen")
    for person in (west_member, nord_member):
        notice = Notification.objects.filter(recipient=person).latest("pk")
        assert "angenommen" in notice.text and "Mila" not in notice.text


def test_after_accepting_the_new_team_sees_the_case_and_the_old_one_does_not(
    client, west_member, nord_member, west_case, pending
):
    services.case_handover_accept(handover_id=pending.pk, actor=nord_member)
    case_url = reverse("cases:detail", args=[west_case.pk])

    client.force_login(nord_member)
    assert client.get(case_url).status_code == 200
    client.force_login(west_member)
    assert client.get(case_url).status_code == 404
    assert client.get(reverse("casework:helpplan", args=[west_case.pk])).status_code == 404


def test_after_accepting_the_old_team_no_longer_sees_the_childs_name_on_the_handover(
    client, west_member, nord_member, pending
):
    services.case_handover_accept(handover_id=pending.pk, actor=nord_member)
    client.force_login(west_member)

    body = client.get(_url("handover", pending)).content.decode()

    assert "angenommen" in body and "Mila" not in body


def test_a_confided_note_stays_with_its_author_after_the_handover(
    client, west_member, nord_member, west_case, pending
):
    confided = write_note(west_case, west_member, SECRET, confided=True)
    write_note(west_case, west_member, PLAIN)
    services.case_handover_accept(handover_id=pending.pk, actor=nord_member)

    client.force_login(nord_member)
    notes = client.get(reverse("casework:notes", args=[west_case.pk])).content.decode()
    history = client.get(reverse("casework:note_history", args=[west_case.pk, confided.pk]))
    assert PLAIN in notes and SECRET not in notes
    assert "anvertraut" in notes  # the new team sees that it exists
    assert SECRET not in history.content.decode()

    client.force_login(west_member)
    own = client.get(reverse("casework:handover_confided_notes"))
    assert own.status_code == 200
    assert SECRET in own.content.decode() and west_case.reference in own.content.decode()
    assert PLAIN not in own.content.decode()


def test_the_confided_notes_page_lists_only_cases_that_left_the_authors_team(
    client, west_member, west_case, nord_case
):
    write_note(west_case, west_member, SECRET, confided=True)
    client.force_login(west_member)

    body = client.get(reverse("casework:handover_confided_notes")).content.decode()

    assert SECRET not in body  # still on the case page, where it belongs


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 200),
        ("familienamt_worker", 200),
        ("school_leader", 403),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
def test_the_confided_notes_page_is_for_casework_roles(client, login_as, persona, status):
    login_as(persona)

    assert client.get(reverse("casework:handover_confided_notes")).status_code == status


def test_a_decided_handover_cannot_be_accepted_again(client, nord_member, west_case, pending):
    services.case_handover_decline(handover_id=pending.pk, actor=nord_member, reason="Kein Platz")
    client.force_login(nord_member)

    response = client.post(_url("handover_accept", pending), follow=True)

    west_case.refresh_from_db()
    assert west_case.team.sozialraum.slug == "west"
    # Decided: nobody answers any more, so the accept view refuses.
    assert response.redirect_chain == [] and response.status_code == 403


def test_accepting_is_refused_when_the_case_moved_meanwhile(
    nord_member, west_case, team_mitte, pending
):
    Case.objects.filter(pk=west_case.pk).update(team=team_mitte)

    with pytest.raises(services.StaleRecord):
        services.case_handover_accept(handover_id=pending.pk, actor=nord_member)

    pending.refresh_from_db()
    assert pending.is_pending


# Declining ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("nord_member", 302),
        ("west_member", 403),
        ("mitte_member", 404),
        ("school_leader", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_receiving_team_declines(client, login_as, pending, persona, status):
    login_as(persona)

    response = client.post(_url("handover_decline", pending), {"decline_reason": "Kein Platz"})

    assert response.status_code == status
    pending.refresh_from_db()
    assert pending.is_pending is not (status == 302 and persona != "anonymous")


@pytest.mark.parametrize("reason", ["", "   "])
def test_declining_without_a_reason_is_refused_with_a_message(client, nord_member, pending, reason):
    client.force_login(nord_member)

    response = client.post(_url("handover_decline", pending), {"decline_reason": reason})

    assert response.status_code == 200
    assert "Bitte begründen Sie die Ablehnung." in response.content.decode()
    pending.refresh_from_db()
    assert pending.is_pending and pending.decline_reason == ""


def test_declining_leaves_the_case_with_the_sending_team(
    client, west_member, nord_member, west_case, team_west, pending
):
    client.force_login(nord_member)

    response = client.post(
        _url("handover_decline", pending), {"decline_reason": "Die Familie bleibt in West."}
    )

    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.decline_reason) == (
        CaseHandover.Status.DECLINED,
        "Die Familie bleibt in West.",
    )
    west_case.refresh_from_db()
    assert west_case.team == team_west and west_case.version == 1
    assert "abgelehnt" in Notification.objects.filter(recipient=west_member).latest("pk").text
    # The case can now be proposed again.
    services.case_handover_propose(
        case_id=west_case.pk, actor=west_member, to_team=pending.to_team, reason=REASON
    )


def test_the_reasons_of_proposing_and_declining_stand_in_the_cases_timeline(
    west_case, nord_member, pending
):
    services.case_handover_decline(
        handover_id=pending.pk, actor=nord_member, reason="Die Familie bleibt in West."
    )

    summaries = list(CaseEvent.objects.filter(case=west_case).values_list("summary", flat=True))
    assert f"Übergabe an {pending.to_team.name} vorgeschlagen: {REASON}" in summaries
    assert f"Übergabe an {pending.to_team.name} abgelehnt: Die Familie bleibt in West." in summaries


def test_the_service_never_hands_over_without_a_reason(west_case, west_member, team_nord):
    with pytest.raises(services.TransitionNotAllowed, match="begründen"):
        services.case_handover_propose(
            case_id=west_case.pk, actor=west_member, to_team=team_nord, reason="  "
        )

    assert not CaseHandover.objects.filter(case=west_case).exists()


# Start page and list -----------------------------------------------------------


def test_the_receiving_team_finds_pending_handovers_on_its_start_page(
    client, west_member, nord_member, west_case, pending
):
    client.force_login(nord_member)
    body = client.get(START_URL).content.decode()
    assert "Übergaben an Ihr Team" in body and west_case.reference in body
    assert "Mila" not in body

    client.force_login(west_member)
    assert "Übergaben an Ihr Team" not in client.get(START_URL).content.decode()


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _propose_many(team_from, team_to, proposer, count):
    for index in range(count):
        case = _case(team_from, f"F-2026-9{index:04d}", f"Kind{index}")
        services.case_handover_propose(
            case_id=case.pk, actor=proposer, to_team=team_to, reason=REASON
        )


@pytest.mark.parametrize("url_name", ["accounts:start", "casework:handover_list"])
def test_handover_lists_cost_the_same_with_one_or_many_handovers(
    client, west_member, nord_member, team_west, team_nord, url_name
):
    _propose_many(team_west, team_nord, west_member, 1)
    client.force_login(nord_member)
    with_one = _count(client, reverse(url_name))

    Case.objects.all().delete()
    _propose_many(team_west, team_nord, west_member, 8)
    with_eight = _count(client, reverse(url_name))

    assert with_eight == with_one


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("nord_member", 200),
        ("familienamt_worker", 200),
        ("school_leader", 403),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
def test_the_handover_list_is_for_casework_roles(client, login_as, pending, persona, status):
    login_as(persona)

    response = client.get(reverse("casework:handover_list"))

    assert response.status_code == status
    if status == 200:
        assert pending.case.reference in response.content.decode()


def test_other_teams_do_not_see_a_handover_in_the_list(client, mitte_member, pending):
    client.force_login(mitte_member)

    assert (
        pending.case.reference not in client.get(reverse("casework:handover_list")).content.decode()
    )


def test_the_handover_page_and_the_confided_notes_cost_constant_queries(
    client, west_member, nord_member, west_case, pending
):
    client.force_login(west_member)
    write_note(west_case, west_member, SECRET, confided=True)
    services.case_handover_accept(handover_id=pending.pk, actor=nord_member)
    url = reverse("casework:handover_confided_notes")
    with_one = _count(client, url)

    for index in range(6):
        write_note(west_case, west_member, f"{SECRET} {index}", confided=True)
    with_seven = _count(client, url)

    assert with_seven == with_one


def _next_link(html: str, testid: str) -> str | None:
    import html as html_lib
    import re

    found = re.search(rf'href="([^"]+)" rel="next" data-testid="{testid}"', html)
    return html_lib.unescape(found.group(1)) if found else None


def _page_through(client, testid: str) -> list[str]:
    import re

    url: str | None = reverse("casework:handover_list")
    seen: list[str] = []
    while url:
        response = client.get(
            url if url.startswith("/") else reverse("casework:handover_list") + url
        )
        assert response.status_code == 200
        html = response.content.decode()
        section = html.split('id="ausgang-heading"')
        part = section[0] if testid == "incoming-next" else section[1]
        seen += re.findall(r"F-2026-9\d{4}", part)
        url = _next_link(html, testid)
    return seen


def test_the_open_handovers_page_through_every_row_once(
    client, monkeypatch, west_member, nord_member, team_west, team_nord
):
    from apps.casework import views_handover

    monkeypatch.setattr(views_handover, "HANDOVERS_LISTED", 3)
    _propose_many(team_west, team_nord, west_member, 7)
    client.force_login(nord_member)

    seen = _page_through(client, "incoming-next")

    assert sorted(seen) == [f"F-2026-9{i:04d}" for i in range(7)]


def test_the_teams_own_handovers_page_through_every_row_once(
    client, monkeypatch, west_member, team_west, team_nord
):
    from apps.casework import views_handover

    monkeypatch.setattr(views_handover, "HANDOVERS_LISTED", 3)
    _propose_many(team_west, team_nord, west_member, 7)
    client.force_login(west_member)

    seen = _page_through(client, "outgoing-next")

    assert sorted(seen) == [f"F-2026-9{i:04d}" for i in range(7)]


@pytest.mark.parametrize("param", ["offen_nach", "nach"])
def test_a_broken_handover_cursor_starts_the_list_at_the_beginning(
    client, west_member, nord_member, team_west, team_nord, param
):
    _propose_many(team_west, team_nord, west_member, 2)
    client.force_login(nord_member if param == "offen_nach" else west_member)

    response = client.get(reverse("casework:handover_list"), {param: "kaputt!"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "F-2026-90000" in body and "F-2026-90001" in body
    assert 'data-testid="pager-reset"' in body


def test_the_handover_list_costs_the_same_for_10_or_50_handovers(
    client, west_member, nord_member, team_west, team_nord
):
    _propose_many(team_west, team_nord, west_member, 10)
    client.force_login(nord_member)
    with_ten = _count(client, reverse("casework:handover_list"))

    Case.objects.all().delete()
    _propose_many(team_west, team_nord, west_member, 50)
    with_fifty = _count(client, reverse("casework:handover_list"))

    assert with_fifty == with_ten


def _confide_and_hand_over(west_member, nord_member, west_case, pending, count):
    for index in range(count):
        write_note(west_case, west_member, f"Anvertraut Nummer {index:03d}.", confided=True)
    services.case_handover_accept(handover_id=pending.pk, actor=nord_member)


def test_the_confided_notes_page_through_every_note_once_and_a_broken_cursor_starts_over(
    client, monkeypatch, west_member, nord_member, west_case, pending
):
    import html as html_lib
    import re

    from apps.casework import views_handover

    monkeypatch.setattr(views_handover, "CONFIDED_NOTES_LISTED", 3)
    _confide_and_hand_over(west_member, nord_member, west_case, pending, 7)
    client.force_login(west_member)
    url: str | None = reverse("casework:handover_confided_notes")
    seen: list[str] = []
    while url:
        html = client.get(url).content.decode()
        seen += re.findall(r"Anvertraut Nummer (\d{3})", html)
        found = re.search(r'href="([^"]+)" rel="next" data-testid="notes-next"', html)
        url = (
            reverse("casework:handover_confided_notes") + html_lib.unescape(found.group(1))
            if found
            else None
        )

    assert sorted(seen) == [f"{i:03d}" for i in range(7)]

    broken = client.get(reverse("casework:handover_confided_notes"), {"nach": "x"})
    assert broken.status_code == 200
    assert re.findall(r"Anvertraut Nummer (\d{3})", broken.content.decode()) == [
        "006",
        "005",
        "004",
    ]


def test_the_confided_notes_page_costs_the_same_for_10_or_50_notes(
    client, west_member, nord_member, west_case, pending
):
    _confide_and_hand_over(west_member, nord_member, west_case, pending, 10)
    client.force_login(west_member)
    with_ten = _count(client, reverse("casework:handover_confided_notes"))
    for index in range(40):
        write_note(west_case, west_member, f"Später anvertraut {index}.", confided=True)
    with_fifty = _count(client, reverse("casework:handover_confided_notes"))

    assert with_fifty == with_ten
