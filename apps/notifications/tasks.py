from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task

from apps.notifications.models import Notification

SUBJECT = "Sozialraum Weimar: Neuigkeit für Sie"
BODY = (
    "Guten Tag,\n\nin Sozialraum Weimar gibt es eine Neuigkeit für Sie:\n{url}\n\n"
    "Aus Datenschutzgründen enthält diese E-Mail keine Angaben zur Person. "
    "Bitte melden Sie sich an, um sie zu lesen.\n"
)


@task()
def send_notification_email(notification_id: int) -> None:
    """E-mail a link to the inbox entry; the mail carries no personal data."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or not notification.recipient.email:
        return
    url = settings.SITE_URL.rstrip("/") + notification.url
    send_mail(SUBJECT, BODY.format(url=url), None, [notification.recipient.email])
