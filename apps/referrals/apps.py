from django.apps import AppConfig
from django.core import checks


class ReferralsConfig(AppConfig):
    name = "apps.referrals"
    label = "referrals"
    verbose_name = "Anfragen und Meldungen"

    def ready(self) -> None:
        # The start page lives in accounts, below this app: we hand it our sections.
        from apps.core import startpage
        from apps.referrals.start import familienamt_start_section
        from apps.referrals.views.school import school_start_section

        startpage.SECTIONS.provide("triage", familienamt_start_section)
        startpage.SECTIONS.provide("school_requests", school_start_section)

        checks.register(_preconditions_registered)


def _preconditions_registered(**kwargs: object) -> list[checks.CheckMessage]:
    """Every precondition the spine names has a check registered by some app."""
    from apps.referrals.workflow import unregistered_preconditions

    return [
        checks.Error(f"Spine precondition {name!r} has no registered check.", id="referrals.E001")
        for name in sorted(unregistered_preconditions())
    ]
