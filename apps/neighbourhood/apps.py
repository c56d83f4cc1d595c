from django.apps import AppConfig


class NeighbourhoodConfig(AppConfig):
    name = "apps.neighbourhood"
    label = "neighbourhood"
    verbose_name = "Sozialraumarbeit"

    def ready(self) -> None:
        from apps.core import casefile
        from apps.neighbourhood import sections

        casefile.SECTIONS.provide("resources", sections.case_resources_section)
