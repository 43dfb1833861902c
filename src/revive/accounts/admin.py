from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from revive.accounts.models import ApiToken, User


@admin.register(User)
class ReviveUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("Revive", {"fields": ("role", "province", "park", "unit", "organisation")}),
    )
    list_display = ("username", "role", "province", "park", "organisation", "is_active")
    list_filter = ("role", "province")
    raw_id_fields = ("park", "unit")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "created_at", "last_used_at", "revoked")
    readonly_fields = ("key_hash", "prefix")
