"""Filters of the activity list and the resource register.

Always given a queryset already scoped by ``visible_to``.
"""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from apps.core.forms import DateInput, FilterForm, SearchInput
from apps.neighbourhood.models import Activity, Resource
from apps.organisation.models import Sozialraum


class ActivityFilter(django_filters.FilterSet):
    sozialraum = django_filters.ModelChoiceFilter(
        label="Sozialraum", queryset=Sozialraum.objects.all(), empty_label="alle"
    )
    art = django_filters.ChoiceFilter(
        label="Art", field_name="kind", choices=Activity.Kind.choices, empty_label="alle"
    )
    von = django_filters.DateFilter(
        label="von", field_name="date", lookup_expr="gte", widget=DateInput
    )
    bis = django_filters.DateFilter(
        label="bis", field_name="date", lookup_expr="lte", widget=DateInput
    )

    class Meta:
        model = Activity
        fields: list[str] = []
        form = FilterForm


class ResourceFilter(django_filters.FilterSet):
    SORTS = {
        "name": ("name", "pk"),
        "faelle": ("-case_count", "name", "pk"),
        "sozialraum": ("sozialraum__sort_order", "name", "pk"),
    }

    suche = django_filters.CharFilter(
        label="Suche in Name und Beschreibung", method="search", widget=SearchInput
    )
    sozialraum = django_filters.ModelChoiceFilter(
        label="Sozialraum", queryset=Sozialraum.objects.all(), empty_label="alle"
    )
    art = django_filters.ChoiceFilter(
        label="Art", field_name="kind", choices=Resource.Kind.choices, empty_label="alle"
    )
    inaktive = django_filters.BooleanFilter(
        label="Auch nicht mehr aktive zeigen",
        method="include_inactive",
        widget=forms.CheckboxInput,
    )
    sortierung = django_filters.ChoiceFilter(
        label="Sortierung",
        method="sort",
        choices=[
            ("name", "nach Name"),
            ("faelle", "meiste verknüpfte Fälle zuerst"),
            ("sozialraum", "nach Sozialraum"),
        ],
        empty_label=None,
    )

    class Meta:
        model = Resource
        fields: list[str] = []
        form = FilterForm

    def search(self, queryset: QuerySet[Resource], name: str, value: str) -> QuerySet[Resource]:
        # icontains compiles to UPPER(...) LIKE, which the pg_trgm indexes on UPPER(...) serve.
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    def include_inactive(
        self, queryset: QuerySet[Resource], name: str, value: Any
    ) -> QuerySet[Resource]:
        return queryset  # applied in ``filter_queryset`` so that the default hides inactive ones

    def sort(self, queryset: QuerySet[Resource], name: str, value: str) -> QuerySet[Resource]:
        return queryset  # applied in ``filter_queryset``, after all filters

    def filter_queryset(self, queryset: QuerySet[Resource]) -> QuerySet[Resource]:
        queryset = super().filter_queryset(queryset)
        # Invalid fields are left out of cleaned_data; the valid ones still apply.
        data = getattr(self.form, "cleaned_data", {})
        if not data.get("inaktive"):
            queryset = queryset.filter(active=True)
        return queryset.order_by(*self.ordering)

    @property
    def ordering(self) -> tuple[str, ...]:
        """The chosen sort, ending in ``pk`` so that keyset paging never skips a row."""
        data = getattr(self.form, "cleaned_data", {})
        return self.SORTS.get(data.get("sortierung") or "name", self.SORTS["name"])
