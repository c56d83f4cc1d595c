"""The one form layer: every Django form renders its fields in KERN UX markup.

``settings.FORM_RENDERER`` points at :class:`KernFormRenderer`, so
``{{ form }}`` and ``{{ form.field.as_field_group }}`` use the templates in
``templates/core/forms/``. Forms therefore declare no CSS classes or ARIA
attributes: the widget classes come from :func:`widget_attrs`, and Django
itself adds ``aria-invalid`` and ``aria-describedby`` (``<id>_helptext``,
``<id>_error``) which the field template's hint and error ids match.

A field that must be filled only in some cases is declared
``required=False`` (the form's ``clean`` decides) and marked with
:func:`required_when`, so its label does not call it optional.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting


class DateInput(forms.DateInput):
    """The browser's date picker; the value in the ISO form it expects."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class KernFormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


def required_when[F: forms.Field](field: F, condition: str) -> F:
    """Mark ``field`` as required under ``condition``; the hint says so first."""
    field.required_when = condition  # type: ignore[attr-defined]
    field.help_text = f"Pflichtangabe, {condition}. {field.help_text}".strip()
    return field


class FilterForm(forms.Form):
    """The form of a list's filters (``FilterSet.Meta.form``): every field may stay
    empty, so no label says "optional"."""

    marks_optional = False


def is_optional(bound: forms.BoundField) -> bool:
    if not getattr(bound.form, "marks_optional", True):
        return False
    return not bound.field.required and not getattr(bound.field, "required_when", "")


def widget_class(widget: forms.Widget) -> str:
    # CheckboxSelectMultiple is a RadioSelect in Django: test it first.
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
        return "kern-form-check__checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "kern-form-check__radio"
    if isinstance(widget, forms.Select):
        return "kern-form-input__select"
    return "kern-form-input__input"


def widget_attrs(bound: forms.BoundField) -> dict[str, Any]:
    """The KERN classes (with their error variant) on top of what the form declared."""
    base = widget_class(bound.field.widget)
    classes = [base, *str(bound.field.widget.attrs.get("class", "")).split()]
    if bound.errors:
        classes.append(f"{base}--error")
    attrs: dict[str, Any] = {"class": " ".join(dict.fromkeys(c for c in classes if c))}
    if isinstance(bound.field, forms.DecimalField):
        attrs["inputmode"] = "decimal"
    return attrs


@dataclass(frozen=True)
class SummaryItem:
    target: str
    label: str
    message: str


def error_summary(form: forms.BaseForm | forms.BaseFormSet) -> list[SummaryItem]:
    """Each error of ``form`` (or of every form of a formset) with its control's id."""
    if isinstance(form, forms.BaseFormSet):
        if not form.is_bound:
            return []
        items = [SummaryItem("", "", str(message)) for message in form.non_form_errors()]
        for member in form.forms:
            items.extend(error_summary(member))
        return items
    if not form.is_bound:
        return []
    items = [SummaryItem("", "", str(message)) for message in form.non_field_errors()]
    for name, messages in form.errors.items():
        if name not in form.fields:
            continue
        bound = form[name]
        if bound.is_hidden:
            items.extend(SummaryItem("", "", str(m)) for m in messages)
            continue
        target = bound.auto_id or ""
        if target and isinstance(bound.field.widget, forms.RadioSelect):
            target = f"{target}_0"
        items.extend(SummaryItem(target, str(bound.label), str(m)) for m in messages)
    return items
