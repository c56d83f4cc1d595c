from django.http import HttpRequest

from apps.notifications.selectors import unread_count


def inbox(request: HttpRequest) -> dict[str, object]:
    """The number of unread messages for the header (one indexed count)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
