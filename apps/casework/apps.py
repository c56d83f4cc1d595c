from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "apps.casework"
    label = "casework"
    verbose_name = "Fallarbeit"

    def ready(self) -> None:
        from apps.casework import sections
        from apps.core import casefile, startpage

        casefile.register(sections.notes_section)
        casefile.register(sections.tasks_section)
        casefile.register(sections.contacts_section)
        startpage.register(sections.start_tasks_section)
        casefile.register(sections.helpplan_section)
        casefile.register(sections.handover_section)
        import apps.casework.timeline  # noqa: F401  (registers the timeline providers)

        startpage.register(sections.start_handovers_section)
