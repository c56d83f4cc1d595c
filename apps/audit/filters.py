"""The data protection officer's filters over the access log.

Parameters carry ids, choices and dates only; a case is found by its number
or its Aktenzeichen, never by a person's name.
"""

import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.models import AccessLogEntry, Action, ObjectType
from apps.cases.models import Case
from apps.core.forms import DateInput, FilterForm


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class AccessLogFilterForm(FilterForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("von"), cleaned.get("bis")
        if start and end and end < start:
            self.add_error("bis", "Das Ende des Zeitraums liegt vor seinem Anfang.")
        return cleaned


class AccessLogFilter(django_filters.FilterSet):
    person = django_filters.ModelChoiceFilter(
        label="Benutzerkonto",
        field_name="user",
        queryset=User.objects.order_by("last_name", "first_name", "username"),
        empty_label="alle",
    )
    fall = django_filters.CharFilter(
        label="Fall (Nummer oder Aktenzeichen)", method="filter_case", max_length=40
    )
    objektart = django_filters.ChoiceFilter(
        label="Objektart", field_name="object_type", choices=ObjectType.choices, empty_label="alle"
    )
    aktion = django_filters.ChoiceFilter(
        label="Aktion", field_name="action", choices=Action.choices, empty_label="alle"
    )
    von = django_filters.DateFilter(label="Von (Datum)", method="filter_from", widget=DateInput)
    bis = django_filters.DateFilter(label="Bis (Datum)", method="filter_until", widget=DateInput)

    class Meta:
        model = AccessLogEntry
        fields: list[str] = []
        form = AccessLogFilterForm

    def filter_case(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(case_id=int(value))
        case_ids = Case.objects.filter(reference__iexact=value).values("pk")
        return queryset.filter(Q(case_id__in=case_ids) | Q(object_reference__iexact=value))

    def filter_from(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(at__gte=_start_of(value))

    def filter_until(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(at__lt=_start_of(value + datetime.timedelta(days=1)))
