"""Template helpers of the KERN form layer (see ``apps/core/forms.py``)."""

from django import forms, template
from django.forms.boundfield import BoundWidget
from django.utils.safestring import SafeString

from apps.core.forms import SummaryItem, error_summary, is_optional, widget_attrs, widget_class

register = template.Library()


@register.filter
def kern_widget(bound: forms.BoundField) -> SafeString:
    """The field's control with KERN classes; ARIA attributes come from Django."""
    return bound.as_widget(attrs=widget_attrs(bound))


@register.filter
def kern_choice(choice: BoundWidget, bound: forms.BoundField) -> SafeString:
    """One radio button or checkbox of a choice list, with KERN classes."""
    base = widget_class(bound.field.widget)
    classes = f"{base} {base}--error" if bound.errors else base
    choice.data["attrs"] = {**choice.data["attrs"], "class": classes}
    return choice.tag(wrap_label=False)


@register.filter
def optional(bound: forms.BoundField) -> bool:
    return is_optional(bound)


@register.simple_tag(takes_context=True)
def summary_items(context: template.Context) -> list[SummaryItem]:
    """The errors of ``form`` and, when the context has one, of ``formset`` below it."""
    items: list[SummaryItem] = []
    for name in ("form", "formset"):
        value = context.get(name)
        if isinstance(value, forms.BaseForm | forms.BaseFormSet):
            items += error_summary(value)
    return items
