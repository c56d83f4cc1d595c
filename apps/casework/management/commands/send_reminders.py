from typing import Any

from django.core.management.base import BaseCommand

from apps.casework.tasks import send_due_task_reminders


class Command(BaseCommand):
    help = "Erinnert an fällige und überfällige Wiedervorlagen (für den täglichen Cron-Lauf)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_due_task_reminders.enqueue()
        self.stdout.write(f"Erinnerung eingereiht ({result.id}).")
