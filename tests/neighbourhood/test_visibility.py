"""The one place of the rules: visible_to / editable_by of the querysets."""

import pytest

from apps.neighbourhood.models import Activity, Resource

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("familienamt_worker", True),
        ("familienamt_lead", True),
        ("west_member", True),
        ("nord_member", True),
        ("school_leader", False),
        ("admin_user", False),
        ("dpo", False),
    ],
)
def test_activities_and_resources_are_read_by_teams_and_familienamt(
    request, west_activity, west_resource, persona, visible
):
    user = request.getfixturevalue(persona)

    assert Activity.objects.visible_to(user).exists() is visible
    assert Resource.objects.visible_to(user).exists() is visible


@pytest.mark.parametrize(
    ("persona", "editable"),
    [
        ("familienamt_worker", {"west", "nord"}),
        ("familienamt_lead", {"west", "nord"}),
        ("west_member", {"west"}),
        ("nord_member", {"nord"}),
        ("school_leader", set()),
        ("admin_user", set()),
        ("dpo", set()),
    ],
)
def test_only_the_owning_team_and_familienamt_edit(
    request, west_activity, nord_activity, west_resource, nord_resource, persona, editable
):
    user = request.getfixturevalue(persona)
    by_record = {
        west_activity.pk: "west",
        nord_activity.pk: "nord",
    }
    by_resource = {west_resource.pk: "west", nord_resource.pk: "nord"}

    activities = {
        by_record[pk] for pk in Activity.objects.editable_by(user).values_list("pk", flat=True)
    }
    resources = {
        by_resource[pk] for pk in Resource.objects.editable_by(user).values_list("pk", flat=True)
    }

    assert activities == editable
    assert resources == editable
    assert {
        by_record[a.pk] for a in (west_activity, nord_activity) if a.is_editable_by(user)
    } == editable
