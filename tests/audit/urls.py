"""The project's URLs with the access log mounted, and stand-in case pages.

The case views may still be stubs; these stand-ins read a case the way the
real ones must (``visible_to``, 404 outside the scope) under the same names.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import Role
from apps.cases.models import Case, Decision
from apps.core.access import roles_required
from weimar_sozialraum.urls import handler403, handler404, handler500, urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]

READERS = (Role.FAMILIENAMT, Role.FAMILIENAMT_LEITUNG, Role.TEAM)
# Case content the log must never copy.
SECRET_TEXT = "Geheime Notiz über Jürgen Müller"


@require_GET
@roles_required(*READERS)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    return HttpResponse(f"{case.reference} {case.person} {SECRET_TEXT}")


@require_POST
@roles_required(*READERS)
def case_move(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    request.audit_purpose = "Statuswechsel"  # type: ignore[attr-defined]
    return HttpResponse(status=204)


@require_GET
@roles_required(*READERS)
def decision_letter(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    if not Decision.objects.filter(case=case, pk=decision_pk).exists():
        raise Http404
    return HttpResponse("Bescheid")


stand_in_cases = (
    [
        path("<int:pk>/", case_detail, name="detail"),
        path("<int:pk>/status/", case_move, name="move"),
        path("<int:pk>/bescheide/<int:decision_pk>/", decision_letter, name="decision"),
    ],
    "cases",
)

urlpatterns = [
    path("test-faelle/", include(stand_in_cases)),
    *[p for p in urlpatterns if getattr(p, "namespace", None) not in {"cases", "audit"}],
    path("protokoll/", include("apps.audit.urls")),
]
