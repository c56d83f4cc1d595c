from django.http import HttpRequest


def partial_template(request: HttpRequest, template: str, partial: str) -> str:
    """The page template, or only one of its partials for an htmx swap.

    Boosted navigation and history restores still need the whole page.
    """
    htmx = getattr(request, "htmx", None)
    if htmx and not (htmx.boosted or htmx.history_restore_request):
        return f"{template}#{partial}"
    return template
