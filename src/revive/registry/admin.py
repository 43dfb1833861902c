"""Admin for the registry; writes to units' status go through the service so they are audited."""

from django.contrib import admin

from revive.registry.models import (
    County,
    IndustrialPark,
    Organisation,
    ParkInfrastructure,
    ProductionUnit,
    Province,
    Sector,
    UnitStatus,
)


class AuditedAdmin(admin.ModelAdmin):
    """Every admin save and delete leaves an audit row, like every other entry point."""

    def save_model(self, request, obj, form, change):
        from django.db import transaction

        from revive.core import audit

        with transaction.atomic():
            before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            audit.record(
                actor=request.user,
                obj=obj,
                action="admin_change" if change else "admin_add",
                before=before,
                after=audit.snapshot(obj),
            )

    def delete_model(self, request, obj):
        from django.db import transaction

        from revive.core import audit

        with transaction.atomic():
            audit.record(actor=request.user, obj=obj, action="admin_delete", before=audit.snapshot(obj))
            super().delete_model(request, obj)


@admin.register(Province)
class ProvinceAdmin(AuditedAdmin):
    list_display = ("code", "name_en", "name_fa")


@admin.register(County)
class CountyAdmin(AuditedAdmin):
    list_display = ("name_en", "name_fa", "province")
    list_filter = ("province",)


@admin.register(Sector)
class SectorAdmin(AuditedAdmin):
    list_display = ("isic_division", "name_en", "name_fa", "group")
    list_filter = ("group",)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("code", "kind", "name_en", "name_fa", "province")
    list_filter = ("kind", "province")


class InfrastructureInline(admin.TabularInline):
    model = ParkInfrastructure
    extra = 0
    exclude = ("province",)


@admin.register(IndustrialPark)
class IndustrialParkAdmin(AuditedAdmin):
    list_display = ("code", "name_en", "name_fa", "province", "kind", "stage")
    list_filter = ("province", "kind", "stage", "ownership")
    search_fields = ("code", "name_en", "name_fa")
    readonly_fields = ("name_key",)


@admin.register(ProductionUnit)
class ProductionUnitAdmin(AuditedAdmin):
    list_display = ("business_id", "name_fa", "park", "sector", "size_class", "employees", "current_band")
    list_filter = ("current_band", "size_class", "province", "sector__group")
    search_fields = ("business_id", "name_key")
    raw_id_fields = ("park",)
    readonly_fields = ("current_band", "band_since", "name_key")
    list_select_related = ("park", "sector")

    # The apps that group units by sector follow a change of sector or a deletion, in the same transaction
    # (registry/hooks.py: the filings' production totals recompute the months the unit's filings are in).
    def save_model(self, request, obj, form, change):
        from contextlib import nullcontext

        from django.db import transaction

        from revive.registry import hooks

        regrouping = (
            hooks.units_regrouping([obj.pk]) if change and "sector" in form.changed_data else nullcontext()
        )
        with transaction.atomic(), regrouping:
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        self.delete_queryset(request, type(obj).objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        from django.db import transaction

        from revive.registry import hooks

        with transaction.atomic(), hooks.units_regrouping(queryset.values_list("pk", flat=True)):
            for obj in queryset:
                super().delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that change through their service only (audited): the admin shows them, never edits them."""

    raw_id_fields = ("unit",)

    def has_change_permission(self, request, obj=None):
        return False

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(UnitStatus)
class UnitStatusAdmin(ReadOnlyAdmin):
    list_display = ("unit", "band", "effective_date", "source", "event", "jobs", "is_relapse")
    list_filter = ("event", "band", "source")
