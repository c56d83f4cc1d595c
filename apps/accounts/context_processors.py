from django.conf import settings
from django.http import HttpRequest

from apps.core.navigation import navigation_for


def current_roles(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_roles": [], "navigation": []}
    # What a role sees in the menu follows from the views' access rules.
    navigation = navigation_for(user.role_names)
    return {
        "current_roles": getattr(user, "active_roles", []),
        "navigation": navigation,
        "session_timeout": settings.SESSION_COOKIE_AGE,
        "session_timeout_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
