"""Programmes of the year (axes, programmes, indicators), targets, and hand-reported indicator values."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from revive.core.scoping import ScopedQuerySet


class Metric(models.TextChoices):
    """What a computed indicator counts; each one is read from the selectors of its own app."""

    REVIVED_UNITS = "revived_units", _("Idle units revived")
    JOBS_RESTORED = "jobs_restored", _("Jobs restored")
    # xgettext:no-python-format ("50% c" is not a placeholder; the label is never %-formatted)
    LIFTED_ABOVE_50 = "lifted_above_50", _("Units lifted above 50% capacity")
    INDUSTRY_SHARE = "industry_share", _("Industry share of bank facilities (%)")
    PARKS_GAS_ELECTRICITY = "parks_gas_electricity", _("Parks with adequate gas and electricity")
    LOANS_PAID = "loans_paid", _("Loans paid to units")
    RESOLUTIONS_EXECUTED = "resolutions_executed", _("Workgroup resolutions executed (%)")


# Flows add up over months and provinces, so they have a monthly pace and a year-end forecast.
FLOW_METRICS = frozenset(
    {Metric.REVIVED_UNITS, Metric.JOBS_RESTORED, Metric.LIFTED_ABOVE_50, Metric.LOANS_PAID}
)
# Rates are percentages: a province's target is not a share of the national one.
RATE_METRICS = frozenset({Metric.INDUSTRY_SHARE, Metric.RESOLUTIONS_EXECUTED})
# Published only for the whole banking system: no province figure, no province target.
NATIONAL_ONLY_METRICS = frozenset({Metric.INDUSTRY_SHARE})


class Axis(models.Model):
    """One of the ministry's main axes for an Iranian year (seven in 1405)."""

    jyear = models.PositiveSmallIntegerField(_("Iranian year"))
    number = models.PositiveSmallIntegerField(_("number"))
    name_fa = models.CharField(_("name (Persian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        ordering = ["jyear", "number"]
        unique_together = [("jyear", "number")]
        verbose_name = _("axis")
        verbose_name_plural = _("axes")

    def __str__(self) -> str:
        return f"{self.jyear} / {self.number} {self.name_en}"

    def name(self, lang: str) -> str:
        return self.name_fa if lang == "fa" else self.name_en


class Programme(models.Model):
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="programmes")
    jyear = models.PositiveSmallIntegerField(_("Iranian year"), editable=False)
    number = models.PositiveSmallIntegerField(_("number"))
    name_fa = models.CharField(_("name (Persian)"), max_length=240)
    name_en = models.CharField(_("name (English)"), max_length=240)

    class Meta:
        ordering = ["jyear", "number"]
        unique_together = [("jyear", "number")]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return f"{self.jyear} / {self.number} {self.name_en}"

    def name(self, lang: str) -> str:
        return self.name_fa if lang == "fa" else self.name_en


class Indicator(models.Model):
    class Kind(models.TextChoices):
        COMPUTED = "computed", _("Computed from Revive's data")
        REPORTED = "reported", _("Reported by hand each month")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    jyear = models.PositiveSmallIntegerField(_("Iranian year"), editable=False)
    code = models.SlugField(_("code"), max_length=40)
    name_fa = models.CharField(_("name (Persian)"), max_length=240)
    name_en = models.CharField(_("name (English)"), max_length=240)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    metric = models.CharField(_("metric"), max_length=24, choices=Metric.choices, blank=True)
    unit_fa = models.CharField(_("unit (Persian)"), max_length=40, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=40, blank=True)
    is_headline = models.BooleanField(_("shown on the dashboard"), default=False)

    class Meta:
        ordering = ["jyear", "programme__number", "code"]
        unique_together = [("jyear", "code")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="reported", metric="") | Q(kind="computed") & ~Q(metric=""),
                name="computed_indicator_has_metric",
            )
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.jyear} {self.code}"

    def name(self, lang: str) -> str:
        return self.name_fa if lang == "fa" else self.name_en

    @property
    def is_flow(self) -> bool:
        return self.kind == self.Kind.REPORTED or self.metric in FLOW_METRICS

    @property
    def is_rate(self) -> bool:
        return self.metric in RATE_METRICS

    @property
    def national_only(self) -> bool:
        return self.metric in NATIONAL_ONLY_METRICS


class Target(models.Model):
    """A yearly target: national (no province), a province's share, or a park's share of its province."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    jyear = models.PositiveSmallIntegerField(_("Iranian year"))
    province = models.ForeignKey("registry.Province", null=True, blank=True, on_delete=models.PROTECT)
    park = models.ForeignKey("registry.IndustrialPark", null=True, blank=True, on_delete=models.PROTECT)
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    # The national row is visible to every scope that sees the registry: it is the published target.
    SCOPE = {"province": "province_id", "park": "park_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "jyear", "province", "park"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "jyear"],
                condition=Q(province__isnull=True),
                name="one_national_target",
            ),
            models.UniqueConstraint(
                fields=["indicator", "jyear", "province"],
                condition=Q(province__isnull=False, park__isnull=True),
                name="one_province_target",
            ),
            models.UniqueConstraint(
                fields=["indicator", "jyear", "park"], condition=Q(park__isnull=False), name="one_park_target"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
            models.CheckConstraint(
                condition=Q(park__isnull=True) | Q(province__isnull=False), name="park_target_has_province"
            ),
        ]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.jyear} {self.province_id or 'national'}: {self.value}"


class ReportedValue(models.Model):
    """A hand-reported figure for one month (national when province is empty); approved months are locked."""

    class Status(models.TextChoices):
        ENTERED = "entered", _("Entered, waiting for approval")
        APPROVED = "approved", _("Approved")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reported")
    jyear = models.PositiveSmallIntegerField(_("Iranian year"))
    jmonth = models.PositiveSmallIntegerField(_("Iranian month"))
    province = models.ForeignKey("registry.Province", null=True, blank=True, on_delete=models.PROTECT)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ENTERED)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    SCOPE = {"province": "province_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "jyear", "jmonth", "province"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "jyear", "jmonth"],
                condition=Q(province__isnull=True),
                name="one_national_reported_value",
            ),
            models.UniqueConstraint(
                fields=["indicator", "jyear", "jmonth", "province"],
                condition=Q(province__isnull=False),
                name="one_province_reported_value",
            ),
        ]
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.jyear}/{self.jmonth:02d} {self.province_id or 'national'}"
