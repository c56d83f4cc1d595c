from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "apps.referrals"
    label = "referrals"
    verbose_name = "Anfragen und Meldungen"
