"""Neighbourhood work: activities, the resource register and links to cases.

Everyone in a team and the Familienamt reads activities and resources (404
only for ids that do not exist); editing someone else's is 403. A case that
is not visible to the user is 404, as everywhere.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from apps.accounts.models import CASEWORK_ROLES, User
from apps.cases.models import Case
from apps.core import drafts, submissions
from apps.core.access import roles_required
from apps.core.htmx import partial_template
from apps.core.http import AuthenticatedHttpRequest
from apps.core.paging import CURSOR_PARAM, keyset_page
from apps.core.refusals import (
    StaleRecord,
    model_labels,
    model_values,
    refused_response,
    text_fields,
)
from apps.neighbourhood import services
from apps.neighbourhood.filters import ActivityFilter, ResourceFilter
from apps.neighbourhood.forms import ActivityForm, LinkCaseForm, LinkResourceForm, ResourceForm
from apps.neighbourhood.models import (
    Activity,
    Resource,
    ResourceCaseLink,
    can_edit,
    may_create,
)
from apps.neighbourhood.sections import case_resources_panel

ACTIVITIES_PER_PAGE = 25
RESOURCES_PER_PAGE = 50
CASES_OFFERED_FOR_LINKING = 200


# Activities ------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityRow:
    activity: Activity
    editable: bool


def _activity_filter_data(request: AuthenticatedHttpRequest, user: User) -> Any:
    """The filter as asked; on the first visit, the person's own team's Sozialraum."""
    data = request.GET.copy()
    if "sozialraum" not in data and user.teams:
        data["sozialraum"] = str(user.teams[0].sozialraum_id)
    return data


@require_GET
@vary_on_headers("HX-Request")
@roles_required(*CASEWORK_ROLES)
def activity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    activities = Activity.objects.visible_to(user).select_related(
        "team", "sozialraum", "created_by"
    )
    activity_filter = ActivityFilter(_activity_filter_data(request, user), queryset=activities)
    found = activity_filter.qs.order_by("-date", "-pk")
    totals = found.aggregate(count=Count("pk"), participants=Sum("participants"))
    page = keyset_page(found, ("-date", "-pk"), request.GET.get(CURSOR_PARAM), ACTIVITIES_PER_PAGE)
    return render(
        request,
        partial_template(request, "neighbourhood/activity_list.html", "activity-table"),
        {
            "filter": activity_filter,
            "rows": [ActivityRow(a, can_edit(user, a.sozialraum_id)) for a in page.rows],
            "totals": totals,
            "page": page,
            "next_cursor": page.next_cursor,
            "may_create": may_create(user),
        },
    )


# The draft of an activity not yet saved is kept under this object number.
NEW = 0


def _activity(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> Activity:
    user = request.user
    activity = get_object_or_404(
        Activity.objects.visible_to(user).select_related("team", "sozialraum", "created_by"),
        pk=pk,
    )
    if write and not activity.is_editable_by(user):
        raise PermissionDenied  # every team reads it; only the owning team edits
    return activity


@require_GET
@roles_required(*CASEWORK_ROLES)
def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    return render(
        request,
        "neighbourhood/activity_detail.html",
        {"activity": activity, "editable": activity.is_editable_by(request.user)},
    )


@submissions.creates
@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def activity_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not may_create(user):
        raise PermissionDenied
    initial = {"team": user.teams[0].pk} if len(user.teams) == 1 else {}
    initial, draft = drafts.initial_with_draft(user, ActivityForm, NEW, initial)
    form = ActivityForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():

        def create_activity() -> Activity:
            activity = form.save(commit=False)
            activity.created_by = user
            activity.save()
            return activity

        activity, _ = submissions.once(user, form.submission_key, create_activity)
        drafts.discard(user, ActivityForm, NEW)
        messages.success(request, "Die Aktivität ist gespeichert.")
        return HttpResponseRedirect(activity.get_absolute_url())
    return render(
        request,
        "neighbourhood/activity_form.html",
        {"form": form, "draft": draft, "draft_object": NEW},
    )


@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _versioned_edit(
        request,
        load=lambda **kwargs: _activity(request, pk, **kwargs),
        form_class=ActivityForm,
        update=lambda **kwargs: services.activity_update(activity_id=pk, **kwargs),
        template="neighbourhood/activity_form.html",
        context_name="activity",
        saved="Die Änderungen an der Aktivität sind gespeichert.",
    )


def _versioned_edit(
    request: AuthenticatedHttpRequest,
    *,
    load: Callable[..., Activity | Resource],
    form_class: type[ActivityForm] | type[ResourceForm],
    update: Callable[..., Activity | Resource],
    template: str,
    context_name: str,
    saved: str,
) -> HttpResponse:
    """Edit a versioned record: a save based on an old version is refused, not merged."""
    user = request.user
    record = load(write=True)
    draftable = hasattr(form_class, "draft_key")
    if request.method == "GET":
        initial: dict[str, Any] = {"version": record.version}
        draft = None
        if draftable:
            initial, draft = drafts.initial_with_draft(user, form_class, record.pk, initial)
        form = form_class(instance=record, initial=initial, user=user)
        context = {"form": form, context_name: record, "draft": draft, "draft_object": record.pk}
        return render(request, template, context)
    # A blank instance: the loaded record must stay as saved to show what changed.
    form = form_class(request.POST, instance=type(record)(), user=user)
    if not form.is_valid():
        return render(request, template, {"form": form, context_name: record})
    values = form.changed_values()
    try:
        record = update(actor=user, expected_version=form.cleaned_data["version"], values=values)
    except StaleRecord as stale:
        return _stale_response(
            request,
            template,
            stale,
            current=load(),
            form_class=form_class,
            values=values,
            context_name=context_name,
        )
    if draftable:
        drafts.discard(user, form_class, record.pk)
    messages.success(request, saved)
    return HttpResponseRedirect(record.get_absolute_url())


def _stale_response(
    request: AuthenticatedHttpRequest,
    template: str,
    stale: StaleRecord,
    *,
    current: Activity | Resource,
    form_class: type[ActivityForm] | type[ResourceForm],
    values: dict[str, Any],
    context_name: str,
) -> HttpResponse:
    """Nothing saved: what is stored now next to what the person typed.

    The form keeps the person's input with the current version, so saving
    again is a deliberate decision to replace what the other person wrote.
    """
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = form_class(data, instance=type(current)(), user=request.user)
    form.is_valid()
    names = list(values)
    return refused_response(
        request,
        template,
        {"form": form, context_name: current},
        stale,
        labels=model_labels(current, names),
        saved=model_values(current, names),
        typed=model_values(type(current)(**values), names),
        by_word=text_fields(current, names),
    )


# Resources -------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceRow:
    resource: Resource
    editable: bool


@require_GET
@vary_on_headers("HX-Request")
@roles_required(*CASEWORK_ROLES)
def resource_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    resources = Resource.objects.visible_to(user).with_case_count().select_related("sozialraum")
    resource_filter = ResourceFilter(request.GET, queryset=resources)
    found = resource_filter.qs
    page = keyset_page(
        found, resource_filter.ordering, request.GET.get(CURSOR_PARAM), RESOURCES_PER_PAGE
    )
    return render(
        request,
        partial_template(request, "neighbourhood/resource_list.html", "resource-table"),
        {
            "filter": resource_filter,
            "page": page,
            "rows": [ResourceRow(r, can_edit(user, r.sozialraum_id)) for r in page.rows],
            "may_create": may_create(user),
        },
    )


def _resource(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> Resource:
    user = request.user
    resource = get_object_or_404(
        Resource.objects.visible_to(user)
        .with_case_count()
        .select_related("sozialraum", "created_by"),
        pk=pk,
    )
    if write and not resource.is_editable_by(user):
        raise PermissionDenied  # the register is shared; only the Sozialraum's team edits
    return resource


def _resource_page(
    request: AuthenticatedHttpRequest, resource: Resource, *, form: LinkCaseForm | None = None
) -> HttpResponse:
    user = request.user
    links = list(
        ResourceCaseLink.objects.visible_to(user)
        .filter(resource=resource)
        .select_related("case__team", "created_by")
        .order_by("-created_at", "-pk")
    )
    # References only (no names): the datalist helps typing an Aktenzeichen.
    offered = list(
        Case.objects.visible_to(user)
        .open()
        .exclude(resource_links__resource=resource)
        .order_by("-opened_at", "-pk")
        .values_list("reference", flat=True)[:CASES_OFFERED_FOR_LINKING]
    )
    case_count: int = resource.case_count  # type: ignore[attr-defined]
    return render(
        request,
        "neighbourhood/resource_detail.html",
        {
            "resource": resource,
            "links": links,
            "hidden_links": case_count - len(links),
            "editable": resource.is_editable_by(user),
            "form": form or LinkCaseForm(user=user, resource=resource),
            "offered_references": offered,
        },
    )


@require_GET
@roles_required(*CASEWORK_ROLES)
def resource_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _resource_page(request, _resource(request, pk))


@submissions.creates
@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def resource_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not may_create(user):
        raise PermissionDenied
    initial: dict[str, Any] = {"active": True}
    if len(user.teams) == 1:
        initial["sozialraum"] = user.teams[0].sozialraum_id
    form = ResourceForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():

        def create_resource() -> Resource:
            resource = form.save(commit=False)
            resource.created_by = user
            resource.save()
            return resource

        resource, _ = submissions.once(user, form.submission_key, create_resource)
        messages.success(request, "Die Ressource ist im Verzeichnis gespeichert.")
        return HttpResponseRedirect(resource.get_absolute_url())
    return render(request, "neighbourhood/resource_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def resource_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _versioned_edit(
        request,
        load=lambda **kwargs: _resource(request, pk, **kwargs),
        form_class=ResourceForm,
        update=lambda **kwargs: services.resource_update(resource_id=pk, **kwargs),
        template="neighbourhood/resource_form.html",
        context_name="resource",
        saved="Die Änderungen an der Ressource sind gespeichert.",
    )


# Links between resources and cases ---------------------------------------------


@submissions.creates
@require_POST
@roles_required(*CASEWORK_ROLES)
def resource_link_case(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """From a resource's page: it helped in the case with this Aktenzeichen."""
    user = request.user
    resource = _resource(request, pk)
    form = LinkCaseForm(request.POST, user=user, resource=resource)
    link = submissions.sent_before(form, user)
    if link is None:
        if not form.is_valid():
            return _resource_page(request, resource, form=form)
        link, _ = submissions.once(
            user,
            form.submission_key,
            lambda: services.resource_link_case(
                resource=resource,
                case=form.cleaned_data["reference"],
                actor=user,
                note=form.cleaned_data["note"],
            )[0],
        )
    case: Case = link.case
    messages.success(request, f"Die Ressource ist mit dem Fall {case.reference} verknüpft.")
    return HttpResponseRedirect(f"{resource.get_absolute_url()}#faelle")


@submissions.creates
@require_POST
@vary_on_headers("HX-Request")
@roles_required(*CASEWORK_ROLES)
def case_link_resource(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """From a case's page: this resource helped here. Other teams' cases are 404."""
    user = request.user
    case = get_object_or_404(Case.objects.visible_to(user), pk=case_pk)
    form = LinkResourceForm(request.POST, user=user, case=case)
    is_swap = "#" in partial_template(request, "", "swap")
    linked = submissions.sent_before(form, user) is not None
    if not linked and form.is_valid():
        submissions.once(
            user,
            form.submission_key,
            lambda: services.resource_link_case(
                resource=form.cleaned_data["resource"],
                case=case,
                actor=user,
                note=form.cleaned_data["note"],
            )[0],
        )
        linked = True
    if linked and not is_swap:
        messages.success(request, "Die Ressource ist mit dem Fall verknüpft.")
        return HttpResponseRedirect(f"{case.get_absolute_url()}#ressourcen")
    panel = case_resources_panel(user, case, form=None if linked else form)
    template = (
        "neighbourhood/section_case_resources.html#case-resources"
        if is_swap
        else "neighbourhood/case_link.html"
    )
    return render(request, template, {"panel": panel, "case": case})
