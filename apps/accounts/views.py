from dataclasses import dataclass
from typing import cast

from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.models import RoleAssignment, User
from apps.core.access import authenticated, public
from apps.organisation.models import Schule, Standort
from apps.organisation.routing import Responsibility, responsibility_for_school

login = public(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", redirect_authenticated_user=True
    )
)

# Drop everything the browser kept for this site: cached pages with personal
# data must not be readable by the next person at a shared office computer.
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


@require_http_methods(["GET", "POST"])
@authenticated
def logout(request: HttpRequest) -> HttpResponse:
    # A GET must not log out (a link or prefetch could end a session), so it
    # only asks for confirmation.
    if request.method == "GET":
        return render(request, "accounts/logout.html")
    auth_logout(request)
    response = HttpResponseRedirect(reverse("accounts:login") + "?abgemeldet=1")
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@dataclass(frozen=True)
class RoleSection:
    """One role of the person with what the start page says about it."""

    assignment: RoleAssignment
    responsibility: Responsibility | None = None

    @property
    def kind(self) -> str:
        return self.assignment.role

    @property
    def office(self) -> Standort | None:
        team = self.assignment.team
        return next(iter(team.standorte.all()), None) if team else None


def _role_sections(assignments: list[RoleAssignment]) -> list[RoleSection]:
    teams = [a.team for a in assignments if a.team]
    # One query for all team offices, whatever the number of team roles.
    prefetch_related_objects(
        teams, Prefetch("standorte", queryset=Standort.objects.order_by("-is_primary", "name"))
    )
    school_ids = [a.school_id for a in assignments if a.school_id]
    schools = (
        Schule.objects.select_related("stadtteil__sozialraum").in_bulk(school_ids)
        if school_ids
        else {}
    )
    return [
        RoleSection(
            assignment=assignment,
            responsibility=(
                responsibility_for_school(schools[assignment.school_id])
                if assignment.school_id
                else None
            ),
        )
        for assignment in assignments
    ]


@require_GET
@authenticated
def start(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    return render(request, "accounts/start.html", {"sections": _role_sections(user.active_roles)})
