"""Bank facilities: loan requests and their introduction to banks, credit lines, the industry share of lending."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from revive.core.scoping import Scope, ScopedQuerySet, ScopeKind

# The programme's target for the share of bank facilities going to production and industry.
INDUSTRY_SHARE_TARGET = 0.40


class LoanState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    REVIEW = "review", _("Expert review")
    APPROVED = "approved", _("Approved by the workgroup")
    INTRODUCED = "introduced", _("Introduced to a bank")
    # The bank's decision is an approved amount, not money that moved: "paid" read as disbursed, so the
    # decided states say "approved by the bank"; money that moved is a disbursement.
    PAID = "paid", _("Approved by the bank")
    PARTLY_PAID = "partly_paid", _("Approved by the bank, in part")
    REJECTED = "rejected", _("Rejected by the bank")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Repaid and closed")


# Before the bank's decision; "in the pipeline" on the board.
PENDING_STATES = (LoanState.REGISTERED, LoanState.REVIEW, LoanState.APPROVED, LoanState.INTRODUCED)
# Paid in whole or in part: these have disbursements, a repayment schedule and perhaps arrears.
LENT_STATES = (LoanState.PAID, LoanState.PARTLY_PAID, LoanState.CLOSED)
# An introduction stops counting against the bank's credit line when it is refused or withdrawn.
RELEASED_STATES = (LoanState.REJECTED, LoanState.WITHDRAWN)


class LoanKind(models.TextChoices):
    WORKING_CAPITAL = "working_capital", _("Working capital (1 year)")
    FIXED_CAPITAL = "fixed_capital", _("Fixed capital (up to 5 years)")
    RESCHEDULING = "rescheduling", _("Rescheduling of an existing debt")


# Repayment term in months: (default, longest).
TERMS = {
    LoanKind.WORKING_CAPITAL: (12, 12),
    LoanKind.FIXED_CAPITAL: (60, 60),
    LoanKind.RESCHEDULING: (36, 60),
}
# Fixed-capital facilities are only for projects this far built (physical progress, %).
FIXED_CAPITAL_MIN_PROGRESS = 60


class LoanRequest(models.Model):
    unit = models.ForeignKey(
        "registry.ProductionUnit",
        on_delete=models.PROTECT,
        related_name="loan_requests",
        verbose_name=_("unit"),
    )
    province = models.ForeignKey("registry.Province", on_delete=models.PROTECT, editable=False)
    park = models.ForeignKey("registry.IndustrialPark", on_delete=models.PROTECT, editable=False)
    sector_group = models.CharField(
        max_length=20, editable=False
    )  # copied from the unit's sector, for the funnel
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="loans",
        verbose_name=_("case"),
    )
    obstacle = models.ForeignKey(
        "cases.Obstacle",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="loans",
        verbose_name=_("obstacle"),
    )
    kind = models.CharField(_("type of facility"), max_length=16, choices=LoanKind.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=LoanState.choices, default=LoanState.REGISTERED
    )
    amount_requested = models.BigIntegerField(_("amount requested (rials)"))
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    project_progress = models.PositiveSmallIntegerField(_("project progress (%)"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"))
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    # The introduction letter to a named bank.
    bank = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loan_requests",
        verbose_name=_("bank"),
    )
    letter_number = models.CharField(_("letter number"), max_length=40, blank=True)
    introduced_on = models.DateField(_("introduced on"), null=True, blank=True)
    amount = models.BigIntegerField(_("amount introduced (rials)"), null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(_("term (months)"), null=True, blank=True)
    # The bank's decision.
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    amount_paid = models.BigIntegerField(_("amount granted (rials)"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    first_disbursed_on = models.DateField(_("first disbursement"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    version = models.PositiveIntegerField(default=1)  # optimistic locking: a stale save is refused
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Banks see the introductions addressed to them, in any province, and nothing before introduction.
    SCOPE = {"province": "province_id", "park": "park_id", "unit": "unit_id", "bank": "bank_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_on", "-id"]
        indexes = [
            models.Index(fields=["province", "state"]),
            models.Index(fields=["bank", "state"]),
            models.Index(fields=["registered_on"]),
            # a province's list in its order (newest registered first) without sorting all its requests
            models.Index(fields=["province", "registered_on", "id"], name="loan_province_registered_idx"),
            models.Index(fields=["bank", "introduced_on"]),
            # the pipeline and totals of the loans page read this index alone, not the wide rows
            models.Index(
                fields=["state", "amount_requested", "amount", "amount_paid"], name="loan_state_amounts_idx"
            ),
            # the credit lines' use: a year's introductions by bank and province, from this index alone
            models.Index(
                fields=["introduced_on", "state", "bank", "province", "amount"], name="loan_introduced_use_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0), name="loan_amount_requested_positive"
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__isnull=True)
                | Q(amount__isnull=False, amount_paid__lte=models.F("amount")),
                name="loan_paid_not_above_introduced",
            ),
        ]
        verbose_name = _("loan request")
        verbose_name_plural = _("loan requests")

    def __str__(self) -> str:
        return f"#{self.pk} {self.unit_id} {self.state}"


class LoanEvent(models.Model):
    """The request's timeline: transitions, disbursements and repayments, with who and when."""

    loan = models.ForeignKey(LoanRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    on = models.DateField()  # the business date (letter date, disbursement date), for the Jalali timeline
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=20)  # registered, transition, disbursement, repayment
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    amount = models.BigIntegerField(null=True, blank=True)
    text = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["on", "at", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.kind} {self.text[:40]}"


class _Movement(models.Model):
    """Money moving on a loan on a date: a disbursement by the bank or a repayment by the unit."""

    on = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (rials)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = {
        "province": "loan__province_id",
        "park": "loan__park_id",
        "unit": "loan__unit_id",
        "bank": "loan__bank_id",
    }
    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"#{self.loan_id} {self.on} {self.amount}"


class Disbursement(_Movement):
    loan = models.ForeignKey(LoanRequest, on_delete=models.CASCADE, related_name="disbursements")

    class Meta(_Movement.Meta):
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_positive")]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")


class Installment(models.Model):
    """One instalment of the repayment schedule; arrears are the unpaid part of those past due."""

    loan = models.ForeignKey(LoanRequest, on_delete=models.CASCADE, related_name="installments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField(_("due on"))
    amount = models.BigIntegerField(_("amount (rials)"))
    paid_amount = models.BigIntegerField(_("paid (rials)"), default=0)
    paid_on = models.DateField(_("paid in full on"), null=True, blank=True)

    SCOPE = {
        "province": "loan__province_id",
        "park": "loan__park_id",
        "unit": "loan__unit_id",
        "bank": "loan__bank_id",
    }
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["loan", "number"]
        unique_together = [("loan", "number")]
        indexes = [
            models.Index(fields=["due_on"]),
            # arrears: the unpaid instalments of each loan, from this index alone
            models.Index(
                fields=["loan", "due_on", "amount", "paid_amount"],
                condition=Q(paid_on__isnull=True),
                name="installment_unpaid_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(paid_amount__gte=0) & Q(paid_amount__lte=models.F("amount")),
                name="installment_paid_within_amount",
            )
        ]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")

    def __str__(self) -> str:
        return f"#{self.loan_id}/{self.number} {self.due_on}"

    @property
    def outstanding(self) -> int:
        return self.amount - self.paid_amount


class Repayment(_Movement):
    loan = models.ForeignKey(LoanRequest, on_delete=models.CASCADE, related_name="repayments")

    class Meta(_Movement.Meta):
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_positive")]
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")


class CreditLineQuerySet(ScopedQuerySet):
    def visible_to(self, scope: Scope) -> "CreditLineQuerySet":
        # A province sees its own quotas and the banks' national lines they draw on; a bank its own lines.
        if scope.kind == ScopeKind.NATION:
            return self.all()
        if scope.kind == ScopeKind.PROVINCE:
            return self.filter(Q(province_id=scope.province_id) | Q(province__isnull=True))
        if scope.kind == ScopeKind.BANK:
            return self.filter(bank_id=scope.organisation_id)
        return self.none()


class CreditLine(models.Model):
    """What a bank will lend to the programme in an Iranian year: nationally, or as a province's quota."""

    jyear = models.PositiveSmallIntegerField(_("Iranian year"))
    bank = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="credit_lines", verbose_name=_("bank")
    )
    province = models.ForeignKey(
        "registry.Province", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("province")
    )  # null: the bank's national line
    amount = models.BigIntegerField(_("amount (rials)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CreditLineQuerySet.as_manager()

    class Meta:
        ordering = ["jyear", "bank", "province"]
        constraints = [
            models.UniqueConstraint(
                fields=["jyear", "bank"],
                condition=Q(province__isnull=True),
                name="one_national_line_per_bank_year",
            ),
            models.UniqueConstraint(
                fields=["jyear", "bank", "province"],
                condition=Q(province__isnull=False),
                name="one_quota_per_bank_province_year",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_line_positive"),
        ]
        verbose_name = _("credit line")
        verbose_name_plural = _("credit lines")

    def __str__(self) -> str:
        return f"{self.jyear} {self.bank_id} {self.province_id or 'national'}"


class LendingFigureQuerySet(ScopedQuerySet):
    def visible_to(self, scope: Scope) -> "LendingFigureQuerySet":
        # Published aggregates: the banking system for everyone in the programme; a bank sees its own row too.
        if scope.kind in (ScopeKind.NATION, ScopeKind.PROVINCE):
            return self.all()
        if scope.kind == ScopeKind.BANK:
            return self.filter(Q(bank__isnull=True) | Q(bank_id=scope.organisation_id))
        return self.none()


class LendingFigure(models.Model):
    """Facilities granted in one Iranian month, in total and to industry and mining (rials)."""

    jyear = models.PositiveSmallIntegerField(_("Iranian year"))
    jmonth = models.PositiveSmallIntegerField(_("Iranian month"))
    bank = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("bank")
    )  # null: the whole banking system
    total = models.BigIntegerField(_("all facilities (rials)"))
    industry_mining = models.BigIntegerField(_("industry and mining (rials)"))
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LendingFigureQuerySet.as_manager()

    class Meta:
        ordering = ["jyear", "jmonth", "bank"]
        constraints = [
            models.UniqueConstraint(
                fields=["jyear", "jmonth"], condition=Q(bank__isnull=True), name="one_system_figure_per_month"
            ),
            models.UniqueConstraint(
                fields=["jyear", "jmonth", "bank"],
                condition=Q(bank__isnull=False),
                name="one_bank_figure_per_month",
            ),
            models.CheckConstraint(
                condition=Q(industry_mining__gte=0) & Q(industry_mining__lte=models.F("total")),
                name="industry_within_total",
            ),
        ]
        verbose_name = _("lending figure")
        verbose_name_plural = _("lending figures")

    def __str__(self) -> str:
        return f"{self.jyear}/{self.jmonth:02d} {self.bank_id or 'system'}"
