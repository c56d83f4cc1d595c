from django.apps import AppConfig


class SchoolsupportConfig(AppConfig):
    name = "apps.schoolsupport"
    label = "schoolsupport"
    verbose_name = "Schulbegleitung"

    def ready(self) -> None:
        from apps.core import requestpage, startpage
        from apps.schoolsupport import sections

        requestpage.SECTIONS.provide("help", sections.request_section)
        startpage.SECTIONS.provide("school_support", sections.start_section)
        sections.provide_timeline()
