from django.http import HttpRequest

from apps.notifications.selectors import unread_count


def inbox(request: HttpRequest) -> dict[str, object]:
    """The number of unread messages for the header (one indexed count per request).

    Kept on the request: every template rendered with the request runs this again.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = getattr(request, "_unread_notifications", None)
    if count is None:
        count = unread_count(user)
        request._unread_notifications = count  # type: ignore[attr-defined]
    return {"unread_notifications": count}
