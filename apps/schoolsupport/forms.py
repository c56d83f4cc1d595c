from django import forms

from apps.cases.models import Pool, Provider
from apps.core import forms as core_forms
from apps.core.forms import FilterForm
from apps.core.submissions import SubmissionKeyMixin
from apps.organisation.models import Schule, Team
from apps.schoolsupport.models import SchoolFeedback


class FeedbackForm(SubmissionKeyMixin, core_forms.Form):
    overall = forms.ChoiceField(
        label="Wie läuft die Schulbegleitung?",
        choices=SchoolFeedback.Overall.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Bitte wählen Sie, wie die Schulbegleitung läuft."},
    )
    participation = forms.ChoiceField(
        label="Teilnahme am Unterricht",
        choices=SchoolFeedback.Trend.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Bitte wählen Sie, wie das Kind am Unterricht teilnimmt."},
    )
    note = forms.CharField(
        label="Was sollte das Team wissen?",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kurz und sachlich, höchstens 500 Zeichen; keine Diagnosen.",
        error_messages={"max_length": "Bitte höchstens 500 Zeichen."},
    )
    talk_wanted = forms.BooleanField(label="Wir wünschen ein Gespräch", required=False)


class GrantFilter(FilterForm):
    """Filters of the city-wide lists (values only in the URL, never names)."""

    schule = forms.ModelChoiceField(
        label="Schule", queryset=Schule.objects.order_by("name"), required=False
    )
    anbieter = forms.ModelChoiceField(
        label="Leistungserbringer", queryset=Provider.objects.all(), required=False
    )
    pool = forms.ModelChoiceField(
        label="Pool", queryset=Pool.objects.select_related("school"), required=False
    )
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.all(), required=False)
    stand = forms.ChoiceField(
        label="Stand",
        required=False,
        choices=[
            ("", "alle"),
            ("offen", "Fortschreibung noch nicht begonnen"),
            ("begonnen", "Fortschreibung begonnen oder zur Entscheidung"),
            ("fortsetzung", "Schule bittet um Fortsetzung"),
        ],
    )
