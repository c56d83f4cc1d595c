"""The pager's links: the current query with one cursor parameter set or removed."""

from typing import Any

from django import template

from apps.core.paging import CURSOR_PARAM

register = template.Library()


@register.simple_tag(takes_context=True)
def cursor_query(context: dict[str, Any], value: str | None, param: str = "") -> str:
    """``?…`` of this page with ``param`` (default ``nach``) set to ``value``, or dropped."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        from django.http import QueryDict

        query = QueryDict(mutable=True)
    name = param or CURSOR_PARAM
    query.pop(name, None)
    if value:
        query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
