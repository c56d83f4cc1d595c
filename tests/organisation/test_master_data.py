import pytest

from apps.organisation.models import Sozialraum, Team

pytestmark = pytest.mark.django_db


def test_weimar_has_three_sozialraeume_each_with_one_team_and_its_traeger():
    teams = {
        team.sozialraum.name: sorted(t.short_name for t in team.traeger.all())
        for team in Team.objects.select_related("sozialraum").prefetch_related("traeger")
    }

    assert Sozialraum.objects.count() == 3
    assert teams == {
        "West": ["AWO", "Stadt Weimar"],
        "Nord und Schöndorf": ["Caritas", "HTG", "Stadt Weimar"],
        "Mitte-Süd": ["Diakonie", "Stadt Weimar"],
    }
