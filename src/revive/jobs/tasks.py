"""Housekeeping the worker runs every hour."""

from django_tasks import task


@task()
def sweep() -> dict:
    """Expire unconfirmed import files, fail imports and plan runs whose process is long gone."""
    from revive.imports.tasks import sweep as sweep_imports
    from revive.planning.tasks import fail_stale

    return {"imports": sweep_imports(), "plan_runs": fail_stale()}
