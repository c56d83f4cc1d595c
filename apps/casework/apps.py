from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "apps.casework"
    label = "casework"
    verbose_name = "Fallarbeit"

    def ready(self) -> None:
        import apps.casework.spine  # noqa: F401  (registers the spine's preconditions)
        from apps.casework import sections
        from apps.casework.timeline import provide_kinds
        from apps.core import casefile, startpage

        casefile.SECTIONS.provide("notes", sections.notes_section)
        casefile.SECTIONS.provide("tasks", sections.tasks_section)
        casefile.SECTIONS.provide("contacts", sections.contacts_section)
        casefile.SECTIONS.provide("helpplan", sections.helpplan_section)
        casefile.SECTIONS.provide("handover", sections.handover_section)
        startpage.SECTIONS.provide("tasks", sections.start_tasks_section)
        startpage.SECTIONS.provide("handovers", sections.start_handovers_section)
        provide_kinds()
