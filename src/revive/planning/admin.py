"""Admin for planning: budget lines and projects are edited with an audit row, like every other entry point."""

from django.contrib import admin

from revive.planning.models import BudgetLine, InfraProject, PlanRun, Scenario
from revive.registry.admin import AuditedAdmin


@admin.register(InfraProject)
class InfraProjectAdmin(AuditedAdmin):
    list_display = ("id", "name_en", "park", "utility", "status", "cost", "duration_months", "progress")
    list_filter = ("status", "utility", "province")
    search_fields = ("name_fa", "name_en", "park__code")
    raw_id_fields = ("park",)

    def save_model(self, request, obj, form, change):
        obj.province_id = obj.park.province_id
        super().save_model(request, obj, form, change)


@admin.register(BudgetLine)
class BudgetLineAdmin(AuditedAdmin):
    list_display = ("year", "kind", "bank", "province", "amount")
    list_filter = ("year", "kind", "bank")


@admin.register(Scenario)
class ScenarioAdmin(AuditedAdmin):
    list_display = ("name", "author", "province", "created_at")


@admin.register(PlanRun)
class PlanRunAdmin(admin.ModelAdmin):
    list_display = ("id", "author", "province", "status", "progress", "created_at")
    list_filter = ("status",)
    readonly_fields = ("parameters", "result", "error")
