from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def section_panel(context: template.Context) -> Any:
    """The section's ``panel``, whether the page passed the section's context or the section.

    A case page may render a section template with the section's context
    itself or include it inside ``{% for section in sections %}``.
    """
    panel = context.get("panel")
    if panel is None and (section := context.get("section")) is not None:
        panel = getattr(section, "context", {}).get("panel")
    return panel
