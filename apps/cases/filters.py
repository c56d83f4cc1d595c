"""Filters of the case list; always given a queryset already scoped by ``visible_to``."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from apps.cases.models import Case
from apps.core.forms import FilterForm
from apps.organisation.models import Team
from apps.referrals.workflow import CASE_STATUSES, Party, Status

CASE_STATUS_CHOICES = [(s.value, s.label) for s in Status if s in CASE_STATUSES]


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=CASE_STATUS_CHOICES, empty_label="alle"
    )
    team = django_filters.ModelChoiceFilter(
        label="Sozialraumteam",
        queryset=Team.objects.select_related("sozialraum"),
        empty_label="alle",
    )
    am_zug = django_filters.ChoiceFilter(
        label="Am Zug", field_name="whose_move", choices=Party.choices, empty_label="alle"
    )
    meine = django_filters.BooleanFilter(
        label="Nur Fälle, die ich führe",
        method="filter_mine",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Case
        fields: list[str] = []
        form = FilterForm

    def filter_mine(self, queryset: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        if value and self.request is not None:
            return queryset.filter(worker=self.request.user)
        return queryset
