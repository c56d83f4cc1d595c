from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "apps.consents"
    label = "consents"
    verbose_name = "Einwilligungen"

    def ready(self) -> None:
        from apps.consents import rules, sections
        from apps.core import casefile, requestpage

        casefile.SECTIONS.provide("consents", sections.consents_section)
        requestpage.FOLLOW_POLICIES.provide("consent", rules.school_follow_policy)
        sections.provide_timeline()
        sections.connect()
