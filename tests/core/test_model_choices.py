"""Model choices are read with one plain query, not a server-side cursor
(apps/core/forms.py, PlainChoicesMixin): the options a user sees are the same."""

import django_filters
import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import forms as core_forms
from apps.organisation.models import Sozialraum

pytestmark = pytest.mark.django_db


def _rendered(form: forms.BaseForm, name: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        html = str(form[name].as_field_group())
    return html, [q["sql"] for q in queries.captured_queries]


@pytest.fixture
def areas():
    return [
        Sozialraum.objects.create(name=name, slug=slug, sort_order=number)
        for number, (name, slug) in enumerate([("Probe West", "t-west"), ("Nord & Süd", "t-nord")])
    ]


def _ours():
    return Sozialraum.objects.filter(slug__startswith="t-").order_by("sort_order")


def test_a_model_choice_field_shows_every_option_from_one_plain_query(areas):
    class Form(core_forms.Form):
        area = forms.ModelChoiceField(_ours(), label="Gebiet")

    html, statements = _rendered(Form(), "area")
    assert len(statements) == 1
    assert not statements[0].lstrip().upper().startswith("DECLARE")
    assert f'<option value="{areas[0].pk}">Probe West</option>' in html
    assert "Nord &amp; Süd" in html


def test_a_field_added_after_init_reads_plainly_too(areas):
    class Form(core_forms.Form):
        def __init__(self) -> None:
            super().__init__()
            self.fields["areas"] = forms.ModelMultipleChoiceField(_ours(), label="Gebiete")

    html, statements = _rendered(Form(), "areas")
    assert [s for s in statements if "DECLARE" in s.upper()] == []
    assert html.count("<option") == 2


def test_a_filters_empty_and_null_choices_stay(areas, rf):
    class AreaFilter(django_filters.FilterSet):
        sozialraum = django_filters.ModelChoiceFilter(
            queryset=_ours(),
            field_name="pk",
            empty_label="alle",
            null_label="keiner",
        )

        class Meta:
            model = Sozialraum
            fields: list[str] = []
            form = core_forms.FilterForm

    form = AreaFilter({"sozialraum": str(areas[1].pk)}).form
    html, statements = _rendered(form, "sozialraum")
    assert [s for s in statements if "DECLARE" in s.upper()] == []
    options = html.split("<option")[1:]
    assert [o.split(">")[1].split("<")[0] for o in options] == [
        "alle",
        "keiner",
        "Probe West",
        "Nord &amp; Süd",
    ]
    assert "selected" in options[3]


def test_a_changed_queryset_is_read_anew(areas):
    class Form(core_forms.Form):
        area = forms.ModelChoiceField(_ours())

    form = Form()
    _rendered(form, "area")
    form.fields["area"].queryset = Sozialraum.objects.filter(slug="t-west")
    form._bound_fields_cache.clear()
    html, _ = _rendered(form, "area")
    assert "Probe West" in html
    assert "Nord" not in html
