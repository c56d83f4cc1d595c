"""Error pages: German, calm, without stack traces or personal data."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", _context(403), status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", _context(404), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may come from the database.
    from django.template import loader

    template = loader.get_template("core/error_500.html")
    return HttpResponse(template.render(), status=500)


def _context(status: int) -> dict[str, object]:
    texts = {
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
    }
    title, text = texts[status]
    return {"status": status, "title": title, "text": text}
