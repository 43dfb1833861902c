"""Admin for the filings: read only, since filings and submissions change through their services (audited)."""

from django.contrib import admin

from revive.filings.models import MonthlyFiling
from revive.registry.admin import ReadOnlyAdmin


@admin.register(MonthlyFiling)
class MonthlyFilingAdmin(ReadOnlyAdmin):
    list_display = ("unit", "jyear", "jmonth", "production_value", "capacity_utilisation", "employees")
