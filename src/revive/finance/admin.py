"""Read-only admin views of the finance records: every write goes through the services (and their audit)."""

from django.contrib import admin

from revive.finance.models import CreditLine, LendingFigure, LoanEvent, LoanRequest


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class LoanEventInline(admin.TabularInline):
    model = LoanEvent
    extra = 0
    can_delete = False
    fields = ["on", "actor_label", "kind", "from_state", "to_state", "amount", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LoanRequest)
class LoanRequestAdmin(ReadOnly):
    list_display = [
        "id",
        "unit",
        "province",
        "kind",
        "state",
        "bank",
        "amount_requested",
        "amount_paid",
        "registered_on",
    ]
    list_filter = ["state", "kind", "bank", "province"]
    search_fields = ["unit__business_id", "letter_number"]
    raw_id_fields = ["unit", "case", "obstacle"]
    inlines = [LoanEventInline]


@admin.register(CreditLine)
class CreditLineAdmin(ReadOnly):
    list_display = ["jyear", "bank", "province", "amount"]
    list_filter = ["jyear", "bank"]


@admin.register(LendingFigure)
class LendingFigureAdmin(ReadOnly):
    list_display = ["jyear", "jmonth", "bank", "total", "industry_mining"]
    list_filter = ["jyear", "bank"]
