"""The reference list: the admin changelist of cases, as a team would build it first.

Only for the bench account ``make bench`` creates; the real admin shows no case content.
"""

from django.contrib import admin

from apps.cases.models import Case


@admin.register(Case)
class BenchCaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "person", "team", "status", "whose_move", "worker", "opened_at"]
    list_filter = ["status", "team", "whose_move"]
    list_select_related = ["person", "school", "team", "worker"]
    ordering = ["-opened_at", "-pk"]
    list_per_page = 25
