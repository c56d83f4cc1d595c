"""STUB – being written by a helper."""

from django.http import Http404, HttpRequest, HttpResponse

from apps.accounts.models import Role
from apps.core.access import roles_required
from apps.referrals.models import Referral


@roles_required(Role.SCHULLEITUNG)
def referral_list(request: HttpRequest) -> HttpResponse:
    raise Http404


@roles_required(Role.SCHULLEITUNG)
def referral_create(request: HttpRequest) -> HttpResponse:
    raise Http404


@roles_required(Role.SCHULLEITUNG, Role.FAMILIENAMT)
def child_protection_create(request: HttpRequest) -> HttpResponse:
    raise Http404


@roles_required(Role.SCHULLEITUNG)
def draft_save(request: HttpRequest) -> HttpResponse:
    raise Http404


@roles_required(Role.SCHULLEITUNG)
def question_answer(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    raise Http404


@roles_required(Role.SCHULLEITUNG, Role.FAMILIENAMT)
def consent_scan(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    raise Http404


def status_detail(request: HttpRequest, referral: Referral) -> HttpResponse:
    raise Http404
