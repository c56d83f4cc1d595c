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


# Admin changes to these models go to the access log like any other write (issue 9).
ADMIN_AUDITED = frozenset({("accounts", "user"), ("accounts", "roleassignment")})


def on_admin_log_entry(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """The admin writes a LogEntry for each add, change and delete; mirror those on accounts."""
    if not created or instance.content_type is None:
        return
    content_type = instance.content_type
    if (content_type.app_label, content_type.model) not in ADMIN_AUDITED:
        return
    what = "angelegt" if instance.is_addition() else "geändert"
    if instance.is_deletion():
        what = "gelöscht"
    log_event(
        instance.user,
        Action.DELETE if instance.is_deletion() else Action.WRITE,
        object_type=content_type.model,
        object_id=instance.object_id or "",
        path_name="admin",
        purpose=f"Verwaltung: {what}",
    )


def on_approval_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Four eyes (apps.accounts.approvals): each request and each decision is a write."""
    if created:
        who, purpose = instance.requested_by, "Freigabe beantragt"
    elif instance.decided_by_id is not None:
        who, purpose = instance.decided_by, f"Freigabe {instance.get_status_display()}"
    else:
        return
    log_event(
        who,
        Action.WRITE,
        object_type="approvalrequest",
        object_id=instance.pk,
        path_name="accounts:approvals",
        purpose=f"{purpose}: {instance.get_kind_display()}",
    )
