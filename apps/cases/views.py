"""STUB – being written by a helper."""

from django.http import Http404, HttpRequest, HttpResponse

from apps.accounts.models import Role
from apps.core.access import roles_required

FA = (Role.FAMILIENAMT, Role.FAMILIENAMT_LEITUNG)


@roles_required(*FA, Role.TEAM)
def case_list(request: HttpRequest) -> HttpResponse:
    raise Http404


@roles_required(*FA)
def case_open(request: HttpRequest, referral_pk: int) -> HttpResponse:
    raise Http404


@roles_required(*FA, Role.TEAM)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@roles_required(*FA, Role.TEAM)
def case_move(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@roles_required(*FA, Role.TEAM)
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@roles_required(*FA)
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@roles_required(*FA, Role.TEAM)
def decision_letter(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    raise Http404
