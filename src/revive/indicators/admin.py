"""Admin: programmes and indicators are reference data; targets and reported values go through services."""

from django.contrib import admin

from revive.indicators.models import Axis, Indicator, Programme, ReportedValue, Target


@admin.register(Axis)
class AxisAdmin(admin.ModelAdmin):
    list_display = ("jyear", "number", "name_en", "name_fa")
    list_filter = ("jyear",)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("jyear", "number", "name_en", "axis")
    list_filter = ("jyear",)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("jyear", "code", "name_en", "kind", "metric", "is_headline")
    list_filter = ("jyear", "kind")


class ReadOnly(admin.ModelAdmin):
    """Written by the services (with their checks and audit rows); the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(ReadOnly):
    list_display = ("indicator", "jyear", "province", "park", "value")
    list_filter = ("jyear",)


@admin.register(ReportedValue)
class ReportedValueAdmin(ReadOnly):
    list_display = ("indicator", "jyear", "jmonth", "province", "value", "status")
    list_filter = ("jyear", "status")
