from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "apps.consents"
    label = "consents"
    verbose_name = "Einwilligungen"

    def ready(self) -> None:
        from apps.consents import sections
        from apps.core import casefile
        from apps.core import timeline as case_timeline

        casefile.register(sections.consents_section)
        case_timeline.register(sections.consent_entries)
        sections.connect()
