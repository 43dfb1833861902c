"""Read-only admin views of notices and their sends (failed sends are easy to find); the rules and the
holidays change on /notices/rules/, through the audited services."""

from django.contrib import admin

from revive.notices.models import Delivery, Holiday, Notice


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    readonly_fields = ["channel", "status", "address", "attempts", "last_error", "sent_at"]
    fields = readonly_fields


@admin.register(Notice)
class NoticeAdmin(ReadOnly):
    list_display = ["created_at", "recipient", "kind", "event", "read_at"]
    list_filter = ["kind"]
    search_fields = ["event", "recipient__username", "text_en"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ["notice", "channel", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status", "channel"]


@admin.register(Holiday)
class HolidayAdmin(ReadOnly):
    list_display = ["day", "name_fa", "name_en"]
