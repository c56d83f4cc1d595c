"""Login, failed login and logout, from django.contrib.auth's signals."""

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from apps.audit.log import log_event, path_name_of
from apps.audit.models import Action
from apps.core.net import client_ip


def _where(request: HttpRequest | None) -> dict[str, Any]:
    if request is None:
        return {}
    return {"path_name": path_name_of(request), "ip": client_ip(request)}


def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    log_event(user, Action.LOGIN, **_where(request))


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the name typed in; Django has already masked the password in ``credentials``.
    attempted = str(credentials.get(get_user_model().USERNAME_FIELD, ""))
    log_event(None, Action.LOGIN_FAILED, username_attempted=attempted, **_where(request))


def on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None and user.is_authenticated:
        log_event(user, Action.LOGOUT, **_where(request))
