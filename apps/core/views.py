"""Error pages: German, calm, without stack traces or personal data."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_POST

from apps.core import drafts
from apps.core.access import authenticated
from apps.core.http import AuthenticatedHttpRequest

_TEXTS = {
    400: (
        "Anfrage nicht verständlich",
        "Ihr Browser hat eine Anfrage geschickt, die wir nicht verarbeiten können. "
        "Laden Sie die Seite neu und versuchen Sie es noch einmal.",
    ),
    403: (
        "Kein Zugriff",
        "Für diese Seite fehlt Ihnen die Berechtigung. Wenn Sie meinen, dass Sie "
        "Zugriff haben sollten, wenden Sie sich an die Administration des Familienamts.",
    ),
    404: (
        "Seite nicht gefunden",
        "Diese Seite gibt es nicht, oder sie ist für Sie nicht sichtbar. "
        "Prüfen Sie die Adresse oder gehen Sie zurück zur Startseite.",
    ),
    "csrf": (
        "Formular abgelaufen",
        "Das Formular war zu lange geöffnet oder Ihre Sitzung ist abgelaufen. Laden Sie die "
        "Seite neu und senden Sie das Formular noch einmal ab. Melden Sie sich bei Bedarf "
        "erneut an.",
    ),
}


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 400, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 403, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Django's own page is English and names the technical reason; neither helps here.
    return _error_page(request, 403, "csrf")


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context and no context processors: the failure may come from
    # the database or the session, and the page must still render.
    return HttpResponse(loader.get_template("core/error_500.html").render(), status=500)


def _error_page(request: HttpRequest, status: int, text_key: int | str) -> HttpResponse:
    title, text = _TEXTS[text_key]
    context = {"status": status, "title": title, "text": text}
    return render(request, "core/error.html", context, status=status)


# Server-side drafts (apps/core/drafts.py) ---------------------------------------


@require_POST
@authenticated
@drafts.autosave_view()
def draft_save(request: AuthenticatedHttpRequest, object_id: int) -> HttpResponse:
    """Keep what the person typed into a @draftable form; checks scope, not content."""
    spec = drafts.spec_for(request.POST.get("draft_form", ""))
    if spec is None:
        return render(
            request,
            "core/draft.html#draft-status",
            {"error": "Unbekanntes Formular; der Entwurf wurde nicht gespeichert."},
            status=400,
        )
    # Out of scope: 404; in scope, not writable: 403 (raised by the form's scope).
    spec.scope(request.user, object_id)
    result = drafts.save(request.user, spec, object_id, request.POST)
    if isinstance(result, str):
        return render(request, "core/draft.html#draft-status", {"error": result}, status=400)
    return render(request, "core/draft.html#draft-status", {"draft": result})
