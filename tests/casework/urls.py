"""The project's URLs, with casework mounted the way the project mounts it.

Until ``weimar_sozialraum/urls.py`` includes casework this adds it; a tiny
stand-in case page renders the registered case sections like the real one.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import URLResolver, include, path

from apps.cases.models import Case
from apps.core import casefile
from apps.core.access import roles_required
from weimar_sozialraum.urls import urlpatterns as project_urlpatterns

CASE_PAGE = engines["django"].from_string(
    "{% for title, html in sections %}<section><h2>{{ title }}</h2>{{ html }}</section>{% endfor %}"
)


@roles_required("familienamt", "familienamt_leitung", "team")
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    # Rendered like the real case page: each section with its own context.
    sections = [(s.title, s.render(request)) for s in casefile.sections_for(request, case)]
    return HttpResponse(CASE_PAGE.render({"sections": sections, "case": case}, request))


_mounted = any(
    isinstance(entry, URLResolver) and entry.namespace == "casework"
    for entry in project_urlpatterns
)
urlpatterns = [
    path("test/fallseite/<int:pk>/", case_page, name="test_case_page"),
    *project_urlpatterns,
    *([] if _mounted else [path("faelle/", include("apps.casework.urls"))]),
]
