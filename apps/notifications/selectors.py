from apps.accounts.models import User
from apps.notifications.models import Notification


def unread_count(user: User) -> int:
    """Unread inbox entries of ``user`` (for the header); 0 for anonymous users."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
