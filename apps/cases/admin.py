"""Master data of Schulbegleitung for administrators; cases and persons stay out of the admin."""

from django.contrib import admin
from django.http import HttpRequest

from apps.cases.models import ClosingReason, HelpKind, Pool, Provider


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    search_fields = ["name", "organisation"]


@admin.register(Pool)
class PoolAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "provider"]
    list_filter = ["provider"]
    list_select_related = ["school", "provider"]
    search_fields = ["name", "school__name"]
    autocomplete_fields = ["school"]


@admin.register(HelpKind)
class HelpKindAdmin(admin.ModelAdmin):
    """Kinds of help and what a grant of each needs; codes stay, the code relies on them."""

    list_display = ["name", "legal_basis", "group", "active", "sort_order"]
    list_filter = ["group", "active"]
    list_editable = ["active", "sort_order"]

    def get_readonly_fields(self, request: HttpRequest, obj: HelpKind | None = None) -> list[str]:
        return [] if obj is None else ["code"]


@admin.register(ClosingReason)
class ClosingReasonAdmin(admin.ModelAdmin):
    list_display = ["label", "key", "statistics_code", "sort_order", "active"]
    list_editable = ["sort_order", "active"]
