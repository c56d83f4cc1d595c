from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "apps.referrals"
    label = "referrals"
    verbose_name = "Anfragen und Meldungen"

    def ready(self) -> None:
        # The start page lives in accounts, below this app: we hand it our sections.
        from apps.core import startpage
        from apps.referrals.start import familienamt_start_section
        from apps.referrals.views.school import school_start_section

        startpage.register(familienamt_start_section)
        startpage.register(school_start_section)
