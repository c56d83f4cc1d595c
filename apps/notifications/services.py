from collections.abc import Iterable
from functools import partial

from django.db import transaction

from apps.accounts.models import FAMILIENAMT_ROLES, Role, User
from apps.notifications.models import Notification
from apps.notifications.tasks import send_notification_email
from apps.organisation.models import Schule, Team


def notify(*, recipients: Iterable[User], text: str, url: str, urgent: bool = False) -> None:
    """Put ``text`` in each recipient's inbox and e-mail them a link after commit.

    ``text`` must carry no personal data (use the Aktenzeichen).
    """
    people = {user.pk: user for user in recipients if user.is_active}
    if not people:
        return
    created = Notification.objects.bulk_create(
        Notification(recipient=user, text=text, url=url, urgent=urgent) for user in people.values()
    )
    for notification in created:
        if notification.recipient.email:
            transaction.on_commit(partial(send_notification_email.enqueue, notification.pk))


def familienamt_staff() -> list[User]:
    return list(
        User.objects.filter(is_active=True, role_assignments__role__in=FAMILIENAMT_ROLES).distinct()
    )


def team_members(team: Team) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, role_assignments__role=Role.TEAM, role_assignments__team=team
        ).distinct()
    )


def school_leaders(school: Schule) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.SCHULLEITUNG,
            role_assignments__school=school,
        ).distinct()
    )
