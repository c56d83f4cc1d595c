"""The access log speaks the data protection officer's language, one entry per page view."""

import pytest
from django.urls import reverse

from apps.audit.log import log_event
from apps.audit.models import AccessLogEntry, Action

pytestmark = pytest.mark.django_db


def test_the_log_names_cases_by_aktenzeichen_and_pages_by_their_names(
    client, dpo, west_member, west_case
):
    log_event(
        west_member,
        Action.READ,
        object_type="case",
        object_id=west_case.pk,
        case_id=west_case.pk,
        path_name="cases:detail",
    )
    log_event(
        west_member,
        Action.WRITE,
        object_type="task",
        object_id=77,
        case_id=west_case.pk,
        path_name="casework:task_edit",
    )
    client.force_login(dpo)

    content = client.get(reverse("audit:list")).content.decode()

    cells = [
        [cell.split(">", 1)[1].split("</td")[0] for cell in row.split("<td")[1:]]
        for row in content.split('data-testid="log-row"')[1:]
    ]
    (case_row,) = [row for row in cells if row[2] == "gelesen"]
    (task_row,) = [row for row in cells if row[2] == "geändert"]
    # The case's Aktenzeichen once, in its column; no database number beside it.
    assert case_row[3] == "Fall" and "F-2026-0001" in case_row[4]
    assert task_row[3] == "Wiedervorlage" and "F-2026-0001" in task_row[4]
    assert "Nr. 77" not in content
    assert "Fallakte" in content
    assert "Wiedervorlage: Bearbeiten" in content
    assert "cases:detail" not in content
    assert ">task " not in content
    # The Aktenzeichen leads to the case's "who opened it" summary.
    assert reverse("audit:case", args=[west_case.pk]) in content


def test_the_dpo_opens_who_opened_a_case_without_its_content(client, dpo, west_member, west_case):
    log_event(
        west_member, Action.READ, object_type="case", object_id=west_case.pk, case_id=west_case.pk
    )
    client.force_login(dpo)

    response = client.get(reverse("audit:case", args=[west_case.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "F-2026-0001" in content
    assert str(west_member) in content
    assert "Jürgen" not in content  # the child's name stays in the case file
    assert "Zurück zur Fallakte" not in content


def test_own_entries_do_not_tell_the_aktenzeichen_of_a_refused_case(client, nord_member, west_case):
    log_event(
        nord_member, Action.DENIED, object_type="case", object_id=west_case.pk, case_id=west_case.pk
    )
    client.force_login(nord_member)

    content = client.get(reverse("audit:mine")).content.decode()

    assert "Zugriff verweigert" in content
    assert "F-2026-0001" not in content
    assert "nicht einsehbar" in content


def test_a_fragment_the_open_case_page_loads_is_not_a_second_page_view(
    client, west_member, west_case
):
    client.force_login(west_member)
    case_url = reverse("cases:detail", args=[west_case.pk])
    history_url = reverse("history:case", args=[west_case.pk])
    client.get(case_url)
    assert AccessLogEntry.objects.filter(case_id=west_case.pk).count() == 1

    fragment = client.get(
        f"{history_url}?vorschau=1",
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{case_url}"},
    )

    assert fragment.status_code == 200
    assert AccessLogEntry.objects.filter(case_id=west_case.pk).count() == 1
    # Opening the change history as a page of its own is a page view.
    client.get(history_url)
    assert AccessLogEntry.objects.filter(case_id=west_case.pk).count() == 2


def test_a_fragment_about_another_case_is_logged(client, west_member, west_case, team_west):
    from tests.audit.conftest import _case

    other = _case(team_west, "F-2026-0009")
    client.force_login(west_member)

    client.get(
        reverse("history:case", args=[other.pk]) + "?vorschau=1",
        headers={
            "HX-Request": "true",
            "HX-Current-URL": "http://testserver" + reverse("cases:detail", args=[west_case.pk]),
        },
    )

    assert AccessLogEntry.objects.filter(case_id=other.pk).count() == 1
