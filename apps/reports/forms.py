"""Forms of the steering layer: the figures' filters, reports, budgets, the statistics export.

The steering filter is a plain form rather than a django-filter FilterSet:
its values do not filter one queryset but parameterise a dozen grouped
queries over different models (see ``figures.Scope``).
"""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from apps.cases.models import HelpKind
from apps.core import forms as core_forms
from apps.core import submissions
from apps.core.submissions import SubmissionKeyMixin
from apps.organisation.models import Schule, Sozialraum, Team, Traeger
from apps.reports.figures import Scope
from apps.reports.models import Budget, CouncilReport
from apps.reports.periods import PeriodKind, current_period, parse_period, period_choices


def _select(queryset: QuerySet[Any], label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=queryset,
        required=False,
        label=label,
        empty_label="alle",
        widget=forms.Select,
        error_messages={
            "invalid_choice": f"Diese Auswahl ({label}) gibt es nicht. Bitte neu wählen."
        },
    )


class SteeringFilterForm(core_forms.Form):
    zeitraum = forms.ChoiceField(
        label="Zeitraum",
        required=False,
        widget=forms.Select,
        error_messages={
            "invalid_choice": "Diesen Zeitraum gibt es nicht. Gezeigt wird das laufende Jahr."
        },
    )
    sozialraum = _select(Sozialraum.objects.all(), "Sozialraum")
    team = _select(Team.objects.select_related("sozialraum"), "Team")
    traeger = _select(Traeger.objects.filter(is_city=False), "Träger")
    schule = _select(Schule.objects.all(), "Schule")
    hilfeart = forms.ModelChoiceField(
        label="Hilfeart",
        required=False,
        queryset=HelpKind.objects.all(),
        to_field_name="code",
        empty_label="alle",
        widget=forms.Select,
        error_messages={"invalid_choice": "Diese Hilfeart gibt es nicht. Bitte neu wählen."},
    )

    def __init__(self, *args: Any, team_ids: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zeitraum = self.fields["zeitraum"]
        assert isinstance(zeitraum, forms.ChoiceField)
        zeitraum.choices = period_choices()
        for field in self.fields.values():
            # The KERN select wrapper draws the arrow; the select itself must not.
            field.widget.attrs.setdefault("class", "kern-form-input__select")
        if team_ids is not None:
            # Träger management chooses only among the teams its staff work in.
            self._limit("team", Team.objects.filter(pk__in=team_ids))
            self._limit("sozialraum", Sozialraum.objects.filter(team__in=team_ids))
            self._limit(
                "traeger", Traeger.objects.filter(is_city=False, teams__in=team_ids).distinct()
            )
            self._limit("schule", Schule.objects.none())
            del self.fields["schule"]

    @staticmethod
    def query_for(scope: Scope) -> str:
        """The GET query that shows ``scope`` (the CSV links of a snapshot)."""
        values = {
            "zeitraum": scope.period.key,
            "sozialraum": scope.sozialraum_id,
            "team": scope.team_id,
            "traeger": scope.traeger_id,
            "schule": scope.school_id,
            "hilfeart": scope.help_kind,
        }
        return urlencode({name: value for name, value in values.items() if value})

    def _limit(self, name: str, queryset: QuerySet[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def clean_zeitraum(self) -> str:
        value: str = self.cleaned_data.get("zeitraum") or ""
        return value if parse_period(value) else current_period(PeriodKind.YEAR).key


class ReportForm(SubmissionKeyMixin, core_forms.ModelForm):
    class Meta:
        model = CouncilReport
        fields = ["title", "period_key", "text"]
        widgets = {
            "title": forms.TextInput,
            "text": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "text": "Ihre Einordnung der Zahlen für den Stadtrat. Keine Namen, keine Einzelfälle.",
        }
        error_messages = {
            "title": {"required": "Bitte geben Sie dem Bericht einen Titel."},
            "period_key": {"required": "Bitte wählen Sie den Berichtszeitraum."},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        choices = [
            (key, label)
            for key, label in period_choices(today)
            if parse_period(key)
            and parse_period(key).kind in (PeriodKind.HALF_YEAR, PeriodKind.YEAR)  # type: ignore[union-attr]
        ]
        self.fields["period_key"] = forms.ChoiceField(
            label="Berichtszeitraum",
            choices=[("", "bitte wählen"), *choices],
            widget=forms.Select,
            error_messages={
                "required": "Bitte wählen Sie den Berichtszeitraum (Halbjahr oder Jahr).",
                "invalid_choice": "Ein Bericht umfasst ein Halbjahr oder ein Jahr.",
            },
        )


class PublishForm(SubmissionKeyMixin, core_forms.Form):
    change_note = forms.CharField(
        label="Was hat sich gegenüber der veröffentlichten Fassung geändert?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Nur bei einer Korrektur nötig; der Stadtrat sieht diesen Hinweis.",
    )


class BudgetForm(SubmissionKeyMixin, core_forms.ModelForm):
    class Meta:
        model = Budget
        fields = [
            "year",
            "sozialraum",
            "traeger",
            "flat_payment",
            "schulbegleitung_planned",
            "staff_hours",
            "unspecific_share",
            "note",
        ]
        widgets = {
            "year": forms.NumberInput,
            "sozialraum": forms.Select,
            "traeger": forms.Select,
            "flat_payment": forms.NumberInput(attrs={"step": "0.01"}),
            "schulbegleitung_planned": forms.NumberInput(attrs={"step": "0.01"}),
            "staff_hours": forms.NumberInput(attrs={"step": "0.5"}),
            "unspecific_share": forms.NumberInput(attrs={"step": "0.5"}),
            "note": forms.TextInput,
        }
        error_messages = {
            "year": {"required": "Bitte geben Sie das Jahr an."},
            "flat_payment": {
                "required": "Bitte geben Sie die Pauschale an.",
                "invalid": "Bitte geben Sie einen Betrag in Euro an, zum Beispiel 125000.",
            },
            "unspecific_share": {
                "max_value": "Der Anteil kann höchstens 100 Prozent sein.",
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        traeger = self.fields["traeger"]
        assert isinstance(traeger, forms.ModelChoiceField)
        traeger.queryset = Traeger.objects.filter(is_city=False)
        if self.instance.pk:  # changing a budget creates nothing: no key
            del self.fields[submissions.FIELD]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        payment, planned = data.get("flat_payment"), data.get("schulbegleitung_planned")
        if payment is not None and planned is not None and planned > payment:
            self.add_error(
                "schulbegleitung_planned",
                "Der Anteil für Schulbegleitung kann nicht größer als die Pauschale sein.",
            )
        return data


class StatisticsExportForm(core_forms.Form):
    jahr = forms.IntegerField(
        label="Berichtsjahr",
        min_value=2020,
        max_value=2100,
        widget=forms.NumberInput,
        error_messages={
            "required": "Bitte geben Sie das Berichtsjahr an.",
            "invalid": "Bitte geben Sie das Jahr als Zahl an, zum Beispiel 2025.",
            "min_value": "Daten gibt es erst ab 2020.",
            "max_value": "Bitte ein Jahr bis 2100 angeben.",
        },
    )
    teil = forms.ChoiceField(
        label="Erhebung",
        choices=[
            ("hilfen", "Teil I: erzieherische Hilfen, § 35a, Hilfe für junge Volljährige"),
            ("8a", "Gefährdungseinschätzungen nach § 8a SGB VIII"),
        ],
        widget=forms.Select,
        error_messages={
            "required": "Bitte wählen Sie die Erhebung.",
            "invalid_choice": "Diese Erhebung gibt es nicht.",
        },
    )
    zweck = forms.CharField(
        label="Zweck des Exports",
        min_length=10,
        max_length=200,
        widget=forms.TextInput,
        help_text=(
            "Steht im Zugriffsprotokoll, z. B. „Meldung an das Landesamt für Statistik 2025“."
        ),
        error_messages={
            "required": "Bitte geben Sie an, wofür Sie die Daten exportieren.",
            "min_length": (
                "Bitte beschreiben Sie den Zweck in einigen Worten (mindestens 10 Zeichen)."
            ),
        },
    )
