"""Hilfeplan (§ 36 SGB VIII): versions, comparison, print, never overwrite, next review."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.cases.models import CaseEvent
from apps.casework import sections, services
from apps.casework.deadlines import derived_deadlines
from apps.casework.models import (
    AppendOnly,
    Attainment,
    HelpPlan,
    HelpPlanGoal,
    HelpPlanVersion,
    add_months,
)
from apps.core.refusals import word_diff
from tests.casework.conftest import URLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

TODAY = timezone.localdate()
MEETING = TODAY - datetime.timedelta(days=3)

READERS = [
    ("west_member", 200),
    ("familienamt_worker", 200),
    ("familienamt_lead", 200),
    ("nord_member", 404),
    ("school_leader", 403),
    ("admin_user", 403),
    ("dpo", 403),
    ("anonymous", 302),
]


def form_data(based_on: int = 0, steps: list[tuple[str, str, str]] | None = None, **fields):
    data = {
        "based_on": str(based_on),
        "meeting_date": MEETING.isoformat(),
        "participants": "Mutter\nKlassenlehrerin\nFachkraft Team West",
        "need": "Mila braucht Unterstützung im Unterricht.",
        "help_kind": "Schulbegleitung (§ 35a SGB VIII)",
        "family_goals": "Wir wollen, dass Mila gern in die Schule geht.",
        "assessment": "Konzentration gelingt nur kurz; Schulbegleitung angezeigt.",
        "goals": "Mila arbeitet 20 Minuten am Stück.",
        "next_review": "",
    }
    # A review judges the goals of the version it builds on (extra fields are ignored).
    for goal in HelpPlanGoal.objects.filter(version__number=based_on):
        data[f"ziel_{goal.pk}"] = Attainment.PARTLY
    data.update(fields)
    rows = steps if steps is not None else [("Antrag stellen", "Mutter", "")]
    data["steps-TOTAL_FORMS"] = str(len(rows) + 2)
    data["steps-INITIAL_FORMS"] = "0"
    for index, (step, responsible, due) in enumerate([*rows, ("", "", ""), ("", "", "")]):
        data[f"steps-{index}-step"] = step
        data[f"steps-{index}-responsible"] = responsible
        data[f"steps-{index}-due"] = due
    return data


def add_version(case, user, *, based_on: int, **overrides) -> HelpPlanVersion:
    content = {
        "meeting_date": MEETING,
        "need": "Bedarf",
        "help_kind": "Schulbegleitung",
        "family_goals": "Unsere Worte",
        "assessment": "Einschätzung",
        "goals": "Ziele",
        "steps": [{"step": "Antrag", "responsible": "Mutter", "due": ""}],
        "participants": "Mutter",
        "next_review": add_months(MEETING, 6),
    }
    content.update(overrides)
    if "attainments" not in content:
        # A review judges every goal of the version before it.
        content["attainments"] = {
            goal.pk: Attainment.PARTLY
            for goal in HelpPlanGoal.objects.filter(
                version__plan__case=case, version__number=based_on
            )
        }
    return services.helpplan_add_version(case=case, actor=user, based_on=based_on, **content)


def _url(name, case, *args):
    return reverse(f"casework:{name}", args=[case.pk, *args])


# Who may see and write ---------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), READERS)
def test_help_plan_page_is_scoped_to_the_case(
    client, login_as, west_case, west_member, persona, status
):
    add_version(west_case, west_member, based_on=0)
    login_as(persona)

    response = client.get(_url("helpplan", west_case))

    assert response.status_code == status
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("persona", "status"), READERS)
def test_a_single_version_is_scoped_to_the_case(
    client, login_as, west_case, west_member, persona, status
):
    add_version(west_case, west_member, based_on=0)
    login_as(persona)

    assert client.get(_url("helpplan_version", west_case, 1)).status_code == status


@pytest.mark.parametrize(("persona", "status"), READERS)
def test_the_comparison_is_scoped_to_the_case(
    client, login_as, west_case, west_member, persona, status
):
    add_version(west_case, west_member, based_on=0)
    add_version(west_case, west_member, based_on=1, goals="Neue Ziele")
    login_as(persona)

    assert client.get(_url("helpplan_compare", west_case)).status_code == status


@pytest.mark.parametrize(("persona", "status"), READERS)
def test_the_edit_form_is_scoped_to_the_case(client, login_as, west_case, persona, status):
    login_as(persona)

    assert client.get(_url("helpplan_edit", west_case)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("west_member", 302),
        ("familienamt_worker", 302),
        ("familienamt_lead", 302),
        ("nord_member", 404),
        ("school_leader", 403),
        ("admin_user", 403),
        ("anonymous", 302),
    ],
)
def test_the_case_team_and_the_familienamt_write_the_help_plan(
    client, login_as, west_case, persona, status
):
    login_as(persona)

    response = client.post(_url("helpplan_edit", west_case), form_data())

    assert response.status_code == status
    written = status == 302 and persona != "anonymous"
    assert HelpPlanVersion.objects.exists() == written


def test_a_version_of_another_case_is_not_found_under_this_case(
    client, west_member, west_case, nord_case, nord_member
):
    add_version(nord_case, nord_member, based_on=0)
    client.force_login(west_member)

    assert client.get(_url("helpplan_version", west_case, 1)).status_code == 404


# Writing versions --------------------------------------------------------------


def test_the_first_save_is_version_one_with_the_review_six_months_later(
    client, west_member, west_case
):
    client.force_login(west_member)

    response = client.post(
        _url("helpplan_edit", west_case),
        form_data(steps=[("Antrag stellen", "Mutter", "2027-01-15"), ("Termin KJP", "Vater", "")]),
    )

    assert response.status_code == 302
    assert response.url == _url("helpplan", west_case)
    version = HelpPlanVersion.objects.get()
    assert (version.number, version.plan.case, version.created_by) == (1, west_case, west_member)
    assert version.next_review == add_months(MEETING, 6)
    assert version.family_goals == "Wir wollen, dass Mila gern in die Schule geht."
    assert version.assessment.startswith("Konzentration")
    assert version.steps == [
        {"step": "Antrag stellen", "responsible": "Mutter", "due": "2027-01-15"},
        {"step": "Termin KJP", "responsible": "Vater", "due": ""},
    ]
    assert CaseEvent.objects.filter(case=west_case, summary="Hilfeplan aufgestellt (Fassung 1)")


def test_a_typed_review_date_overrides_the_default(client, west_member, west_case):
    client.force_login(west_member)
    review = MEETING + datetime.timedelta(days=90)

    client.post(_url("helpplan_edit", west_case), form_data(next_review=review.isoformat()))

    assert HelpPlanVersion.objects.get().next_review == review


def test_an_update_is_a_new_version_and_the_old_one_stays_readable(
    client, west_member, west_colleague, west_case
):
    add_version(west_case, west_member, based_on=0, goals="Erste Ziele")
    client.force_login(west_colleague)

    client.post(_url("helpplan_edit", west_case), form_data(based_on=1, goals="Zweite Ziele"))

    first, second = HelpPlanVersion.objects.order_by("number")
    assert (first.goals, second.goals) == ("Erste Ziele", "Zweite Ziele")
    assert (second.number, second.created_by) == (2, west_colleague)
    old_page = client.get(_url("helpplan_version", west_case, 1)).content.decode()
    assert "Erste Ziele" in old_page and "frühere Fassung" in old_page
    assert "Zweite Ziele" in client.get(_url("helpplan", west_case)).content.decode()


def test_the_edit_form_starts_from_the_current_version(client, west_member, west_case):
    add_version(west_case, west_member, based_on=0, goals="Bisherige Ziele")
    client.force_login(west_member)

    response = client.get(_url("helpplan_edit", west_case))

    body = response.content.decode()
    assert "Bisherige Ziele" in body
    assert 'name="based_on" value="1"' in body
    assert 'value="Antrag"' in body


def test_a_version_is_never_changed_or_deleted(west_member, west_case):
    version = add_version(west_case, west_member, based_on=0)

    version.goals = "überschrieben"
    with pytest.raises(AppendOnly):
        version.save()
    with pytest.raises(AppendOnly):
        version.delete()
    assert HelpPlanVersion.objects.get().goals == "Ziele"


@pytest.mark.parametrize(
    ("fields", "steps", "message"),
    [
        ({"need": ""}, None, "Bitte beschreiben Sie den Bedarf."),
        ({"goals": "  "}, None, "Bitte halten Sie die vereinbarten Ziele fest."),
        ({"participants": ""}, None, "Bitte nennen Sie, wer am Gespräch teilgenommen hat."),
        ({"meeting_date": ""}, None, "Bitte geben Sie an, wann das Hilfeplangespräch war."),
        ({"meeting_date": "gestern"}, None, "Bitte geben Sie ein gültiges Datum an"),
        (
            {"meeting_date": (TODAY + datetime.timedelta(days=2)).isoformat()},
            None,
            "Das Gespräch kann nicht in der Zukunft liegen.",
        ),
        (
            {"next_review": MEETING.isoformat()},
            None,
            "Die Überprüfung muss nach dem Hilfeplangespräch liegen.",
        ),
        ({}, [("Antrag stellen", "", "")], "Bitte nennen Sie, wer für den Schritt verantwortlich"),
        ({}, [("", "Mutter", "2027-01-01")], "Bitte beschreiben Sie den Schritt."),
    ],
)
def test_bad_help_plan_input_is_refused_with_a_message(
    client, west_member, west_case, fields, steps, message
):
    client.force_login(west_member)

    response = client.post(_url("helpplan_edit", west_case), form_data(steps=steps, **fields))

    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert message in body
    assert "Es wurde nichts gespeichert." in body
    assert not HelpPlanVersion.objects.exists()
    assert not HelpPlan.objects.exists()


def test_asking_for_more_step_rows_keeps_the_text_and_saves_nothing(client, west_member, west_case):
    client.force_login(west_member)
    data = form_data(need="Noch nicht fertig getippt", steps=[("Schule anrufen", "", "")])
    data["more_rows"] = "1"

    response = client.post(_url("helpplan_edit", west_case), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Noch nicht fertig getippt" in body and 'value="Schule anrufen"' in body
    assert 'name="steps-2-step"' in body  # the typed row and two empty ones
    assert "Bitte nennen Sie" not in body  # not checked yet
    assert not HelpPlanVersion.objects.exists()


# Never overwrite ---------------------------------------------------------------


def test_a_save_based_on_an_older_version_is_refused_with_the_changes_and_the_typed_text(
    client, west_member, west_colleague, west_case
):
    add_version(west_case, west_member, based_on=0, goals="Ziele aus dem ersten Gespräch")
    # Both open the form on version 1; the colleague saves first.
    add_version(west_case, west_colleague, based_on=1, goals="Mila liest langsam.")
    client.force_login(west_member)
    mine = form_data(based_on=1, goals="Mila liest schon gut, lange getippt")

    response = client.post(_url("helpplan_edit", west_case), mine)

    body = response.content.decode()
    assert response.status_code == 409
    assert HelpPlanVersion.objects.count() == 2
    assert "Ute Kollegin" in body and "Fassung 2" in body
    # What changed: the colleague's text against mine, word by word.
    assert '<del class="helpplan-diff__removed">langsam.</del>' in body
    assert '<ins class="helpplan-diff__added">schon gut, lange getippt</ins>' in body
    assert ">Ihre Eingaben (nicht gespeichert)</th>" in body
    # Nothing lost: my text is back in the form, now based on the current version.
    assert "Mila liest schon gut, lange getippt</textarea>" in body
    assert 'name="based_on" value="2"' in body


def test_after_a_refused_save_the_next_save_builds_on_the_current_version(
    client, west_member, west_colleague, west_case
):
    add_version(west_case, west_member, based_on=0)
    add_version(west_case, west_colleague, based_on=1)
    client.force_login(west_member)
    assert client.post(_url("helpplan_edit", west_case), form_data(based_on=1)).status_code == 409

    response = client.post(_url("helpplan_edit", west_case), form_data(based_on=2))

    assert response.status_code == 302
    assert list(HelpPlanVersion.objects.values_list("number", flat=True)) == [3, 2, 1]


def test_two_first_plans_at_once_do_not_both_become_version_one(
    west_member, west_colleague, west_case
):
    add_version(west_case, west_member, based_on=0)

    with pytest.raises(services.StaleHelpPlan) as refused:
        add_version(west_case, west_colleague, based_on=0)

    assert refused.value.current.number == 1
    assert HelpPlanVersion.objects.count() == 1


# Comparing and printing --------------------------------------------------------


def test_word_diff_marks_removed_and_added_words():
    segments = word_diff("Mila liest langsam.", "Mila liest schon gut.")

    assert [(s.kind, s.text) for s in segments] == [
        ("same", "Mila liest "),
        ("removed", "langsam."),
        ("added", "schon gut."),
    ]


def test_comparing_two_versions_shows_what_changed_field_by_field(client, west_member, west_case):
    add_version(west_case, west_member, based_on=0, goals="Mila liest langsam.")
    add_version(
        west_case,
        west_member,
        based_on=1,
        goals="Mila liest schon gut.",
        steps=[{"step": "Antrag", "responsible": "Vater", "due": "2027-02-01"}],
    )
    add_version(west_case, west_member, based_on=2, need="Anderer Bedarf")
    client.force_login(west_member)

    response = client.get(_url("helpplan_compare", west_case), {"von": 1, "mit": 2})

    body = response.content.decode()
    assert response.status_code == 200
    assert '<del class="helpplan-diff__removed">langsam.</del>' in body
    assert '<ins class="helpplan-diff__added">schon gut.</ins>' in body
    assert "01.02.2027" in body  # the steps are compared too
    assert body.count('data-changed="ja"') == 2  # goals and steps; the need is the same


def test_the_comparison_defaults_to_the_last_two_versions(client, west_member, west_case):
    for number in range(3):
        add_version(west_case, west_member, based_on=number, goals=f"Ziele {number + 1}")
    client.force_login(west_member)

    body = client.get(_url("helpplan_compare", west_case)).content.decode()

    assert ">Fassung 2</th>" in body and ">Fassung 3</th>" in body
    assert '<del class="helpplan-diff__removed">2</del>' in body
    assert '<ins class="helpplan-diff__added">3</ins>' in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"von": 1, "mit": 1}, "Bitte wählen Sie zwei verschiedene Fassungen."),
        ({"von": 1, "mit": 9}, "Bitte wählen Sie zwei vorhandene Fassungen zum Vergleich."),
        ({"von": "x", "mit": 2}, "Bitte wählen Sie zwei vorhandene Fassungen zum Vergleich."),
    ],
)
def test_a_bad_comparison_choice_is_explained(client, west_member, west_case, query, message):
    add_version(west_case, west_member, based_on=0)
    add_version(west_case, west_member, based_on=1)
    client.force_login(west_member)

    response = client.get(_url("helpplan_compare", west_case), query)

    body = response.content.decode()
    assert response.status_code == 200
    assert message in body and 'data-testid="diff"' not in body


def test_the_help_plan_page_is_printable(client, west_member, west_case):
    add_version(west_case, west_member, based_on=0)
    client.force_login(west_member)

    body = client.get(_url("helpplan", west_case)).content.decode()

    assert "css/print.css" in body
    assert 'class="helpplan kern-stack"' in body
    assert 'class="kern-stack-sm no-print"' in body  # the version list stays off paper


def test_without_a_plan_the_page_offers_to_write_one(client, west_member, west_case):
    client.force_login(west_member)

    body = client.get(_url("helpplan", west_case)).content.decode()

    assert "noch keinen Hilfeplan" in body and _url("helpplan_edit", west_case) in body


# The derived next review ---------------------------------------------------------


def test_six_months_after_the_end_of_august_is_the_end_of_february():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 8, 31), 6) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 3, 15), 6) == datetime.date(2026, 9, 15)


def test_the_latest_versions_next_review_is_a_derived_deadline(west_member, west_case):
    add_version(west_case, west_member, based_on=0, next_review=datetime.date(2027, 1, 10))
    add_version(west_case, west_member, based_on=1, next_review=datetime.date(2027, 3, 1))

    deadlines = derived_deadlines(west_case)

    reviews = [d for d in deadlines if d.label == "Nächste Überprüfung des Hilfeplans"]
    assert [(d.due, d.source) for d in reviews] == [
        (datetime.date(2027, 3, 1), "Hilfeplan, Fassung 2")
    ]


def test_a_case_without_a_help_plan_has_no_review_deadline(west_case):
    assert not [d for d in derived_deadlines(west_case) if "Hilfeplan" in d.label]


def render_case_sections(rf, user, case, *providers) -> str:
    """The given case-page sections as the case page renders them."""
    request = rf.get("/")
    request.user = user
    return "".join(provider(request, case).render(request) for provider in providers)


def test_the_next_review_shows_in_the_tasks_section_and_the_help_plan_section(
    rf, west_member, west_case
):
    add_version(west_case, west_member, based_on=0, next_review=datetime.date(2027, 3, 1))

    body = render_case_sections(
        rf, west_member, west_case, sections.tasks_section, sections.helpplan_section
    )

    assert "Nächste Überprüfung des Hilfeplans: <strong>01.03.2027</strong>" in body
    assert 'id="hilfeplan"' in body and "Fassung 1 vom" in body


# Queries do not grow with the versions -------------------------------------------


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["helpplan", "helpplan_compare", "helpplan_edit"])
def test_help_plan_queries_do_not_grow_with_the_number_of_versions(
    client, west_member, west_case, page
):
    client.force_login(west_member)
    url = _url(page, west_case)
    add_version(west_case, west_member, based_on=0)
    add_version(west_case, west_member, based_on=1)
    with_two = _count_queries(client, url)

    for number in range(2, 10):
        add_version(west_case, west_member, based_on=number)
    with_ten = _count_queries(client, url)

    assert with_ten == with_two


def test_the_help_plan_page_with_one_version_costs_what_ten_cost(client, west_member, west_case):
    client.force_login(west_member)
    url = _url("helpplan", west_case)
    add_version(west_case, west_member, based_on=0)
    with_one = _count_queries(client, url)

    for number in range(1, 10):
        add_version(west_case, west_member, based_on=number)
    with_ten = _count_queries(client, url)

    assert with_ten == with_one
