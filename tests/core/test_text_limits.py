"""Every text field of the project's forms has a maximum length with a German message."""

import pytest
from django import forms

from apps.core import forms as core_forms


class Sample(core_forms.Form):
    note = forms.CharField(widget=forms.Textarea)
    reason = forms.CharField(widget=forms.Textarea, required=False)
    name = forms.CharField(required=False)
    code = forms.CharField(max_length=10, required=False)
    key = forms.UUIDField(required=False)


def test_text_fields_get_limits_by_kind_and_keep_their_own():
    form = Sample()

    limits = {name: getattr(form.fields[name], "max_length", None) for name in form.fields}

    assert limits == {
        "note": core_forms.LONG_TEXT,
        "reason": core_forms.REASON_TEXT,
        "name": core_forms.LINE_TEXT,
        "code": 10,
        "key": None,
    }
    assert 'maxlength="20000"' in str(form["note"])


@pytest.mark.parametrize(
    ("field", "length", "limit"),
    [
        ("note", 20_001, "20000"),
        ("reason", 2_001, "2000"),
        ("name", 201, "200"),
        ("code", 11, "10"),
    ],
)
def test_too_long_text_is_refused_in_german(field, length, limit):
    form = Sample({"note": "x", field: "x" * length})

    assert not form.is_valid()
    assert form.errors[field] == [
        f"Bitte kürzen Sie den Text auf höchstens {limit} Zeichen (jetzt {length})."
    ]


def test_a_nul_byte_is_refused():
    form = Sample({"note": "a\x00b"})

    assert not form.is_valid()
    assert "note" in form.errors


def test_fields_a_form_adds_after_init_are_limited_when_it_cleans():
    form = Sample({"note": "x", "late": "y" * 201})
    form.fields["late"] = forms.CharField()

    assert not form.is_valid()
    assert "late" in form.errors


def test_the_request_body_limit_fits_the_text_limits(settings):
    # Eight long fields at their limit, each character four bytes URL-encoded as %XX.
    assert 8 * core_forms.LONG_TEXT * 4 * 3 <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
