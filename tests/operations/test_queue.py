"""E-mails through the real PostgreSQL queue and worker, and retries when the relay is down."""

from datetime import timedelta

import pytest
from django.core import mail
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.notifications.models import Notification
from apps.notifications.tasks import send_notification_email
from apps.operations.models import WorkerHeartbeat
from apps.operations.retry import scrub_traceback

pytestmark = pytest.mark.django_db

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
RELAY_DOWN = {"default": {"BACKEND": "tests.operations.mailers.RelayDown"}}


@pytest.fixture
def notification(west_member) -> Notification:
    west_member.email = "anna.schreiber@weimar.invalid"
    west_member.save()
    return Notification.objects.create(
        recipient=west_member, text="Neue Anfrage A-2026-00001", url="/anfragen/1/"
    )


def _time_passes() -> None:
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))


def test_a_queued_email_waits_for_the_worker_and_is_then_sent(real_queue, run_worker, notification):
    send_notification_email.enqueue(notification.pk)

    assert mail.outbox == []
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY

    run_worker()

    assert [message.to for message in mail.outbox] == [["anna.schreiber@weimar.invalid"]]
    assert "/anfragen/1/" in mail.outbox[0].body
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert WorkerHeartbeat.objects.exists()


def test_a_mail_relay_that_is_down_loses_no_mail(real_queue, run_worker, notification, settings):
    send_notification_email.enqueue(notification.pk)
    settings.MAILERS = RELAY_DOWN

    run_worker()

    task = DBTaskResult.objects.get()
    assert mail.outbox == []
    assert task.status == TaskResultStatus.READY  # back in the queue …
    assert task.run_after > timezone.now() + timedelta(seconds=50)  # … after a pause
    assert task.exception_class_path == "smtplib.SMTPServerDisconnected"
    assert "send_messages" in task.traceback
    assert "anna.schreiber" not in task.traceback  # the error, without the address

    run_worker()  # too early: nothing is tried
    assert len(DBTaskResult.objects.get().worker_ids) == 1

    settings.MAILERS = LOCMEM  # the relay is back
    _time_passes()
    run_worker()

    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2
    assert [message.to for message in mail.outbox] == [["anna.schreiber@weimar.invalid"]]


def test_the_pause_between_attempts_doubles_up_to_an_hour(
    real_queue, run_worker, notification, settings
):
    settings.MAILERS = RELAY_DOWN
    send_notification_email.enqueue(notification.pk)
    pauses = []
    for _ in range(8):
        before = timezone.now()
        run_worker()
        pauses.append(round((DBTaskResult.objects.get().run_after - before).total_seconds()))
        _time_passes()

    assert pauses[:4] == [60, 120, 240, 480]
    assert pauses[-1] == 3600


def test_a_task_that_used_up_its_attempts_stays_failed_and_visible(
    real_queue, run_worker, notification, settings, operator_client
):
    settings.MAILERS = RELAY_DOWN
    settings.TASK_MAX_ATTEMPTS = 2
    send_notification_email.enqueue(notification.pk)
    run_worker()
    _time_passes()
    run_worker()

    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.FAILED
    page = operator_client.get(f"/verwaltung/django_tasks_database/dbtaskresult/{task.pk}/change/")
    assert page.status_code == 200
    assert "SMTPServerDisconnected" in page.text
    assert "anna.schreiber" not in page.text

    response = operator_client.post(
        "/verwaltung/django_tasks_database/dbtaskresult/",
        {"action": "requeue", "_selected_action": [str(task.pk)]},
    )
    assert response.status_code == 302
    settings.MAILERS = LOCMEM
    run_worker()
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert len(mail.outbox) == 1


def test_tracebacks_keep_frames_and_exception_classes_but_no_messages():
    text = (
        "Traceback (most recent call last):\n"
        '  File "/app/apps/notifications/tasks.py", line 28, in send_notification_email\n'
        "    send_mail(SUBJECT, BODY, None, [address])\n"
        "    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        "smtplib.SMTPRecipientsRefused: {'kind@example.org': (550, b'no such user')}\n"
        "more of the message on a second line\n"
    )

    scrubbed = scrub_traceback(text)

    assert "kind@example.org" not in scrubbed
    assert "second line" not in scrubbed
    assert "line 28, in send_notification_email" in scrubbed
    assert scrubbed.endswith("smtplib.SMTPRecipientsRefused: (Meldung nicht gespeichert)")
