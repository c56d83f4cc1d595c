from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def draft_autosave(context: Any, form: Any, object_id: int, draft: Any = None) -> SafeString:
    """The autosave status line of a @draftable form; put it inside the <form>."""
    key = getattr(type(form), "draft_key", "")
    if not key:
        return mark_safe("")
    html = render_to_string(
        "core/draft.html",
        {"key": key, "object_id": object_id, "draft": draft},
        context.get("request"),
    )
    return mark_safe(html)
