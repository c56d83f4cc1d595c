"""Retention deletes a case's content; its change history must go along."""

import datetime

import pytest

from apps.audit.retention import purge
from apps.cases.models import Case, HelpKind, Person
from apps.history.models import CaseSnapshot

pytestmark = pytest.mark.django_db


def test_deleting_a_case_for_retention_removes_its_snapshots_too(team_west):
    person = Person.objects.create(
        first_name="Ida", last_name="Kern", date_of_birth=datetime.date(2015, 1, 2)
    )
    case = Case.objects.create(
        reference="F-T-1", person=person, sozialraum=team_west.sozialraum, team=team_west
    )
    case.help_kind_id = HelpKind.ERZIEHUNGSHILFE
    case.save()
    assert CaseSnapshot.objects.filter(pgh_obj_id=case.pk).exists()

    purge(Case.objects.filter(pk=case.pk))

    assert not CaseSnapshot.objects.filter(pgh_obj_id=case.pk).exists()
