from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from apps.core.access import public
from apps.core.htmx import partial_template
from apps.organisation.forms import AddressFinderForm, SchoolFinderForm
from apps.organisation.models import Sozialraum
from apps.organisation.routing import (
    AmbiguousAddress,
    HouseNumberNotFound,
    Responsibility,
    StreetNotFound,
    responsibility_for_address,
    responsibility_for_school,
)

TEMPLATE = "organisation/overview.html"
CONTACT_FAMILIENAMT = (
    "das Familienamt (Amt für Familie und Soziales, Schwanseestraße 17, 99423 Weimar)"
)


def _sozialraeume() -> QuerySet[Sozialraum]:
    return Sozialraum.objects.select_related("team").prefetch_related(
        "stadtteile", "team__traeger", "team__standorte"
    )


def _page_context(**extra: object) -> dict[str, object]:
    return {
        "sozialraeume": _sozialraeume(),
        "address_form": AddressFinderForm(),
        "school_form": SchoolFinderForm(),
        **extra,
    }


@require_GET
@public
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, TEMPLATE, _page_context())


def _find_by_address(form: AddressFinderForm) -> tuple[Responsibility | None, list[str]]:
    if not form.is_valid():
        return None, [str(error) for errors in form.errors.values() for error in errors]
    street, number = form.cleaned_data["strasse"], form.cleaned_data["hausnummer"]
    try:
        return responsibility_for_address(street, number), []
    except HouseNumberNotFound:
        message = (
            f"Die Hausnummer {number} der Straße „{street}“ steht nicht in unserem "
            f"Straßenverzeichnis. Bitte prüfen Sie die Hausnummer oder wenden Sie sich an "
            f"{CONTACT_FAMILIENAMT}."
        )
    except AmbiguousAddress:
        message = (
            f"Für „{street} {number}“ können wir die Zuständigkeit nicht eindeutig bestimmen. "
            f"Bitte wenden Sie sich an {CONTACT_FAMILIENAMT}."
        )
    except StreetNotFound:
        message = (
            f"Diese Straße kennen wir nicht: „{street}“. Bitte prüfen Sie die Schreibweise "
            f"(zum Beispiel „Goethestraße“ oder „Goethestr.“) oder wenden Sie sich an "
            f"{CONTACT_FAMILIENAMT}."
        )
    return None, [message]


def _find_by_school(form: SchoolFinderForm) -> tuple[Responsibility | None, list[str]]:
    if not form.is_valid():
        return None, [str(error) for errors in form.errors.values() for error in errors]
    return responsibility_for_school(form.cleaned_data["schule"]), []


@require_GET
@public
@vary_on_headers("HX-Request")
def finder(request: HttpRequest) -> HttpResponse:
    """Who is responsible for an address or a school; works with and without htmx.

    Only the street, the house number or a school's id travel in the query
    string; the form asks for nothing else.
    """
    address_form = AddressFinderForm(request.GET if "schule" not in request.GET else None)
    school_form = SchoolFinderForm(request.GET if "schule" in request.GET else None)
    if school_form.is_bound:
        result, problems = _find_by_school(school_form)
        asked_for = school_form.cleaned_data["schule"].name if not problems else ""
    else:
        result, problems = _find_by_address(address_form)
        asked_for = (
            f"{address_form.cleaned_data['strasse']} {address_form.cleaned_data['hausnummer']}"
            if not problems
            else ""
        )
    context = {"result": result, "problems": problems, "asked_for": asked_for}
    template = partial_template(request, TEMPLATE, "finder-result")
    if template == TEMPLATE:
        context |= _page_context(address_form=address_form, school_form=school_form)
    return render(request, template, context)
