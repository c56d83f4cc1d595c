"""Master data of requests that the Familienamt keeps current (no request content)."""

from django.contrib import admin
from django.http import HttpRequest

from apps.referrals.models import RequestSource


@admin.register(RequestSource)
class RequestSourceAdmin(admin.ModelAdmin):
    """Who may suggest help ("Anregung durch") and its category in the KJH-Statistik."""

    list_display = ["name", "statistics_category", "office_intake", "sort_order"]
    list_editable = ["office_intake", "sort_order"]
    list_filter = ["statistics_category"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: RequestSource | None = None
    ) -> list[str]:
        # The code is what requests point at; renaming is done through the name.
        return [] if obj is None else ["code"]

    def has_delete_permission(self, request: HttpRequest, obj: RequestSource | None = None) -> bool:
        return False
