"""STUB – being written by a helper."""

from django.http import Http404, HttpRequest, HttpResponse

from apps.core.access import authenticated


@authenticated
def inbox(request: HttpRequest) -> HttpResponse:
    raise Http404


@authenticated
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
