"""Council members and Träger management read figures, and nothing else.

Their roles give them no case, request, person, note or pupil; the access
rules of every view would already refuse them (403). This middleware goes
further, as the council's brief asks: for a person who holds *only* such
roles every URL outside an allow-list answers 404, so not even the existence
of a case or a request shows. Deny by default: a new app is closed to them
until it is added here.
"""

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from apps.core.access import PUBLIC, access_rule_of

# Namespaces a figures-only person may use: their own account and inbox, and the reports.
ALLOWED_NAMESPACES = frozenset({"accounts", "notifications", "reports"})
ALLOWED_VIEWS = frozenset({"audit:mine"})


class FiguresOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not getattr(user, "is_figures_only", False):
            return None
        match = request.resolver_match
        if match is None or access_rule_of(view_func) == PUBLIC:
            return None
        namespace = match.namespaces[0] if match.namespaces else ""
        if namespace in ALLOWED_NAMESPACES or match.view_name in ALLOWED_VIEWS:
            return None
        raise Http404
