from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.sessions.models import Session
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token

from apps.accounts import credentials, second_factor
from apps.accounts.forms import CodeForm, LoginForm
from apps.accounts.models import RoleAssignment, UserSession
from apps.core import startpage
from apps.core.access import authenticated, public
from apps.core.http import AuthenticatedHttpRequest
from apps.organisation.models import Schule, Standort
from apps.organisation.routing import Responsibility, responsibility_for_school

login = public(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        redirect_authenticated_user=True,
        authentication_form=LoginForm,
    )
)

# Drop everything the browser kept for this site: cached pages with personal
# data must not be readable by the next person at a shared office computer.
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


@require_http_methods(["GET", "POST"])
@authenticated
def logout(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/start.html",
        {
            "waiting": [
                {"title": section.title, "html": section.render(request)}
                for section in startpage.sections_for(request)
            ],
            "sections": _role_sections(user.active_roles),
        },
    )


@require_http_methods(["GET", "POST"])
@authenticated
def otp_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Second step of the login: a code from the app or a recovery code."""
    user = request.user
    form = CodeForm(request.POST if request.method == "POST" else None, autofocus=True)
    if request.method == "POST":
        token = request.POST.get("code", "").replace(" ", "").strip()
        device = match_token(user, token) if token else None
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request) or reverse("accounts:start"))
        form.refuse(
            "Der Code stimmt nicht oder ist abgelaufen. Bitte geben Sie den aktuellen Code ein."
        )
    return render(
        request, "accounts/otp_verify.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@authenticated
def otp_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up an authenticator app; shows the recovery codes once."""
    user = request.user
    if user.totpdevice_set.filter(confirmed=True).exists() and not user.is_verified():  # type: ignore[attr-defined]
        # A confirmed device exists: only someone who passed it may replace it.
        return HttpResponseRedirect(reverse("accounts:otp_verify"))
    device = second_factor.pending_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None, label="Code aus der App")
    if request.method == "POST":
        token = request.POST.get("code", "").replace(" ", "").strip()
        if token.isdigit() and device.verify_token(token):
            codes = second_factor.confirm_device(device)
            otp_login(request, device)
            return render(request, "accounts/otp_codes.html", {"codes": codes})
        form.refuse(
            "Der Code stimmt nicht. Bitte geben Sie den sechsstelligen Code aus der App ein."
        )
    context = {
        "qr": second_factor.qr_svg(device),
        "secret": second_factor.secret_for_display(device),
        "form": form,
    }
    return render(request, "accounts/otp_setup.html", context, status=400 if form.errors else 200)


@require_GET
@authenticated
def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    sessions = UserSession.objects.filter(user=request.user)
    return render(
        request,
        "accounts/sessions.html",
        {"sessions": sessions, "current": request.session.session_key},
    )


@require_POST
@authenticated
def session_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    tracked = get_object_or_404(UserSession, pk=pk, user=request.user)
    if tracked.session_key == request.session.session_key:
        return logout(request)
    Session.objects.filter(session_key=tracked.session_key).delete()
    tracked.delete()
    messages.success(request, "Die Sitzung wurde beendet.")
    return HttpResponseRedirect(reverse("accounts:sessions"))


@require_POST
@authenticated
def session_keepalive(request: AuthenticatedHttpRequest) -> HttpResponse:
    """'Angemeldet bleiben': renews the idle time-out now (other requests once a minute)."""
    request.session.modified = True
    return HttpResponse(status=204)


def _safe_next(request: AuthenticatedHttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


@require_http_methods(["GET", "POST"])
@public
def password_set(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The one-time link from the e-mail: the person chooses their own password."""
    user = credentials.user_for_link(uidb64, token)
    if user is None:
        return render(request, "accounts/password_set.html", {"invalid": True}, status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        credentials.password_was_set(user)
        if request.user.is_authenticated:
            auth_logout(request)
        messages.success(request, "Ihr Passwort ist gesetzt. Bitte melden Sie sich an.")
        return HttpResponseRedirect(reverse("accounts:login"))
    status = 400 if form.errors else 200
    return render(request, "accounts/password_set.html", {"form": form}, status=status)
