from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "apps.history"
    label = "history"
    verbose_name = "Änderungsverlauf"

    def ready(self) -> None:
        from apps.core import casefile
        from apps.history import sections

        casefile.register(sections.case_changes_section)

        # Records deleted at the end of their retention period take their
        # snapshots (content) along.
        from apps.audit import retention
        from apps.history.services import history_purge

        def purge_snapshots(model: type, pks: list) -> None:
            history_purge(model=model, pks=pks)

        if purge_snapshots not in retention.PURGE_HOOKS:
            retention.PURGE_HOOKS.append(purge_snapshots)
