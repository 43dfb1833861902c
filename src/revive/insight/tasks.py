"""The monthly retraining, run by the worker (revive worker) on the 12th of each Iranian month at night:
the filings of the month before were due on the 10th."""

from django_tasks import task


@task()
def retrain() -> dict:
    """Retrain the early-warning model and re-estimate the effects of interventions on the database."""
    from revive.insight.services import attribution_retrain, risk_retrain

    risk = risk_retrain(by="worker")
    effects = attribution_retrain(by="worker")
    return {"risk_run": risk.pk, "attribution_run": effects.pk, "auc": risk.backtest.get("auc")}
