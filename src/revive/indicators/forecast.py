"""Year-end forecasts of a monthly flow: seasonal run-rate plus the pipeline, with an 80% interval.

Plain Python on monthly counts (no Django), so the backtest can replay any month of a past year with
only what was known then: the months before it and the years before that.

The base estimate of what is still to come blends two views, weighted by how much of a typical
year's volume has already been seen (w): this year's pace scaled by the seasonal shape of past years
(revivals lean towards Esfand), and the average of the same remaining months in past years. A
pipeline (cases in progress by stage, loans introduced) replaces the share of the remaining months
that past years drew from cases already open at the same point.
"""

import math
from dataclasses import dataclass, field

Z80 = 1.2816  # two-sided 80%: the 10th and 90th percentiles of a normal
HISTORY_YEARS = 5
DEFAULT_CV = 0.25  # spread of the base estimate when there are too few past years to measure it
MIN_CV = 0.08


@dataclass(frozen=True)
class Stage:
    label: str
    count: int
    probability: float  # of converting before the year ends, from past years

    @property
    def expected(self) -> float:
        return self.count * self.probability


@dataclass(frozen=True)
class Pipeline:
    stages: list[Stage] = field(default_factory=list)
    # Of what past years added after this point, the share that came from what was already in the pipeline.
    share_of_remaining: float = 0.0
    per_item: float = 1.0  # e.g. jobs per revived unit, when forecasting jobs from a pipeline of units

    @property
    def expected(self) -> float:
        return sum(s.expected for s in self.stages) * self.per_item

    @property
    def variance(self) -> float:
        return sum(s.count * s.probability * (1 - s.probability) for s in self.stages) * self.per_item**2


@dataclass(frozen=True)
class Forecast:
    actual: float  # year to date
    point: float
    low: float
    high: float
    base_remaining: float
    pipeline_expected: float
    elapsed: float  # months of the year elapsed, e.g. 8.1
    years_of_history: int


def _cumulative(months: list[float], elapsed: float) -> float:
    """What a year had reached after `elapsed` months (a fraction of the current month pro rata)."""
    whole = int(elapsed)
    part = elapsed - whole
    done = sum(months[:whole])
    if part and whole < 12:
        done += months[whole] * part
    return done


def _base_remaining(actual: float, elapsed: float, history: list[list[float]]) -> float:
    if elapsed >= 12:
        return 0.0
    if not history:
        # No past year: this year's pace, evenly over the months left.
        return actual / elapsed * (12 - elapsed) if elapsed > 0 else 0.0
    shares, remaining = [], []
    for months in history:
        total = sum(months)
        if total <= 0:
            continue
        done = _cumulative(months, elapsed)
        shares.append(done / total)
        remaining.append(total - done)
    if not shares:
        return 0.0
    w = sum(shares) / len(shares)
    prior = sum(remaining) / len(remaining)
    pace = actual * (1 - w) / w if w > 0 else prior
    return w * pace + (1 - w) * prior


def base_cv(elapsed: float, history: list[list[float]]) -> float:
    """Spread of the base estimate, measured by replaying it on each past year with the years before it."""
    errors = []
    for i in range(1, len(history)):
        months = history[i]
        past = history[max(0, i - HISTORY_YEARS) : i]
        actual_remaining = sum(months) - _cumulative(months, elapsed)
        predicted = _base_remaining(_cumulative(months, elapsed), elapsed, past)
        if predicted > 0:
            errors.append(actual_remaining / predicted - 1)
    if len(errors) < 2:
        return DEFAULT_CV
    mean = sum(errors) / len(errors)
    sd = math.sqrt(sum((e - mean) ** 2 for e in errors) / (len(errors) - 1))
    return max(sd, MIN_CV)


def forecast(
    *, actual: float, elapsed: float, history: list[list[float]], pipeline: Pipeline | None = None
) -> Forecast:
    """Year-end forecast of a flow that reached `actual` after `elapsed` months; `history` is the
    monthly series of past years, oldest first."""
    history = history[-HISTORY_YEARS:]
    elapsed = min(max(elapsed, 0.0), 12.0)
    base = _base_remaining(actual, elapsed, history)
    cv = base_cv(elapsed, history)
    pipe_expected = pipe_var = 0.0
    share = 0.0
    if pipeline is not None and pipeline.stages and elapsed < 12:
        share = min(max(pipeline.share_of_remaining, 0.0), 1.0)
        pipe_expected, pipe_var = pipeline.expected, pipeline.variance
    rest = base * (1 - share)
    remaining = rest + pipe_expected
    sigma = math.sqrt((rest * cv) ** 2 + pipe_var)
    low = actual + max(0.0, remaining - Z80 * sigma)
    high = actual + remaining + Z80 * sigma
    return Forecast(
        actual=actual,
        point=actual + remaining,
        low=low,
        high=high,
        base_remaining=base,
        pipeline_expected=pipe_expected,
        elapsed=elapsed,
        years_of_history=len(history),
    )


def backtest(series: dict[int, list[float]], *, min_history: int = 1) -> list[dict]:
    """For each month-end of each past year with enough history: what the forecast said, and what happened."""
    rows = []
    years = sorted(series)
    for i, year in enumerate(years):
        past = [series[y] for y in years[:i]]
        if len(past) < min_history:
            continue
        total = sum(series[year])
        for month in range(1, 12):
            f = forecast(actual=sum(series[year][:month]), elapsed=float(month), history=past)
            rows.append(
                {
                    "year": year,
                    "month": month,
                    "actual_to_date": f.actual,
                    "forecast": f.point,
                    "low": f.low,
                    "high": f.high,
                    "outcome": total,
                    "error": (f.point - total) / total if total else None,
                    "covered": f.low <= total <= f.high,
                }
            )
    return rows


def backtest_summary(rows: list[dict]) -> dict:
    """Mean absolute percentage error by month of the year, and how often the 80% interval held the outcome."""
    by_month: dict[int, list[dict]] = {}
    for r in rows:
        by_month.setdefault(r["month"], []).append(r)
    months = []
    for m in sorted(by_month):
        errs = [abs(r["error"]) for r in by_month[m] if r["error"] is not None]
        months.append(
            {
                "month": m,
                "mape": sum(errs) / len(errs) if errs else None,
                "coverage": sum(r["covered"] for r in by_month[m]) / len(by_month[m]),
            }
        )
    errs = [abs(r["error"]) for r in rows if r["error"] is not None]
    return {
        "mape": sum(errs) / len(errs) if errs else None,
        "coverage": sum(r["covered"] for r in rows) / len(rows) if rows else None,
        "by_month": months,
    }
