from django import forms

from apps.core import forms as core_forms
from apps.organisation.models import Schule
from apps.organisation.routing import parse_house_number


class AddressFinderForm(core_forms.Form):
    """Street and house number of the family's home; nothing else is asked."""

    strasse = forms.CharField(
        label="Straße",
        max_length=120,
        error_messages={
            "required": "Bitte geben Sie eine Straße ein.",
            "max_length": "Der Straßenname ist zu lang (höchstens %(limit_value)d Zeichen).",
        },
    )
    hausnummer = forms.CharField(
        label="Hausnummer",
        max_length=10,
        error_messages={
            "required": "Bitte geben Sie eine Hausnummer ein.",
            "max_length": "Die Hausnummer ist zu lang (höchstens %(limit_value)d Zeichen).",
        },
    )

    def clean_hausnummer(self) -> str:
        value: str = self.cleaned_data["hausnummer"]
        try:
            parse_house_number(value)
        except ValueError:
            raise forms.ValidationError(
                "Die Hausnummer muss mit einer Zahl beginnen, zum Beispiel 12 oder 12a."
            ) from None
        return value


class SchoolFinderForm(core_forms.Form):
    schule = forms.ModelChoiceField(
        label="Schule",
        queryset=Schule.objects.select_related("stadtteil__sozialraum"),
        error_messages={
            "required": "Bitte wählen Sie eine Schule aus.",
            "invalid_choice": "Diese Schule kennen wir nicht. Bitte wählen Sie eine aus der Liste.",
        },
    )
