"""The audit trail: one row per write, written by the service in the same transaction."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from revive.core.scoping import ScopedQuerySet


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(
        max_length=150, blank=True
    )  # kept when the user is deleted; "system" for commands
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(max_length=60, db_index=True)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=200, blank=True)
    province = models.ForeignKey("registry.Province", null=True, blank=True, on_delete=models.SET_NULL)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    SCOPE = {"province": "province_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"
        )


class SentForm(models.Model):
    """The one-time token of a page form whose write was made (web/forms.py, sent_once): the same form sent
    again, by a double click or a reload that posts it again, is recognised instead of writing twice. Kept
    two days; not business data, so no audit row of its own (the write it carried has one)."""

    token = models.CharField(max_length=32, primary_key=True)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.token} {self.sent_at:%Y-%m-%d %H:%M}"
