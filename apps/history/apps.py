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

        # The application role may read and append to the snapshots, never
        # change or delete them (retention goes through the owner's function).
        from apps.core.dbroles import register_append_only

        for model in self.get_models():
            if getattr(model, "pgh_tracked_model", None) is not None:
                register_append_only(model)
