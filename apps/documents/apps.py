from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    label = "documents"
    verbose_name = "Dokumente"

    def ready(self) -> None:
        from apps.core import casefile
        from apps.documents import sections

        casefile.SECTIONS.provide("documents", sections.documents_section)
        sections.provide_timeline()
