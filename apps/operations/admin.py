"""Background work in the admin: the task queue and the scheduled jobs.

The package's own task admin shows arguments and full tracebacks; this one
shows what an operator needs (task, state, attempts, when, error class and
frames) and lets a failed task be queued again.
"""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.html import format_html
from django_tasks_db.models import DBTaskResult

from apps.operations.models import ScheduledJob, WorkerHeartbeat

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DBTaskResult)
class TaskAdmin(ReadOnlyAdmin):
    list_display = (
        "task_name",
        "status",
        "attempts",
        "enqueued_at",
        "run_after_display",
        "finished_at",
        "exception_class_path",
    )
    list_filter = ("status", "queue_name")
    ordering = ["-enqueued_at"]
    fields = (
        "id",
        "task_path",
        "status",
        "attempts",
        "enqueued_at",
        "started_at",
        "run_after_display",
        "finished_at",
        "exception_class_path",
        "error_frames",
    )
    readonly_fields = fields
    actions = ["requeue"]

    @admin.display(description="Versuche")
    def attempts(self, obj: DBTaskResult) -> int:
        return len(obj.worker_ids)

    @admin.display(description="nächster Versuch ab")
    def run_after_display(self, obj: DBTaskResult) -> Any:
        if obj.status != TaskResultStatus.READY or obj.run_after.year >= 9999:
            return "–"
        return obj.run_after

    @admin.display(description="Fehler (ohne Meldungstext)")
    def error_frames(self, obj: DBTaskResult) -> str:
        return format_html("<pre>{}</pre>", obj.traceback) if obj.traceback else "–"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Needed for the "queue again" action; every field stays read-only.
        return request.user.has_perm("django_tasks_database.change_dbtaskresult")

    @admin.action(description="Ausgewählte fehlgeschlagene Aufgaben erneut einreihen")
    def requeue(self, request: HttpRequest, queryset: QuerySet[DBTaskResult]) -> None:
        count = queryset.filter(status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=timezone.now(), finished_at=None
        )
        self.message_user(request, f"{count} Aufgabe(n) erneut eingereiht.", messages.SUCCESS)


@admin.register(ScheduledJob)
class ScheduledJobAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "schedule",
        "next_run_at",
        "last_started_at",
        "duration",
        "last_outcome",
        "last_message",
        "last_trigger",
    )
    readonly_fields = (*list_display, "last_finished_at")
    fields = readonly_fields

    @admin.display(description="Dauer (s)")
    def duration(self, obj: ScheduledJob) -> str:
        seconds = obj.last_duration
        return "–" if seconds is None else f"{seconds:.1f}"


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("worker_id", "hostname", "pid", "started_at", "last_seen")
    readonly_fields = list_display
    fields = list_display
