from typing import Any

from django import forms

from apps.core import forms as core_forms
from apps.organisation.models import Schule
from apps.organisation.routing import parse_house_number


class AddressFinderForm(core_forms.Form):
    """Street and house number of the family's home; nothing else is asked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "finder-%s")
        super().__init__(*args, **kwargs)

    strasse = forms.CharField(
        label="Straße",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Bitte geben Sie eine Straße ein.",
            "max_length": "Der Straßenname ist zu lang (höchstens %(limit_value)d Zeichen).",
        },
    )
    hausnummer = forms.CharField(
        label="Hausnummer",
        max_length=10,
        help_text="zum Beispiel 12 oder 12a",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
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


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Schule) -> str:
        return f"{obj.name} ({obj.stadtteil.name})"


class SchoolFinderForm(core_forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "finder-%s")
        super().__init__(*args, **kwargs)
        # The options in one plain SELECT: a model choice field would open a
        # server-side cursor, and this public page only ever reads.
        field = self.fields["schule"]
        assert isinstance(field, SchoolChoiceField)
        field.widget.choices = [
            ("", field.empty_label),
            *((school.pk, field.label_from_instance(school)) for school in field.queryset or ()),
        ]

    schule = SchoolChoiceField(
        label="Schule",
        queryset=Schule.objects.select_related("stadtteil__sozialraum").order_by(
            "name", "school_number"
        ),
        empty_label="Bitte wählen",
        help_text="Zuständig ist das Team des Sozialraums, in dem die Schule liegt.",
        error_messages={
            "required": "Bitte wählen Sie eine Schule aus.",
            "invalid_choice": "Diese Schule kennen wir nicht. Bitte wählen Sie eine aus der Liste.",
        },
    )
