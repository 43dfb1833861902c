"""Telling the person who started an import or a plan run that it finished (once per job)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from revive.notices.models import Kind
from revive.notices.services import message, notify


def tell_plan_run_finished(run) -> int:
    if run.author_id is None or run.status not in ("done", "failed"):
        return 0
    text = (
        _("Your plan run #%(id)s is ready.")
        if run.status == "done"
        else _("Your plan run #%(id)s failed; its page says why.")
    )
    made = notify(
        recipients=[run.author],
        kind=Kind.JOB_FINISHED,
        event=f"planrun:{run.pk}:finished",
        text=message(text, id=run.pk),
        url=reverse("web:plan_run", args=[run.pk]),
        obj=run,
    )
    return len(made)


IMPORT_TEXTS = {
    "ready": _("Your file %(file)s is checked: confirm it to import."),
    "nothing": _("Your file %(file)s is checked: nothing in it is new."),
    "rejected": _("Your file %(file)s was not imported: its page lists what to correct."),
    "done": _("Your file %(file)s is imported."),
    "failed": _("The import of your file %(file)s failed; nothing was written."),
}


def tell_import_finished(job) -> int:
    text = IMPORT_TEXTS.get(job.status)
    if text is None:
        return 0
    made = notify(
        recipients=[job.user],
        kind=Kind.JOB_FINISHED,
        event=f"import:{job.pk}:{job.status}",
        text=message(text, file=job.filename[:80]),
        url=reverse("web:import_job", args=[job.pk]),
        obj=job,
    )
    return len(made)
