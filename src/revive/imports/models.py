"""Imports in the background: one ImportJob per uploaded file. (Owners' monthly figures: revive/filings/.)"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from revive.core.scoping import ScopedQuerySet


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
