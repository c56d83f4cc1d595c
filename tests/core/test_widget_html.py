"""The form renderer writes Django's plain widgets in Python (apps/core/forms.py):
byte for byte what Django's own widget templates render, so nothing a user, a
screen reader or a test sees changes; only the time it takes."""

import datetime

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from apps.core import forms as core_forms
from apps.core.forms import KernFormRenderer, widget_html

TRICKY = 'Müller & Söhne <script>"x"</script>'

WIDGETS: list[tuple[str, forms.Widget, object]] = [
    ("text", forms.TextInput(attrs={"class": "kern-form-input__input", "required": True}), TRICKY),
    ("text-empty", forms.TextInput(attrs={"disabled": False, "maxlength": 200}), None),
    ("text-blank", forms.TextInput(), ""),
    ("number", forms.NumberInput(attrs={"min": 0, "step": "0.5"}), 12.5),
    ("email", forms.EmailInput(), "a@b.de"),
    ("hidden", forms.HiddenInput(), 7),
    ("password", forms.PasswordInput(render_value=True), "geheim"),
    ("search", core_forms.SearchInput(attrs={"placeholder": mark_safe("Name &amp; Ort")}), "x"),
    ("date", core_forms.DateInput(), datetime.date(2026, 12, 1)),
    ("datetime", core_forms.DateTimeInput(), datetime.datetime(2026, 12, 1, 8, 30)),
    ("time", forms.TimeInput(), datetime.time(8, 30)),
    ("checkbox-on", forms.CheckboxInput(), True),
    ("checkbox-off", forms.CheckboxInput(attrs={"aria-invalid": "true"}), False),
    ("textarea", forms.Textarea(attrs={"rows": 5}), f"Zeile 1\n{TRICKY}"),
    ("textarea-empty", forms.Textarea(), ""),
    (
        "select",
        forms.Select(
            choices=[("", "—"), ("a", "A & B"), (1, gettext_lazy("Eins")), (2026, 2026)],
            attrs={"id": "id_x"},
        ),
        "a",
    ),
    (
        "select-groups",
        forms.Select(choices=[("Gruppe <1>", [("a", "A"), ("b", "B")]), ("c", TRICKY)]),
        "b",
    ),
    ("select-multiple", forms.SelectMultiple(choices=[("a", "A"), ("b", "B")]), ["a", "b"]),
    ("select-nothing", forms.Select(choices=[]), None),
]


@pytest.mark.parametrize(("label", "widget", "value"), WIDGETS, ids=[w[0] for w in WIDGETS])
def test_each_widget_renders_as_djangos_template_would(label, widget, value):
    attrs = {"id": f"id_{label}", "aria-describedby": "id_x_helptext"}
    ours = widget.render("feld", value, attrs=attrs, renderer=KernFormRenderer())
    djangos = widget.render("feld", value, attrs=attrs, renderer=TemplatesSetting())
    assert ours == djangos


@pytest.mark.parametrize("wrap_label", [True, False])
@pytest.mark.parametrize("widget_class", [forms.CheckboxSelectMultiple, forms.RadioSelect])
def test_choice_options_render_as_djangos_templates_would(widget_class, wrap_label):
    widget = widget_class(choices=[("a", "A & B"), ("b", TRICKY)])
    for option in widget.subwidgets("feld", ["b"], attrs={"id": "id_feld"}):
        context = {"widget": {**option, "wrap_label": wrap_label}}
        ours = KernFormRenderer().render(option["template_name"], context)
        djangos = TemplatesSetting().render(option["template_name"], context)
        assert ours == djangos
    assert ("&lt;script&gt;" in ours) is wrap_label


def test_a_whole_form_is_the_same_html_as_through_djangos_templates():
    class Form(core_forms.Form):
        name = forms.CharField(label="Name", help_text="Wie im Ausweis")
        kind = forms.ChoiceField(label="Art", choices=[("a", "A"), ("b", "B")])
        text = forms.CharField(label="Text", widget=forms.Textarea, required=False)
        flags = forms.MultipleChoiceField(
            label="Merkmale", widget=forms.CheckboxSelectMultiple, choices=[("x", "X")]
        )

    form = Form(data={"name": TRICKY, "kind": "z"})
    form.renderer = KernFormRenderer()
    ours = str(form)
    form.renderer = _TemplatesOnly()
    assert ours == str(form)
    assert "&lt;script&gt;" in ours
    assert "aria-invalid" in ours


class _TemplatesOnly(KernFormRenderer):
    """The same renderer with every widget from its template."""

    _django_widget_templates = frozenset()


def test_an_unknown_widget_template_is_left_to_its_template():
    assert widget_html("django/forms/widgets/clearable_file_input.html", {}) is None
    assert widget_html("core/forms/field.html", {}) is None


def test_a_select_with_its_own_option_template_is_left_to_its_templates():
    class Fancy(forms.Select):
        option_template_name = "core/forms/field.html"

    context = Fancy(choices=[("a", "A")]).get_context("feld", "a", {})
    assert widget_html("django/forms/widgets/select.html", context["widget"]) is None


def test_a_widget_template_the_project_overrides_is_rendered_from_the_override(settings, tmp_path):
    (tmp_path / "django/forms/widgets").mkdir(parents=True)
    (tmp_path / "django/forms/widgets/text.html").write_text("<i>eigene Vorlage</i>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    html = forms.TextInput().render("feld", "x", renderer=KernFormRenderer())
    assert html == "<i>eigene Vorlage</i>"
