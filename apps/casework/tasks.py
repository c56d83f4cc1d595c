from django.tasks import task
from django.utils import timezone

from apps.casework.models import Task
from apps.casework.services import consent_expiry_tasks
from apps.notifications.services import notify


@task()
def send_due_task_reminders() -> int:
    """Remind each assignee of their tasks due today or overdue, once a day.

    The text names only the Aktenzeichen: the task's title may carry personal
    data and the notification is also sent by e-mail. Returns how many tasks
    were reminded.
    """
    today = timezone.localdate()
    consent_expiry_tasks(today)
    due = list(
        Task.objects.due_by(today)
        .exclude(reminded_on=today)
        .filter(assignee__is_active=True)
        .select_related("case", "assignee")
        .order_by("assignee_id", "due_date", "pk")
    )
    for item in due:
        state = "überfällig" if item.due_date < today else "heute fällig"
        notify(
            recipients=[item.assignee],
            text=f"Wiedervorlage {state}: Fall {item.case.reference}",
            url=item.case.get_absolute_url() + "#wiedervorlagen",
        )
    # Not an edit of the task: the version stays, so nobody's open form turns stale.
    Task.objects.filter(pk__in=[item.pk for item in due]).update(reminded_on=today)
    return len(due)
