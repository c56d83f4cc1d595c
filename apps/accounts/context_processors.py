from django.http import HttpRequest


def current_roles(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_roles": []}
    return {"current_roles": getattr(user, "active_roles", [])}
