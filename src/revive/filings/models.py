"""Monthly filings: what a unit filed for an Iranian month, every version its owner sent, and the totals.

The three tables were created by the registry and imports apps and keep their names (`db_table`): the
models moved here with a state-only migration (filings/migrations/0001_initial.py), no row was copied.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from revive.core.scoping import ScopedQuerySet
from revive.registry.models import ProductionUnit, Province, Sector


class MonthlyFiling(models.Model):
    """A unit's production report for one Iranian month, due by the 10th of the next month."""

    # No single-column indexes on unit and province: the unique (unit, jyear, jmonth) and the
    # (province, period_start) index lead with them and serve those lookups.
    unit = models.ForeignKey(ProductionUnit, on_delete=models.CASCADE, related_name="filings", db_index=False)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, editable=False, db_index=False)
    jyear = models.PositiveSmallIntegerField(_("Iranian year"))
    jmonth = models.PositiveSmallIntegerField(_("Iranian month"))
    period_start = models.DateField(editable=False)  # 1st of the Jalali month, for range queries
    production_value = models.BigIntegerField(_("production value (rials)"))
    capacity_utilisation = models.PositiveSmallIntegerField(_("capacity utilisation (%)"))
    employees = models.PositiveIntegerField(_("employees"))
    energy_kwh = models.BigIntegerField(_("energy use (kWh)"), null=True, blank=True)
    filed_on = models.DateField(_("filed on"))
    due_on = models.DateField(_("due on"), editable=False)

    SCOPE = {"province": "province_id", "park": "unit__park_id", "unit": "unit_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "registry_monthlyfiling"
        unique_together = [("unit", "jyear", "jmonth")]
        ordering = ["unit", "jyear", "jmonth"]
        indexes = [
            models.Index(fields=["province", "period_start"]),
            # The late filings of a year (the filings page), without reading the year's on-time ones.
            models.Index(
                fields=["jyear", "period_start"],
                condition=models.Q(filed_on__gt=models.F("due_on")),
                name="filing_late_idx",
            ),
            # ... and a province's (its officers' filings page): without it each of the nation's late filings of
            # the year was read to find the province's
            models.Index(
                fields=["province", "jyear", "period_start"],
                condition=models.Q(filed_on__gt=models.F("due_on")),
                name="filing_late_province_idx",
            ),
            # who filed a month (the filings page's missing filers, nationally)
            models.Index(fields=["jyear", "jmonth", "unit"], name="filing_month_unit_idx"),
        ]
        verbose_name = _("monthly filing")
        verbose_name_plural = _("monthly filings")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.jyear}/{self.jmonth:02d}"


class FilingTotal(models.Model):
    """The production value filed per province, sector and Iranian month: what the production index sums.

    Derived from MonthlyFiling (its province, the unit's sector) by filings/totals.py, which every writer of
    filings calls in its own transaction (filing_submit, the filings and units imports, the demo); never
    edited otherwise, so it is never behind the filings.
    """

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="+")
    jyear = models.PositiveSmallIntegerField()
    jmonth = models.PositiveSmallIntegerField()
    production_value = models.BigIntegerField(default=0)
    filings = models.PositiveIntegerField(default=0)

    SCOPE = {"province": "province_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "registry_filingtotal"
        unique_together = [("province", "jyear", "jmonth", "sector")]
        indexes = [models.Index(fields=["jyear", "jmonth"])]

    def __str__(self) -> str:
        return f"{self.province_id} {self.sector_id} {self.jyear}/{self.jmonth:02d}"


class UnitLastFiling(models.Model):
    """A unit's newest filed month, as jyear * 100 + jmonth; a unit that never filed has no row.

    The licence-suspension list reads it instead of every unit's filings. Derived from MonthlyFiling by
    filings/lastfiled.py, which every writer of filings calls in its own transaction (filing_submit, the
    statistics system's batch, the filings import, the demo); never edited otherwise, so it is never
    behind the filings. A unit's row goes with the unit.
    """

    unit = models.OneToOneField(
        ProductionUnit, primary_key=True, on_delete=models.CASCADE, related_name="last_filing"
    )
    last_ym = models.PositiveIntegerField()

    class Meta:
        db_table = "filings_unitlastfiling"
        indexes = [models.Index(fields=["last_ym"], name="last_filing_ym_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.last_ym // 100}/{self.last_ym % 100:02d}"


class FilingSubmission(models.Model):
    """Monthly figures sent by a unit's owner (or the statistics system), waiting for a provincial expert
    to approve them (into MonthlyFiling) or return them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned to the owner")
        SUPERSEDED = "superseded", _("Replaced by a newer version")

    class Source(models.TextChoices):
        PAGE = "page", _("Monthly filing page")
        API = "api", _("Statistics system (API)")

    unit = models.ForeignKey(ProductionUnit, on_delete=models.CASCADE, related_name="submissions")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, editable=False)
    jyear = models.PositiveSmallIntegerField(_("Iranian year"))
    jmonth = models.PositiveSmallIntegerField(_("Iranian month"))
    production_value = models.BigIntegerField(_("production value (rials)"))
    capacity_utilisation = models.PositiveSmallIntegerField(_("capacity utilisation (%)"))
    employees = models.PositiveIntegerField(_("employees"))
    energy_kwh = models.BigIntegerField(_("energy use (kWh)"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"))
    due_on = models.DateField(_("due on"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Every figure sent for a unit's month is kept: version 1, 2, ... (filings/versions.py);
    # a newer version supersedes one still waiting for review, and waits for review itself.
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    source = models.CharField(_("sent through"), max_length=4, choices=Source.choices, default=Source.PAGE)
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
        db_table = "imports_filingsubmission"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["province", "status"]),
            models.Index(fields=["unit", "jyear", "jmonth"]),
        ]
        verbose_name = _("filing submission")
        verbose_name_plural = _("filing submissions")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.jyear}/{self.jmonth:02d} {self.status}"

    @property
    def is_late(self) -> bool:
        return self.submitted_on > self.due_on
