"""Master data of Schulbegleitung for administrators; cases and persons stay out of the admin."""

from django.contrib import admin

from apps.cases.models import Pool, Provider


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
