from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Konten und Rollen"

    def ready(self) -> None:
        from apps.accounts import security  # noqa: F401  (connects the session signals)
        from apps.accounts.approval_views import start_section
        from apps.core import startpage

        startpage.SECTIONS.provide("approvals", start_section)
