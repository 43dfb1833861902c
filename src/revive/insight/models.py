"""Stored results of the early-warning model and the attribution estimates (written by `revive risk
--retrain` / `revive attribute --retrain` and the monthly background task; read by the pages and the API)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from revive.core.scoping import Scope, ScopedQuerySet, ScopeKind


class RiskRun(models.Model):
    """One training of the model: its window, the backtest against the baselines, when and by whom."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    horizon = models.PositiveSmallIntegerField(default=6)
    as_of = models.CharField(max_length=7)  # the panel's last month, Iranian YYYY/MM: the units scored
    panel_first = models.CharField(max_length=7)
    train_first = models.CharField(max_length=7)
    train_last = models.CharField(max_length=7)
    train_rows = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)
    months = models.PositiveSmallIntegerField(default=0)
    backtest = models.JSONField(default=dict)  # the engine's backtest, calibration deciles included
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("risk model run")
        verbose_name_plural = _("risk model runs")

    def __str__(self) -> str:
        return f"risk {self.as_of} #{self.pk}"


class RiskScore(models.Model):
    """One producing unit's probability of being idle within the horizon, and its reasons."""

    run = models.ForeignKey(RiskRun, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey("registry.ProductionUnit", on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey("registry.Province", on_delete=models.PROTECT, related_name="+")
    park = models.ForeignKey("registry.IndustrialPark", on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey("registry.Sector", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField()  # 1 = most at risk nationally
    probability = models.FloatField()
    reasons = models.JSONField(default=list)  # [{"group", "weight", "values"}], the words come at the edge

    SCOPE = {"province": "province_id", "park": "park_id", "unit": "unit_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["run", "rank"]
        unique_together = [("run", "unit")]
        indexes = [models.Index(fields=["run", "province", "rank"]), models.Index(fields=["run", "rank"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.probability:.2f}"


class AttributionEffectQuerySet(ScopedQuerySet):
    def visible_to(self, scope: Scope):
        """National estimates are for everyone who reads the registry; a province's only for that province."""
        if scope.kind == ScopeKind.NATION:
            return self.all()
        if scope.kind == ScopeKind.PROVINCE:
            return self.filter(Q(province__isnull=True) | Q(province_id=scope.province_id))
        return self.none()


class AttributionRun(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    panel_first = models.CharField(max_length=7)
    panel_last = models.CharField(max_length=7)
    units = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"attribution {self.panel_last} #{self.pk}"


class AttributionEffect(models.Model):
    """The effect of one kind of intervention, nationally (province empty) or in one province."""

    class Kind(models.TextChoices):
        WORKING_CAPITAL = "working_capital", _("Working-capital loan disbursed")
        FIXED_CAPITAL = "fixed_capital", _("Fixed-capital loan disbursed")
        INFRASTRUCTURE = "infrastructure", _("Park infrastructure project completed")
        RESOLUTION = "resolution", _("Resolution to a bank or agency carried out")

    run = models.ForeignKey(AttributionRun, on_delete=models.CASCADE, related_name="effects")
    province = models.ForeignKey("registry.Province", null=True, blank=True, on_delete=models.PROTECT)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    att_producing = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    pretrend_ok = models.BooleanField(null=True)
    pretrend_p = models.FloatField(null=True)
    units_treated = models.PositiveIntegerField(default=0)
    gross_revived = models.PositiveIntegerField(default=0)
    net_jobs = models.FloatField(null=True)
    cost_per_net_job_rials = models.BigIntegerField(null=True)
    note = models.CharField(max_length=20, blank=True)
    event_study = models.JSONField(default=list)

    objects = AttributionEffectQuerySet.as_manager()

    class Meta:
        ordering = ["run", "province", "kind"]

    def __str__(self) -> str:
        return f"{self.kind} {self.province_id or 'national'} {self.att_producing}"
