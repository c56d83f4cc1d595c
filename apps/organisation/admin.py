from django.contrib import admin

from apps.organisation.models import (
    SchoolYear,
    Schule,
    Sozialraum,
    Stadtteil,
    Standort,
    StreetSegment,
    Team,
    Traeger,
)


class StadtteilInline(admin.TabularInline):
    model = Stadtteil
    extra = 0


@admin.register(Sozialraum)
class SozialraumAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StadtteilInline]


@admin.register(Stadtteil)
class StadtteilAdmin(admin.ModelAdmin):
    list_display = ["name", "sozialraum"]
    list_filter = ["sozialraum"]
    search_fields = ["name"]


@admin.register(Traeger)
class TraegerAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "is_city"]


class StandortInline(admin.StackedInline):
    model = Standort
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "sozialraum"]
    filter_horizontal = ["traeger"]
    inlines = [StandortInline]


@admin.register(Standort)
class StandortAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "street", "is_primary", "is_demo"]
    list_filter = ["team", "is_demo"]


@admin.register(Schule)
class SchuleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "stadtteil", "school_number", "is_demo"]
    list_filter = ["kind", "stadtteil__sozialraum", "is_demo"]
    search_fields = ["name", "school_number"]
    list_select_related = ["stadtteil"]


@admin.register(StreetSegment)
class StreetSegmentAdmin(admin.ModelAdmin):
    list_display = ["street", "number_from", "number_to", "parity", "stadtteil", "is_demo"]
    list_filter = ["stadtteil__sozialraum", "stadtteil", "is_demo"]
    search_fields = ["street"]
    list_select_related = ["stadtteil"]


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    """School years and half-years (Thuringia); a grant per half-year takes its dates from here."""

    list_display = [
        "name",
        "starts_on",
        "first_half_ends_on",
        "second_half_starts_on",
        "ends_on",
        "confirmed",
    ]
    list_filter = ["confirmed"]
