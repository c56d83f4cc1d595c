"""The one KERN form layer: markup, ARIA links and the error summary."""

import re

from django import forms
from django.template import Context, Template

from apps.core.forms import DateInput, required_when


class SampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="Wie im Ausweis.")
    remark = forms.CharField(label="Bemerkung", required=False)
    phone = required_when(
        forms.CharField(label="Telefon", required=False), "wenn Sie keine E-Mail angeben"
    )
    kind = forms.ChoiceField(
        label="Art", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    helpers = forms.MultipleChoiceField(
        label="Wer hilft?", choices=[("x", "X")], widget=forms.CheckboxSelectMultiple
    )
    agreed = forms.BooleanField(label="Einverstanden")
    day = forms.DateField(label="Tag", required=False, widget=DateInput())

    def clean(self):
        raise forms.ValidationError("Insgesamt stimmt etwas nicht.")


def _render(source: str, form: forms.Form) -> str:
    return Template(source).render(Context({"form": form}))


def test_an_invalid_field_points_at_its_hint_and_error():
    form = SampleForm(data={})
    form.is_valid()

    html = str(form["name"].as_field_group())

    assert 'class="kern-form-input__input kern-form-input__input--error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'id="id_name_helptext"' in html
    assert '<p class="kern-error" id="id_name_error">' in html


def test_optional_fields_are_marked_and_conditionally_required_ones_are_not():
    form = SampleForm()

    assert "– optional" in str(form["remark"].as_field_group())
    assert "– optional" not in str(form["name"].as_field_group())
    phone = str(form["phone"].as_field_group())
    assert "– optional" not in phone
    assert "Pflichtangabe, wenn Sie keine E-Mail angeben." in phone


def test_choices_and_checkboxes_use_the_kern_classes():
    form = SampleForm()

    radios = str(form["kind"].as_field_group())
    boxes = str(form["helpers"].as_field_group())
    agreed = str(form["agreed"].as_field_group())

    assert radios.count('class="kern-form-check__radio"') == 2
    assert "<legend" in radios
    assert 'class="kern-form-check__checkbox"' in boxes
    assert 'class="kern-form-check__checkbox"' in agreed
    assert 'type="date"' in str(form["day"].as_field_group())


def test_the_error_summary_links_each_error_to_its_field():
    form = SampleForm(data={"kind": "zz"})
    form.is_valid()

    html = _render('{% include "core/forms/error_summary.html" %}', form)

    assert "data-error-summary" in html and 'tabindex="-1"' in html
    assert "Insgesamt stimmt etwas nicht." in html
    assert '<a class="kern-link" href="#id_name">' in html
    # A radio group is reached through its first button.
    assert 'href="#id_kind_0"' in html
    assert 'href="#id_helpers_0"' in html


def test_no_summary_without_errors():
    assert "data-error-summary" not in _render(
        '{% include "core/forms/error_summary.html" %}', SampleForm()
    )


def test_a_whole_form_renders_summary_then_fields():
    form = SampleForm(data={})
    form.is_valid()

    html = str(form)

    assert html.index("data-error-summary") < html.index('for="id_name"')
    assert len(re.findall(r'class="kern-form-input', html)) >= 3
