"""indicators/forecast.py: the year-end forecast, its interval and backtest, the loan pipeline's part."""

import pytest

from revive.indicators import forecast


def test_forecast_interval_and_backtest():
    history = [[10] * 11 + [30], [12] * 11 + [36], [11] * 11 + [33]]
    f = forecast.forecast(actual=88, elapsed=8.0, history=history)
    assert f.low <= f.point <= f.high
    assert 130 < f.point < 160  # the Esfand surge is expected, not a straight line
    rows = forecast.backtest({1401: history[0], 1402: history[1], 1403: history[2]})
    assert len(rows) == 2 * 11 and all(r["outcome"] for r in rows)
    assert forecast.backtest_summary(rows)["mape"] < 0.2


def test_forecast_with_pipeline_replaces_part_of_the_remaining_months():
    history = [[10] * 12] * 3
    pipe = forecast.Pipeline([forecast.Stage("in progress", 20, 0.5)], share_of_remaining=0.5)
    f = forecast.forecast(actual=60, elapsed=6.0, history=history, pipeline=pipe)
    assert f.pipeline_expected == 10 and f.point == pytest.approx(60 + 30 + 10)
