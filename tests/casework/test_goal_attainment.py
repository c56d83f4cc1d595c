"""At a review every goal of the help plan is judged, so progress can be counted."""

import datetime

import pytest
from django.urls import reverse

from apps.casework import services
from apps.casework.models import Attainment, GoalAttainment, HelpPlanGoal

pytestmark = pytest.mark.django_db

MEETING = datetime.date(2026, 3, 2)


def _version(case, user, based_on, goals, attainments=None):
    return services.helpplan_add_version(
        case=case,
        actor=user,
        based_on=based_on,
        meeting_date=MEETING,
        need="Bedarf",
        help_kind="Schulbegleitung",
        family_goals="",
        assessment="",
        goals=goals,
        steps=[],
        participants="Mutter",
        next_review=MEETING + datetime.timedelta(days=180),
        attainments=attainments,
    )


def test_each_line_of_the_goals_is_a_countable_goal(west_case, west_member):
    version = _version(west_case, west_member, 0, "- Pausen ohne Streit\n\n• Hausaufgaben allein\n")

    assert [g.text for g in version.goal_items.all()] == [
        "Pausen ohne Streit",
        "Hausaufgaben allein",
    ]


def test_a_review_records_how_far_each_goal_was_reached(west_case, west_member):
    first = _version(west_case, west_member, 0, "Pausen ohne Streit\nHausaufgaben allein")
    goals = list(first.goal_items.all())

    review = _version(
        west_case,
        west_member,
        1,
        "Hausaufgaben allein",
        {goals[0].pk: Attainment.REACHED, goals[1].pk: Attainment.PARTLY},
    )

    assert dict(
        GoalAttainment.objects.filter(review=review).values_list("goal__text", "attainment")
    ) == {
        "Pausen ohne Streit": Attainment.REACHED,
        "Hausaufgaben allein": Attainment.PARTLY,
    }


def test_a_review_without_every_attainment_is_refused(west_case, west_member):
    first = _version(west_case, west_member, 0, "Pausen ohne Streit\nHausaufgaben allein")
    goal = first.goal_items.first()

    with pytest.raises(services.GoalsNotAssessed, match="Hausaufgaben allein"):
        _version(west_case, west_member, 1, "Neu", {goal.pk: Attainment.REACHED})

    assert first.plan.versions.count() == 1


def test_the_review_form_asks_for_each_goal_and_explains_a_missing_one(
    client, west_case, west_member
):
    _version(west_case, west_member, 0, "Pausen ohne Streit")
    goal = HelpPlanGoal.objects.get()
    client.force_login(west_member)
    url = reverse("casework:helpplan_edit", args=[west_case.pk])

    page = client.get(url)
    assert "Ziel 1: Pausen ohne Streit" in page.text

    data = {
        "based_on": "1",
        "meeting_date": MEETING.isoformat(),
        "participants": "Mutter",
        "need": "Bedarf",
        "help_kind": "Schulbegleitung",
        "goals": "Neues Ziel",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
    }
    refused = client.post(url, data)
    assert "Bitte geben Sie an, wie weit Ziel 1 erreicht ist." in refused.text
    assert not GoalAttainment.objects.exists()

    client.post(url, data | {f"ziel_{goal.pk}": Attainment.NOT_YET})
    assert GoalAttainment.objects.get().attainment == Attainment.NOT_YET
