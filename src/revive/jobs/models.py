"""What the scheduler has already started: one row per periodic job and period, so two workers (or a
restart) never start the same day's deadline pass or the same month's report twice."""

from django.db import models


class ScheduledRun(models.Model):
    name = models.CharField(max_length=40)
    period = models.CharField(max_length=40)  # "2026-11-30", "1405-09", "2026-11-30T10:05"
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "period"], name="one_scheduled_run_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.period}"
