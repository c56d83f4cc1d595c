from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.core.access import authenticated, public

login = public(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", redirect_authenticated_user=True
    )
)


@authenticated
def logout(request: HttpRequest) -> HttpResponse:
    response = auth_views.LogoutView.as_view()(request)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@require_GET
@authenticated
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/start.html", {"roles": request.user.active_roles})  # type: ignore[union-attr]
