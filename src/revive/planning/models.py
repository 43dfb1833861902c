"""Planning: the parks companies' infrastructure projects, budget lines, plan runs and saved scenarios."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from revive.core.scoping import ScopedQuerySet
from revive.registry.models import Utility


class InfraProject(models.Model):
    """One item of a provincial parks company's work list: a substation, a gas connection, a road..."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        FUNDED = "funded", _("Funded")
        UNDER_CONSTRUCTION = "under_construction", _("Under construction")
        DONE = "done", _("Done")

    class Funding(models.TextChoices):
        NATIONAL = "national", _("National development budget")
        PROVINCIAL = "provincial", _("Provincial budget")
        PARKS_COMPANY = "parks_company", _("Parks company's own resources")
        UTILITY = "utility", _("Utility company")
        UNITS = "units", _("Units' contributions")
        NONE = "", _("Not yet decided")

    park = models.ForeignKey(
        "registry.IndustrialPark", on_delete=models.PROTECT, related_name="projects", verbose_name=_("park")
    )
    province = models.ForeignKey("registry.Province", on_delete=models.PROTECT, editable=False)
    # The park's infrastructure item this project brings up to standard; set by the service from park + utility.
    infrastructure = models.ForeignKey(
        "registry.ParkInfrastructure", null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )
    utility = models.CharField(_("utility"), max_length=12, choices=Utility.choices)
    name_fa = models.CharField(_("name (Persian)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    cost = models.BigIntegerField(_("cost (rials)"))
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    funding_source = models.CharField(
        _("funding source"), max_length=14, choices=Funding.choices, blank=True, default=Funding.NONE
    )
    status = models.CharField(_("status"), max_length=18, choices=Status.choices, default=Status.PROPOSED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE = {"province": "province_id", "park": "park_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["province", "park", "utility", "id"]
        indexes = [
            models.Index(fields=["province", "status"]),
            models.Index(fields=["park", "utility"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="infraproject_cost_not_negative"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="infraproject_progress_at_most_100"),
        ]
        verbose_name = _("infrastructure project")
        verbose_name_plural = _("infrastructure projects")

    def __str__(self) -> str:
        return f"{self.park_id} {self.utility} #{self.pk}"

    def name(self, lang: str) -> str:
        return self.name_fa if lang == "fa" or not self.name_en else self.name_en

    @property
    def months_remaining(self) -> int:
        """Months still to build, from the duration and the progress (rounded up)."""
        if self.status == self.Status.DONE:
            return 0
        return -(-self.duration_months * (100 - self.progress) // 100)

    @property
    def cost_to_fund(self) -> int:
        """What a plan must still pay: funded and started projects already have their money."""
        return self.cost if self.status == self.Status.PROPOSED else 0


class BudgetLine(models.Model):
    """A budget row for one Iranian year, kept here until the finance app's credit lines exist.

    bank credit: a bank's lending line for revivals (nationwide); bank quota: the part of a bank's line
    set aside for one province; infrastructure: the money for park projects, national or per province.
    """

    class Kind(models.TextChoices):
        BANK_CREDIT = "bank_credit", _("Bank credit line")
        BANK_QUOTA = "bank_quota", _("Bank quota in a province")
        INFRA = "infra", _("Infrastructure budget")

    year = models.PositiveSmallIntegerField(_("Iranian year"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    bank = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "bank"},
        verbose_name=_("bank"),
    )
    province = models.ForeignKey(
        "registry.Province", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("province")
    )
    amount = models.BigIntegerField(_("amount available (rials)"))
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE = {"province": "province_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["year", "kind", "bank", "province"]
        indexes = [models.Index(fields=["year", "kind"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budgetline_amount_not_negative"),
        ]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.year} {self.kind} {self.bank_id or ''} {self.province_id or ''}: {self.amount}"


class Scenario(models.Model):
    """Saved changes to the budgets and projects, to run and compare against the plain plan."""

    name = models.CharField(_("name"), max_length=120)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("author")
    )
    province = models.ForeignKey(
        "registry.Province", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("province")
    )
    # {"loan_multiplier", "infra_multiplier", "loan_total", "infra_total",
    #  "delays": {project_id: months}, "drop_quotas": [[bank_code, province_code or ""]]}
    changes = models.JSONField(default=dict)
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = {"province": "province_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return self.name


class PlanRun(models.Model):
    """One plan computed in the background: its parameters, progress and result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("author")
    )
    province = models.ForeignKey(
        "registry.Province", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("province")
    )
    scenario = models.ForeignKey(
        Scenario, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    parameters = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=120, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    SCOPE = {"province": "province_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("plan run")
        verbose_name_plural = _("plan runs")

    def __str__(self) -> str:
        return f"plan #{self.pk} {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
