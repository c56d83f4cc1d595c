from django import template

from apps.reports.tables import Value, format_value

register = template.Library()


@register.filter
def figure_value(value: Value) -> str:
    """A figure's cell in German number format ("–" for none, markers as they are)."""
    return format_value(value)
