"""Retention rules are master data for administrators; the access log and legal holds stay out."""

from django.contrib import admin
from django.http import HttpRequest

from apps.audit.models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "years", "months", "anchor", "active", "updated_at"]
    list_filter = ["active"]
    readonly_fields = ["updated_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: RetentionRule | None = None) -> list:
        # The kind names which records a rule covers; changing it would move the rule silently.
        return ["kind", "updated_at"] if obj is not None else ["updated_at"]
