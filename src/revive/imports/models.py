"""Monthly figures sent by unit owners, waiting for a provincial expert to approve or return them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from revive.core.scoping import ScopedQuerySet


class FilingSubmission(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned to the owner")

    unit = models.ForeignKey("registry.ProductionUnit", on_delete=models.CASCADE, related_name="submissions")
    province = models.ForeignKey("registry.Province", on_delete=models.PROTECT, editable=False)
    jyear = models.PositiveSmallIntegerField(_("Iranian year"))
    jmonth = models.PositiveSmallIntegerField(_("Iranian month"))
    production_value = models.BigIntegerField(_("production value (rials)"))
    capacity_utilisation = models.PositiveSmallIntegerField(_("capacity utilisation (%)"))
    employees = models.PositiveIntegerField(_("employees"))
    energy_kwh = models.BigIntegerField(_("energy use (kWh)"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"))
    due_on = models.DateField(_("due on"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = {"province": "province_id", "park": "unit__park_id", "unit": "unit_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["province", "status"])]
        verbose_name = _("filing submission")
        verbose_name_plural = _("filing submissions")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.jyear}/{self.jmonth:02d} {self.status}"

    @property
    def is_late(self) -> bool:
        return self.submitted_on > self.due_on
