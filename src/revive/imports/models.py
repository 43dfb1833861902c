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
        SUPERSEDED = "superseded", _("Replaced by a newer version")

    class Source(models.TextChoices):
        PAGE = "page", _("Monthly filing page")
        API = "api", _("Statistics system (API)")

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
    # Every figure sent for a unit's month is kept: version 1, 2, ... (imports/filing_versions.py);
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


class ImportJob(models.Model):
    """One uploaded file on its way in: checked in the background, confirmed by its uploader, written.

    The file waits in var/imports/ (readable by the server only) between check and confirm; it is
    deleted when the job ends and after a day at the latest. Only the uploader sees a job.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking the file")
        READY = "ready", _("Checked: waiting for your confirmation")
        REJECTED = "rejected", _("Not imported: the file has errors")
        NOTHING = "nothing", _("Nothing to import")
        WRITING = "writing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    FINISHED = (Status.REJECTED, Status.NOTHING, Status.DONE, Status.FAILED, Status.EXPIRED)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(
        "registry.Province", null=True, blank=True, on_delete=models.PROTECT, editable=False
    )  # the uploader's province (empty for national staff): the scope the file is checked against
    kind = models.CharField(_("kind"), max_length=20)
    filename = models.CharField(_("file"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    progress = models.PositiveSmallIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)  # rows, new, changed, unchanged
    errors = models.JSONField(default=list, blank=True)  # [{row, column, value, message: {fa, en}}]
    truncated = models.BooleanField(default=False)
    changes = models.JSONField(default=list, blank=True)  # the first rows that are new or changed
    message = models.JSONField(default=dict, blank=True)  # {fa, en}: why the file was refused or failed
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    SCOPE = {"province": "province_id"}
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"]), models.Index(fields=["status", "updated_at"])]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"import #{self.pk} {self.kind} {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.WRITING)
