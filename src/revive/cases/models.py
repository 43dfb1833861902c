"""Revival cases: diagnosis (obstacles), workgroup meetings and resolutions, field visits."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from revive.core.scoping import ScopedQuerySet


class CaseState(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    DIAGNOSED = "diagnosed", _("Diagnosed")
    IN_PROGRESS = "in_progress", _("In progress")
    REVIVED = "revived", _("Revived (verified)")
    SUSTAINED = "sustained", _("Sustained")
    RELAPSED = "relapsed", _("Relapsed")
    CLOSED = "closed", _("Closed as not revivable")


OPEN_STATES = (CaseState.IDENTIFIED, CaseState.DIAGNOSED, CaseState.IN_PROGRESS)


class Case(models.Model):
    class Origin(models.TextChoices):
        FILING = "filing", _("Opened from monthly filings")
        OFFICER = "officer", _("Opened by an officer")

    unit = models.ForeignKey("registry.ProductionUnit", on_delete=models.PROTECT, related_name="cases")
    province = models.ForeignKey("registry.Province", on_delete=models.PROTECT, editable=False)
    park = models.ForeignKey("registry.IndustrialPark", on_delete=models.PROTECT, editable=False)
    state = models.CharField(
        _("state"), max_length=12, choices=CaseState.choices, default=CaseState.IDENTIFIED
    )
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices)
    opened_on = models.DateField(_("opened on"))
    band_at_opening = models.CharField(max_length=10)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("officer")
    )
    revived_on = models.DateField(_("revived on"), null=True, blank=True)
    jobs_restored = models.PositiveIntegerField(default=0)
    closed_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking: a stale save is refused
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE = {"province": "province_id", "park": "park_id", "unit": "unit_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(state__in=OPEN_STATES), name="one_open_case_per_unit"
            )
        ]
        indexes = [
            models.Index(fields=["province", "state"]),
            # the case list, newest first: its first page read from the index instead of sorting every case
            models.Index(fields=["-opened_on", "-id"], name="case_opened_idx"),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return f"#{self.pk} {self.unit.business_id}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class CaseEvent(models.Model):
    """The case's timeline: transitions and everything done on it, with who and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    on = models.DateField()  # the business date (a visit's date, a meeting's date), for the Jalali timeline
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=30)  # transition, obstacle_add, obstacle_update, resolution, visit ...
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    text = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["on", "at", "id"]
        # the forecast reads past transitions by kind and date across all cases
        indexes = [models.Index(fields=["kind", "on"])]

    def __str__(self) -> str:
        return f"{self.on} {self.kind} {self.text[:40]}"


class ObstacleKind(models.TextChoices):
    WORKING_CAPITAL = "working_capital", _("Working capital")
    RAW_MATERIALS = "raw_materials", _("Raw materials")
    MARKET = "market", _("Market")
    MACHINERY = "machinery", _("Machinery and technology")
    BANK_DEBT = "bank_debt", _("Bank debt")
    TAX_DEBT = "tax_debt", _("Tax debt")
    SOCIAL_SECURITY_DEBT = "social_security_debt", _("Social-security debt")
    ELECTRICITY = "electricity", _("Electricity")
    GAS = "gas", _("Gas")
    WATER = "water", _("Water")
    ROAD_LAND = "road_land", _("Road or land")
    PERMIT = "permit", _("Permit or licence")
    DISPUTE = "dispute", _("Partner or ownership dispute")
    SANCTIONS = "sanctions", _("Sanctions and imports")
    MANAGEMENT = "management", _("Management")


MONEY_OBSTACLES = frozenset(
    {
        ObstacleKind.WORKING_CAPITAL,
        ObstacleKind.BANK_DEBT,
        ObstacleKind.TAX_DEBT,
        ObstacleKind.SOCIAL_SECURITY_DEBT,
        ObstacleKind.MACHINERY,
        ObstacleKind.RAW_MATERIALS,
    }
)
# Infrastructure obstacles and the park utility each depends on.
INFRASTRUCTURE_OBSTACLES = {
    ObstacleKind.ELECTRICITY: "electricity",
    ObstacleKind.GAS: "gas",
    ObstacleKind.WATER: "water",
    ObstacleKind.ROAD_LAND: "road",
}


class Obstacle(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        REMOVED = "removed", _("Removed")
        CANNOT_REMOVE = "cannot_remove", _("Cannot be removed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="obstacles")
    province = models.ForeignKey("registry.Province", on_delete=models.PROTECT, editable=False)
    kind = models.CharField(_("obstacle"), max_length=24, choices=ObstacleKind.choices)
    organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("organisation that can remove it"),
    )
    amount = models.BigIntegerField(_("estimated amount (rials)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.OPEN)
    infrastructure = models.ForeignKey(
        "registry.ParkInfrastructure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("park infrastructure it depends on"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    SCOPE = {"province": "province_id", "park": "case__park_id", "unit": "case__unit_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["case", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="obstacle_amount_not_negative"
            )
        ]
        # the open infrastructure obstacles of the projects page, without reading every obstacle
        indexes = [models.Index(fields=["status", "kind"], name="obstacle_status_kind_idx")]
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (#{self.case_id})"


class Meeting(models.Model):
    """A session of the provincial production facilitation and obstacle-removal workgroup."""

    province = models.ForeignKey("registry.Province", on_delete=models.PROTECT)
    number = models.PositiveIntegerField(_("meeting number"))
    held_on = models.DateField(_("date"))
    attendees = models.ManyToManyField("registry.Organisation", blank=True, verbose_name=_("attendees"))
    cases = models.ManyToManyField(Case, blank=True, related_name="meetings", verbose_name=_("agenda"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    SCOPE = {"province": "province_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-number"]
        unique_together = [("province", "number")]
        # the meetings of a period (the execution page: this year's resolutions by their meeting's date)
        indexes = [models.Index(fields=["held_on", "id"], name="meeting_held_idx")]
        verbose_name = _("workgroup meeting")
        verbose_name_plural = _("workgroup meetings")

    def __str__(self) -> str:
        return f"{self.province.code} #{self.number}"


class Resolution(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        NOT_DONE = "not_done", _("Not done")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="resolutions")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="resolutions"
    )
    province = models.ForeignKey("registry.Province", on_delete=models.PROTECT, editable=False)
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, verbose_name=_("addressee")
    )
    text = models.TextField(_("resolution"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    escalated = models.BooleanField(_("escalated to the national level"), default=False)
    response = models.CharField(_("response"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    # Banks see what is addressed to them in any province; agencies only in their own province.
    SCOPE = {
        "province": "province_id",
        "bank": "organisation_id",
        "agency": "organisation_id",
        "park": "case__park_id",
        "unit": "case__unit_id",
    }
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["province", "status", "deadline"]),
            models.Index(fields=["organisation", "status"]),
            # the national list (status, deadline order), the overdue board and the escalated count
            models.Index(fields=["status", "deadline", "id"], name="resolution_status_deadline_idx"),
            # the execution page's counts: a period's meetings, then each one's resolutions from the index alone
            models.Index(
                fields=["meeting", "organisation", "province", "status", "deadline"],
                name="resolution_meeting_count_idx",
            ),
        ]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")

    def __str__(self) -> str:
        return f"{self.meeting} / {self.pk}"


class FieldVisit(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visits")
    province = models.ForeignKey("registry.Province", on_delete=models.PROTECT, editable=False)
    visited_on = models.DateField(_("date of visit"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    inspector_name = models.CharField(_("inspector"), max_length=120)
    findings = models.TextField(_("findings"))
    capacity_observed = models.PositiveSmallIntegerField(_("capacity observed (%)"))
    employees_observed = models.PositiveIntegerField(_("employees observed"), null=True, blank=True)
    verifies_revival = models.BooleanField(_("verifies the revival"), default=False)

    SCOPE = {"province": "province_id", "park": "case__park_id", "unit": "case__unit_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")

    def __str__(self) -> str:
        return f"{self.visited_on} #{self.case_id}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(FieldVisit, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="visits/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()

    SCOPE = {"province": "visit__province_id", "park": "visit__case__park_id", "unit": "visit__case__unit_id"}
    objects = ScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return self.image.name
