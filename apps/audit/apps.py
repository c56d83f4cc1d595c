from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = "Zugriffsprotokoll"

    def ready(self) -> None:
        from django.contrib.auth import signals as auth_signals

        from apps.audit import (
            checks,  # noqa: F401 - registers the deploy check
            signals,
        )
        from apps.audit.models import AccessLogCheckpoint, AccessLogEntry
        from apps.core.dbroles import register_append_only

        # The application role may only add to the log and its checkpoints, and read them.
        register_append_only(AccessLogEntry)
        register_append_only(AccessLogCheckpoint)

        auth_signals.user_logged_in.connect(signals.on_login, dispatch_uid="audit_login")
        auth_signals.user_login_failed.connect(
            signals.on_login_failed, dispatch_uid="audit_login_failed"
        )
        auth_signals.user_logged_out.connect(signals.on_logout, dispatch_uid="audit_logout")
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        post_save.connect(signals.on_admin_log_entry, sender=LogEntry, dispatch_uid="audit_admin")
        from apps.accounts.models import ApprovalRequest

        post_save.connect(
            signals.on_approval_saved, sender=ApprovalRequest, dispatch_uid="audit_approval"
        )
