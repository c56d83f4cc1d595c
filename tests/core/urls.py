"""The project's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from apps.core.access import public
from weimar_sozialraum.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@public
def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Fall 4711 gehört zu Team Nord (Erika Mustermann)")


@public
def hidden(request: HttpRequest) -> HttpResponse:
    raise Http404("Keine Person Erika Mustermann in Ihrem Bereich")


@public
def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("Manipuliertes Formular zu Fall 4711")


@public
def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("Verbindung zu db.weimar.internal verloren, Fall 4711")


urlpatterns = [
    *urlpatterns,
    path("test/verboten/", forbidden),
    path("test/verdaechtig/", suspicious),
    path("test/versteckt/", hidden),
    path("test/kaputt/", broken),
]
