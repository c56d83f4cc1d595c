import csv
from collections.abc import Iterable, Iterator
from itertools import batched
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from apps.accounts.models import FAMILIENAMT_ROLES, Role, User
from apps.audit.filters import AccessLogFilter
from apps.audit.log import log_event, path_name_of
from apps.audit.models import AccessLogEntry, Action, ObjectType
from apps.audit.selectors import OPENED_ACTIONS, case_access_summary
from apps.audit.wording import describe
from apps.cases.models import Case
from apps.core.access import authenticated, roles_required
from apps.core.htmx import partial_template
from apps.core.http import AuthenticatedHttpRequest
from apps.core.net import client_ip
from apps.core.paging import CURSOR_PARAM, keyset_page

PAGE_SIZE = 50
LIST_TEMPLATE = "audit/entry_list.html"
MINE_TEMPLATE = "audit/my_entries.html"


def _paged_context(
    request: AuthenticatedHttpRequest, entries: QuerySet[AccessLogEntry], viewer: User | None = None
) -> dict[str, Any]:
    page = keyset_page(
        entries.select_related("user"), ("-at", "-pk"), request.GET.get(CURSOR_PARAM), PAGE_SIZE
    )
    return {
        "entries": page.rows,
        "rows": describe(page.rows, viewer),
        "page": page,
        "next_cursor": page.next_cursor,
    }


# --- the data protection officer's log ------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
@roles_required(Role.DATENSCHUTZ)
def entry_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    log_filter = AccessLogFilter(request.GET, queryset=AccessLogEntry.objects.all())
    context: dict[str, Any] = {"filter": log_filter, "entries": [], "next_cursor": None}
    if log_filter.is_valid():
        context |= _paged_context(request, log_filter.qs)
    return render(request, partial_template(request, LIST_TEMPLATE, "log-table"), context)


# The columns and words of the page; the sequence number and hash let the chain be checked.
CSV_HEADER = [
    "Laufnummer",
    "Zeitpunkt",
    "Benutzerkonto",
    "Aktion",
    "Objekt",
    "Fall",
    "Seite",
    "IP-Adresse",
    "Zweck",
    "Prüfsumme",
]
CSV_CHUNK = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A typed-in user name like "=HYPERLINK(...)" must stay text in a spreadsheet.
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(entries: Iterable[AccessLogEntry]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    # One query for the Aktenzeichen of each chunk of entries, not one per entry.
    for chunk in batched(entries, CSV_CHUNK):
        for row in describe(chunk):
            entry = row.entry
            yield writer.writerow(
                _cell(value)
                for value in (
                    entry.seq,
                    timezone.localtime(entry.at).strftime("%d.%m.%Y %H:%M:%S"),
                    row.account,
                    entry.get_action_display(),
                    row.object,
                    row.case,
                    row.page,
                    entry.ip,
                    entry.purpose,
                    entry.hash,
                )
            )


@require_GET
@roles_required(Role.DATENSCHUTZ)
def entry_export(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    log_filter = AccessLogFilter(request.GET, queryset=AccessLogEntry.objects.all())
    if not log_filter.is_valid():
        context = {"filter": log_filter, "entries": [], "next_cursor": None, "export_failed": True}
        return render(request, LIST_TEMPLATE, context, status=400)
    # The filter is ids, choices and dates only, so it may stand in the log as the purpose.
    log_event(
        request.user,
        Action.EXPORT,
        object_type=ObjectType.ACCESS_LOG,
        path_name=path_name_of(request),
        ip=client_ip(request),
        purpose=request.GET.urlencode(),
    )
    exported = log_filter.qs.select_related("user").order_by("-at", "-pk")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response = StreamingHttpResponse(
        _csv_lines(exported.iterator(chunk_size=CSV_CHUNK)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="zugriffsprotokoll-{stamp}.csv"'
    return response


# --- a person's own actions, and who opened a case -----------------------------------------


@require_GET
@vary_on_headers("HX-Request")
@authenticated
def my_entries(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    context = _paged_context(request, AccessLogEntry.objects.filter(user=user), viewer=user)
    return render(request, partial_template(request, MINE_TEMPLATE, "log-table"), context)


@require_GET
@roles_required(*FAMILIENAMT_ROLES, Role.TEAM, Role.DATENSCHUTZ)
def case_access(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    user = request.user
    if Role.DATENSCHUTZ in user.role_names:
        # The data protection officer audits every case's access but reads no case
        # content: the page shows the Aktenzeichen and the log, nothing of the file.
        case = get_object_or_404(Case.objects.only("pk", "reference"), pk=case_id)
    else:
        case = get_object_or_404(Case.objects.visible_to(user), pk=case_id)
    recent = keyset_page(
        AccessLogEntry.objects.filter(case_id=case.pk, action__in=OPENED_ACTIONS).select_related(
            "user"
        ),
        ("-at", "-pk"),
        request.GET.get(CURSOR_PARAM),
        PAGE_SIZE,
    )
    context = {
        "case": case,
        "summary": case_access_summary(case.pk),
        "recent": describe(recent.rows),
        "page": recent,
        "can_open_case": Case.objects.visible_to(user).filter(pk=case.pk).exists(),
    }
    return render(request, "audit/case_access.html", context)
