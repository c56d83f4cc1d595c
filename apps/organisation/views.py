from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.core.access import public
from apps.organisation.models import Sozialraum


@require_GET
@public
def overview(request: HttpRequest) -> HttpResponse:
    sozialraeume = Sozialraum.objects.prefetch_related(
        "stadtteile", "team__traeger", "team__standorte"
    ).select_related("team")
    return render(request, "organisation/overview.html", {"sozialraeume": sozialraeume})
