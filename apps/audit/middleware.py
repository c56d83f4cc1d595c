from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from apps.audit.log import log_event
from apps.audit.models import Action
from apps.audit.registry import Touched, touched_by
from apps.core.net import client_ip

SAFE_METHODS = frozenset({"GET", "HEAD"})
REFUSED = frozenset({403, 404})


class AccessLogMiddleware:
    """One log entry for each request to an audited URL that read, wrote or was refused.

    Runs after the view, so it sees the real outcome: a 404 from
    ``visible_to`` or a 403 from ``roles_required`` is a refused access. Costs
    one INSERT; the entry names ids from the URL only. A view may set
    ``request.audit_purpose`` when it asked the person why.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        touched = touched_by(match) if match is not None else None
        if touched is None:
            return response
        status = response.status_code
        names_a_record = bool(touched.object_id) or touched.case_id is not None
        action: str | None
        if status in REFUSED:
            action = Action.DENIED if names_a_record else None
        elif request.method in SAFE_METHODS:
            action = touched.read_action if 200 <= status < 300 and names_a_record else None
            if action is not None and _part_of_the_page_shown(request, touched):
                action = None
        else:
            # A form shown again with errors counts too: the person sent data about the record.
            action = touched.write_action if status < 400 else None
        if action is not None:
            log_event(
                getattr(request, "user", None),
                action,
                object_type=touched.object_type,
                object_id=touched.object_id,
                case_id=touched.case_id,
                path_name=match.view_name if match else "",
                ip=client_ip(request),
                purpose=str(getattr(request, "audit_purpose", "")),
            )
        return response


def _part_of_the_page_shown(request: HttpRequest, touched: Touched) -> bool:
    """An htmx fragment of the page already open, about the same record.

    The case page loads its change history, filters its timeline and pages its
    notes with htmx; the page view itself was logged, so these reads are not
    another access (one entry per page view). A boosted or history-restore
    request is a page view of its own.
    """
    headers = request.headers
    if headers.get("HX-Request") != "true" or headers.get("HX-Boosted") == "true":
        return False
    if headers.get("HX-History-Restore-Request") == "true":
        return False
    try:
        page = resolve(urlsplit(headers.get("HX-Current-URL", "")).path)
    except Resolver404:
        return False
    shown = touched_by(page)
    if shown is None:
        return False
    if touched.case_id is not None:
        return shown.case_id == touched.case_id
    return (shown.object_type, shown.object_id) == (touched.object_type, touched.object_id)
