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

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest
from django.utils.formats import localize
from django.utils.html import conditional_escape


class DateInput(forms.DateInput):
    """The browser's date picker; the value in the ISO form it expects."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class SearchInput(forms.TextInput):
    input_type = "search"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


# Text limits (issue 9): every text field has one, checked by the form with a
# German message, so a megabyte pasted into a note is refused and nothing is
# stored. Long free text (a note, observations, minutes) gets LONG_TEXT; a
# reason or a comment REASON_TEXT; a single line (a name, a title) LINE_TEXT
# unless the form or the model column says less.
LONG_TEXT = 20_000
REASON_TEXT = 2_000
LINE_TEXT = 200
REASON_NAMES = re.compile(r"reason|comment|justification|basis|remark", re.I)
TOO_LONG = "Bitte kürzen Sie den Text auf höchstens %(limit_value)s Zeichen (jetzt %(show_value)s)."


def text_limit(name: str, field: forms.CharField) -> int:
    """The limit a text field without one of its own gets."""
    if not isinstance(field.widget, forms.Textarea):
        return LINE_TEXT
    return REASON_TEXT if REASON_NAMES.search(name) else LONG_TEXT


def limit_text_fields(form: forms.BaseForm) -> None:
    """Give every text field of ``form`` a maximum length and the German message.

    Idempotent; Django's CharField refuses NUL bytes itself
    (``ProhibitNullCharactersValidator``).
    """
    for name, field in form.fields.items():
        if (
            not isinstance(field, forms.CharField)
            or isinstance(field, forms.UUIDField | forms.JSONField)
            or getattr(field, "_text_limited", False)
        ):
            continue
        if field.max_length is None:
            field.max_length = text_limit(name, field)
            field.validators.append(MaxLengthValidator(field.max_length))
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("maxlength", str(field.max_length))
        field.error_messages.setdefault("max_length", TOO_LONG)
        field._text_limited = True  # type: ignore[attr-defined]


class LimitedTextMixin:
    """Mixed into every form of the project: :func:`limit_text_fields` before it renders
    and again before it cleans (for fields a form adds after ``__init__``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_text_fields(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        limit_text_fields(self)  # type: ignore[arg-type]
        super().full_clean()  # type: ignore[misc]


class _PlainModelChoices(ModelChoiceIterator):
    """A model choice field's options read with one plain query.

    Django's iterator reads them through ``QuerySet.iterator()``, which on
    PostgreSQL is a server-side cursor (``DECLARE … WITH HOLD``, fetch, close),
    made for huge results: for the handful of options a form shows it costs
    about 0.8 ms per field, twice the query itself. Each iteration queries anew,
    as Django's does.
    """

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


_PLAIN: dict[type[ModelChoiceIterator], type[ModelChoiceIterator]] = {}


def _plain(iterator: type[ModelChoiceIterator]) -> type[ModelChoiceIterator]:
    """``iterator`` (Django's or a subclass such as django-filter's) reading plainly."""
    if issubclass(iterator, _PlainModelChoices):
        return iterator
    if iterator is ModelChoiceIterator:
        return _PlainModelChoices
    if iterator not in _PLAIN:
        # Before Django's __iter__ in the order of lookup, after the subclass's own.
        name = f"Plain{iterator.__name__}"
        _PLAIN[iterator] = type(name, (iterator, _PlainModelChoices), {})
    return _PLAIN[iterator]


class PlainChoicesMixin:
    """Mixed into every form of the project: model choices read without a server-side
    cursor (:class:`_PlainModelChoices`), also for fields a form adds late."""

    def __getitem__(self, name: str) -> forms.BoundField:
        bound: forms.BoundField = super().__getitem__(name)  # type: ignore[misc]
        field = bound.field
        if isinstance(field, forms.ModelChoiceField):
            plain = _plain(field.iterator)
            if field.iterator is not plain:
                field.iterator = plain
                field.widget.choices = field.choices
        return bound


class Form(PlainChoicesMixin, LimitedTextMixin, forms.Form):
    """The project's plain form: text fields limited (see :data:`LONG_TEXT`)."""


class ModelForm(PlainChoicesMixin, LimitedTextMixin, forms.ModelForm):
    """The project's model form: text fields limited (see :data:`LONG_TEXT`)."""


class KernFormRenderer(TemplatesSetting):
    """Forms and fields through the KERN templates; Django's plain widgets in Python.

    A widget's own template (an ``<input>``, ``<select>``, ``<textarea>``) is the
    costliest part of a form: one template include per attribute list and per
    option. :func:`widget_html` writes the same bytes directly (tests compare it
    with Django's templates widget by widget); a widget template the project
    overrides in ``templates/`` is rendered from that template as before.
    """

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        if template_name in self._django_widget_templates:
            html = widget_html(template_name, context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)

    @cached_property
    def _django_widget_templates(self) -> frozenset[str]:
        """The widget templates :func:`widget_html` knows that resolve to Django's own files."""
        own = Path(forms.__file__).parent / "templates"
        found = {name: self.get_template(name) for name in WIDGET_TEMPLATES}
        return frozenset(
            name
            for name, template in found.items()
            if template is not None and Path(template.origin.name).is_relative_to(own)
        )


_WIDGETS = "django/forms/widgets/"
_INPUTS = (
    *("input", "text", "number", "email", "url", "tel", "search", "password", "hidden"),
    *("date", "datetime", "time", "color", "checkbox"),
)
_OPTIONS = ("input_option", "checkbox_option", "radio_option")
WIDGET_TEMPLATES = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (*_INPUTS, *_OPTIONS, "select", "select_option", "textarea")
)


def widget_html(template_name: str, widget: Mapping[str, Any]) -> str | None:
    """What Django's template ``template_name`` renders for ``widget``, or None if unknown."""
    name = template_name.removeprefix(_WIDGETS).removesuffix(".html")
    if name in _INPUTS:
        return _input(widget)
    if name in _OPTIONS:
        if not widget.get("wrap_label"):
            return _input(widget)
        id_ = widget["attrs"].get("id")
        label_for = f' for="{_text(id_)}"' if id_ else ""
        return f"<label{label_for}>{_input(widget)}\n {_text(widget['label'])}</label>"
    if name == "select_option":
        return _option(widget)
    if name == "textarea":
        value = _text(widget["value"]) if widget["value"] else ""
        opening = f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>'
        return f"{opening}\n{value}</textarea>"
    if name == "select":
        return _select(widget)
    return None


def _text(value: Any) -> str:
    """``{{ value }}`` in a template with autoescape on."""
    return str(conditional_escape(localize(value)))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>"
    )


def _select(widget: Mapping[str, Any]) -> str | None:
    if any(
        option["template_name"] != f"{_WIDGETS}select_option.html"
        for _group, options, _index in widget["optgroups"]
        for option in options
    ):
        return None
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        parts.extend(f"\n  {_option(option)}\n" for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def required_when[F: forms.Field](field: F, condition: str) -> F:
    """Mark ``field`` as required under ``condition``; the hint says so first."""
    field.required_when = condition  # type: ignore[attr-defined]
    field.help_text = f"Pflichtangabe, {condition}. {field.help_text}".strip()
    return field


class FilterForm(Form):
    """The form of a list's filters (``FilterSet.Meta.form``): every field may stay
    empty, so no label says "optional", and checkbox lists lie in a row."""

    marks_optional = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.horizontal = True  # type: ignore[attr-defined]


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
