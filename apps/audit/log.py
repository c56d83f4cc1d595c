"""Writing to the access log: one INSERT per entry, the chain is the database's job."""

from typing import Any

from django.http import HttpRequest

from apps.audit.models import AccessLogEntry, Action
from apps.core.net import client_ip

# Model names that differ from the object types the log speaks of.
OBJECT_TYPES = {"casenote": "note"}


def path_name_of(request: HttpRequest | None) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name or "")[:100] if match else ""


def _describe(obj: Any) -> dict[str, str]:
    """Type, id and Aktenzeichen of a record; never its content or a person's name."""
    if obj is None:
        return {}
    model_name = obj._meta.model_name
    return {
        "object_type": OBJECT_TYPES.get(model_name, model_name),
        "object_id": str(obj.pk),
        "object_reference": str(getattr(obj, "reference", "") or "")[:40],
    }


def log_event(
    user: Any,
    action: str,
    *,
    object_type: str = "",
    object_id: str | int = "",
    object_reference: str = "",
    case_id: int | None = None,
    path_name: str = "",
    ip: str | None = None,
    purpose: str = "",
    username_attempted: str = "",
) -> AccessLogEntry:
    """An entry outside a request (management commands, tasks) or with every field given."""
    return AccessLogEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=Action(action),
        object_type=object_type[:30],
        object_id=str(object_id)[:40],
        object_reference=object_reference[:40],
        case_id=case_id,
        path_name=path_name[:100],
        ip=ip,
        purpose=purpose[:200],
        username_attempted=username_attempted[:150],
    )


def log_access(
    request: HttpRequest,
    action: str,
    obj: Any = None,
    *,
    case_id: int | None = None,
    purpose: str = "",
) -> AccessLogEntry:
    """Log what the person behind ``request`` did with ``obj``."""
    described = _describe(obj)
    if case_id is None and described.get("object_type") == "case":
        case_id = obj.pk
    return log_event(
        getattr(request, "user", None),
        action,
        case_id=case_id,
        path_name=path_name_of(request),
        ip=client_ip(request),
        purpose=purpose,
        **described,
    )
