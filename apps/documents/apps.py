from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    label = "documents"
    verbose_name = "Dokumente"

    def ready(self) -> None:
        from apps.core import casefile
        from apps.core import timeline as case_timeline
        from apps.documents import sections

        casefile.register(sections.documents_section)
        case_timeline.register(sections.document_entries)
