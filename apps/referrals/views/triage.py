"""STUB – being written by a helper."""

from django.http import Http404, HttpRequest, HttpResponse

from apps.accounts.models import Role
from apps.core.access import roles_required
from apps.referrals.models import Referral

FA = (Role.FAMILIENAMT, Role.FAMILIENAMT_LEITUNG)


@roles_required(*FA)
def queue(request: HttpRequest) -> HttpResponse:
    raise Http404


@roles_required(*FA)
def bulk_assign(request: HttpRequest) -> HttpResponse:
    raise Http404


@roles_required(*FA)
def filter_save(request: HttpRequest) -> HttpResponse:
    raise Http404


@roles_required(*FA)
def filter_delete(request: HttpRequest, filter_pk: int) -> HttpResponse:
    raise Http404


@roles_required(*FA)
def start(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@roles_required(*FA)
def ask(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@roles_required(*FA)
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@roles_required(*FA)
def reroute(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def triage_detail(request: HttpRequest, referral: Referral) -> HttpResponse:
    raise Http404
