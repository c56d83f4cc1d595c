from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "apps.history"
    label = "history"
    verbose_name = "Änderungsverlauf"

    def ready(self) -> None:
        from apps.core import casefile
        from apps.history import sections

        casefile.SECTIONS.provide("changes", sections.case_changes_section)

        # Records deleted at the end of their retention period take their
        # snapshots (content) along.
        from apps.audit import retention
        from apps.history.services import purge_snapshots

        retention.PURGED.provide("history", purge_snapshots)
