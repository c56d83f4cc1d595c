from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    label = "documents"
    verbose_name = "Dokumente"

    def ready(self) -> None:
        from apps.core import casefile
        from apps.core import timeline as case_timeline
        from apps.documents import sections

        casefile.SECTIONS.provide("documents", sections.documents_section)
        case_timeline.provide(case_timeline.DOCUMENTS, "Dokumente", sections.document_entries)
