from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from apps.accounts.models import CASEWORK_ROLES
from apps.core.access import roles_required
from apps.core.htmx import partial_template
from apps.core.http import AuthenticatedHttpRequest
from apps.core.paging import CURSOR_PARAM
from apps.history.changes import PAGE_SIZE, changes, flatten
from apps.history.kinds import KINDS

TEMPLATE = "history/record_history.html"
# The case page loads its "Änderungen" section from here, so the case page
# itself pays no queries for it.
PREVIEW_SIZE = 5


# School leaders see a request's status only; its field history would show
# internal routing and assignments, so the history is for the case workers.
@require_GET
@vary_on_headers("HX-Request")
@roles_required(*CASEWORK_ROLES)
def record_history(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404
    user = request.user
    record: Any = get_object_or_404(spec.visible(user), pk=pk)
    preview = request.GET.get("vorschau") == "1"
    context: dict[str, Any] = {"record": record, "kind": kind, "title": spec.title}
    page = changes(
        user,
        spec.streams(record),
        cursor=None if preview else request.GET.get(CURSOR_PARAM),
        limit=PREVIEW_SIZE if preview else PAGE_SIZE,
        here=(kind, record.pk),
    )
    context.update(page=page, rows=flatten(page.rows))
    partial = "preview" if preview else "changes"
    return render(request, partial_template(request, TEMPLATE, partial), context)
