"""Budgets and provider rates are master data too: the administration may keep them."""

from django.contrib import admin

from apps.reports.models import Budget, ProviderRate


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ["year", "sozialraum", "traeger", "flat_payment", "unspecific_share"]
    list_filter = ["year", "sozialraum", "traeger"]
    list_select_related = ["sozialraum", "traeger"]
    exclude = ["updated_by"]


@admin.register(ProviderRate)
class ProviderRateAdmin(admin.ModelAdmin):
    list_display = ["year", "provider", "hourly_rate"]
    list_filter = ["year", "provider"]
    list_select_related = ["provider"]
