"""The engine on small generated panels with known truths (no database)."""

import json

import numpy as np
import pytest

from revive.insight.engine import cli, generate
from revive.insight.engine.attribution import estimate
from revive.insight.engine.features import FeatureBuilder
from revive.insight.engine.panel import load_panel, write_panel
from revive.insight.engine.risk import backtest


def test_attribution_interval_covers_the_planted_effect():
    panel = generate.attribution_panel(1500, 40, effect=0.2, seed=11)
    e = estimate(panel, "working_capital")
    assert e.ci_low <= 0.2 <= e.ci_high
    assert e.ci_low > 0  # and tells it apart from nothing
    assert e.pretrend_ok is True
    assert e.units_treated > 300 and e.net_jobs > 0 and e.cost_per_net_job_rials > 0


def test_attribution_without_effect_covers_zero():
    panel = generate.attribution_panel(1500, 40, effect=0.0, seed=12)
    e = estimate(panel, "working_capital")
    assert e.ci_low <= 0 <= e.ci_high
    assert e.cost_per_net_job_rials is None or e.net_jobs > 0


def test_attribution_says_when_too_few_units_were_treated():
    panel = generate.attribution_panel(200, 30, treated_share=0.05, seed=3)
    e = estimate(panel, "working_capital")
    assert e.note == "too_few_treated" and e.att_producing is None
    assert estimate(panel, "infrastructure").units_treated == 0


def test_pretrends_fail_when_treated_units_were_already_recovering():
    panel = generate.attribution_panel(1500, 40, effect=0.0, seed=13)
    # units picked for treatment because they were already on the way up: a rising trend before g
    g = np.full(panel.n_units, -1)
    g[panel.iv_unit] = panel.iv_month
    t = np.arange(panel.n_months)[None, :]
    treated = g >= 0
    rising = treated[:, None] & (t >= g[:, None] - 8)
    rng = np.random.default_rng(0)
    flip = (
        rising & (rng.random(panel.band.shape) < 0.03 * np.clip(t - g[:, None] + 9, 0, 9)) & (panel.band == 0)
    )
    panel.band[flip] = 2
    e = estimate(panel, "working_capital")
    assert e.pretrend_ok is False and e.note == "pretrends_fail"


def test_risk_model_beats_the_office_rule_when_decline_shows_first():
    panel = generate.risk_panel(1500, 40, precursor=True, seed=5)
    bt = backtest(panel, 6, fb=FeatureBuilder(panel), min_train_months=10, max_test_months=24, refit_every=12)
    assert bt.months_tested >= 15
    assert bt.auc > bt.baseline_auc + 0.05
    assert bt.precision_at_5pct > 3 * bt.base_rate
    assert bt.median_lead_months >= 2
    # trained on every stop and a share of the rest, yet on the true scale once calibrated: the mean
    # predicted probability is the base rate within a quarter of it
    mean_predicted = sum(d["predicted"] * d["rows"] for d in bt.calibration) / bt.rows
    assert abs(mean_predicted / bt.base_rate - 1) < 0.25


def test_boosting_finds_a_precursor_that_is_only_in_a_combination_of_two_signs():
    # a slide and arrears that agree before a stop and are independent elsewhere: adding the signs up (the
    # logistic regression, on the same features) finds little; the trees see them together
    panel = generate.risk_panel(1500, 40, precursor="interaction", seed=5)
    bt = backtest(panel, 6, fb=FeatureBuilder(panel), min_train_months=10, max_test_months=24, refit_every=12)
    assert bt.logit_auc < 0.62
    assert bt.auc > bt.logit_auc + 0.08
    assert bt.auc > bt.baseline_auc + 0.08


def test_open_obstacles_are_read_when_the_panel_has_them(tmp_path):
    # the only warning is in the optional obstacles column: the model finds it through the files
    panel = generate.risk_panel(1500, 40, precursor="obstacles", seed=5)
    write_panel(panel, tmp_path)
    again = load_panel(tmp_path)
    assert np.array_equal(np.isnan(again.obstacles), np.isnan(panel.obstacles))
    kw = dict(min_train_months=10, max_test_months=24, refit_every=12)
    bt = backtest(again, 6, fb=FeatureBuilder(again), **kw)
    assert bt.auc > bt.baseline_auc + 0.1 and bt.auc > 0.75
    # the same panel without the column: nothing to go on, and no failure on a feature nobody recorded
    again.obstacles[:] = np.nan
    blind = backtest(again, 6, fb=FeatureBuilder(again), **kw)
    assert blind.auc < bt.auc - 0.1


def test_panel_without_the_optional_columns_reads_them_as_unknown(tmp_path):
    write_panel(generate.risk_panel(50, 14, precursor=False, seed=1), tmp_path)
    months = (tmp_path / "months.csv").read_text().splitlines()
    assert months[0].endswith(",obstacles,park_shortfalls")
    (tmp_path / "months.csv").write_text("\n".join(",".join(line.split(",")[:7]) for line in months) + "\n")
    panel = load_panel(tmp_path)
    assert np.isnan(panel.obstacles).all() and np.isnan(panel.park_shortfalls).all()


def test_risk_model_finds_little_when_stops_come_out_of_the_blue():
    panel = generate.risk_panel(1500, 40, precursor=False, seed=5)
    bt = backtest(panel, 6, fb=FeatureBuilder(panel), min_train_months=10, max_test_months=24, refit_every=12)
    assert bt.auc < 0.7


def test_panel_round_trip(tmp_path):
    panel = generate.attribution_panel(50, 14, seed=1)
    write_panel(panel, tmp_path)
    again = load_panel(tmp_path)
    assert again.unit_ids == panel.unit_ids
    assert (again.band == panel.band).all()
    assert len(again.iv_unit) == len(panel.iv_unit)


def test_risk_command_prints_the_json_the_issue_names(tmp_path, capsys):
    write_panel(generate.risk_panel(400, 30, seed=2), tmp_path)
    assert cli.run_risk(["--panel", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["horizon_months"] == 6
    assert {"months_tested", "auc", "baseline_auc", "logit_auc", "precision_at_5pct", "base_rate",
            "median_lead_months"} <= set(out["backtest"])  # fmt: skip
    probs = [w["probability"] for w in out["watchlist"]]
    assert probs == sorted(probs, reverse=True) and len(probs) > 200
    assert all(set(w) == {"unit_id", "probability", "reasons"} for w in out["watchlist"])
    assert any(w["reasons"] for w in out["watchlist"][:10])


def test_attribute_command_prints_every_kind(tmp_path, capsys):
    write_panel(generate.attribution_panel(400, 30, seed=2), tmp_path)
    assert cli.run_attribute(["--panel", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [e["kind"] for e in out["effects"]] == [
        "working_capital",
        "fixed_capital",
        "infrastructure",
        "resolution",
    ]
    keys = {"kind", "att_producing", "ci_low", "ci_high", "pretrend_ok", "units_treated", "net_jobs",
            "cost_per_net_job_rials"}  # fmt: skip
    assert all(keys <= set(e) for e in out["effects"])


@pytest.mark.parametrize(
    "file, text, row, column",
    [
        (
            "months.csv",
            "unit_id,month,band,utilisation,filed,filed_late,arrears\nU00000,1400/01,busy,50,1,0,0\n",
            2,
            "band",
        ),
        (
            "months.csv",
            "unit_id,month,band,utilisation,filed,filed_late,arrears\nU00000,1400/01,idle,0,1,0,0\nU00000,1400/13,idle,0,1,0,0\n",
            3,
            "month",
        ),
        (
            "months.csv",
            "unit_id,month,band,utilisation,filed,filed_late,arrears\nU00000,1400/01,gt70,140,1,0,0\n",
            2,
            "utilisation",
        ),
        (
            "months.csv",
            "unit_id,month,band,utilisation,filed,filed_late,arrears\nNOPE,1400/01,gt70,80,1,0,0\n",
            2,
            "unit_id",
        ),
        ("months.csv", "unit_id,month,band,utilisation,filed,filed_late\n", 1, "arrears"),
        (
            "months.csv",
            "unit_id,month,band,utilisation,filed,filed_late,arrears\nU00000,1400/01,gt70,80,1,0,0\n"
            "U00001,1400/01,gt70,80,1\n",
            3,
            "filed_late",
        ),
        (
            "months.csv",
            "unit_id,month,band,utilisation,filed,filed_late,arrears\nU00000,1400/01,gt70,80,yes,0,0\n",
            2,
            "filed",
        ),
        (
            "months.csv",
            "unit_id,month,band,utilisation,filed,filed_late,arrears,obstacles\nU00000,1400/01,gt70,80,1,0,0,-1\n",
            2,
            "obstacles",
        ),
        (
            "months.csv",
            "unit_id,month,band,utilisation,filed,filed_late,arrears,obstacles\nU00000,1400/01,gt70,80,1,0,0,\n"
            "U00001,1400/01,gt70,80,1,0,0,1.5\n",
            3,
            "obstacles",
        ),
        (
            "months.csv",
            "unit_id,month,band,utilisation,filed,filed_late,arrears,park_shortfalls\n"
            "U00000,1400/01,gt70,80,1,0,0,7\n",
            2,
            "park_shortfalls",
        ),
        (
            "months.csv",
            "unit_id,month,band,utilisation,filed,filed_late,arrears,park_shortfalls\n"
            "U00000,1400/01,gt70,80,1,0,0,gas\n",
            2,
            "park_shortfalls",
        ),
        ("units.csv", "unit_id,province,sector,size_class,jobs\nU00000,IR-01,10,huge,5\n", 2, "size_class"),
        ("units.csv", "unit_id,province,sector,size_class,jobs\nU00000,IR-01,10,small,-5\n", 2, "jobs"),
        ("interventions.csv", "unit_id,month,kind,amount_rials\nU00000,1400/02,gift,5\n", 2, "kind"),
        (
            "interventions.csv",
            "unit_id,month,kind,amount_rials\nU00000,1400/02,resolution,1.5\n",
            2,
            "amount_rials",
        ),
    ],
)
def test_bad_files_exit_2_with_file_row_and_column(tmp_path, capsys, file, text, row, column):
    write_panel(generate.attribution_panel(3, 14, seed=1), tmp_path)
    if file == "units.csv":  # keep the other files consistent with the one unit
        text += "".join(f"U{i:05d},IR-01,10,small,5\n" for i in range(1, 3))
    (tmp_path / file).write_text(text)
    assert cli.run_attribute(["--panel", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert file in err and f"row {row}" in err and f"column {column}" in err


def test_fits_spread_over_processes_give_the_same_results():
    from revive.insight.engine.risk import backtest_and_watchlist

    panel = generate.risk_panel(600, 36, precursor=True, seed=8)
    one = backtest_and_watchlist(panel, 6, jobs=1, max_test_months=12, refit_every=6)
    two = backtest_and_watchlist(panel, 6, jobs=2, max_test_months=12, refit_every=6)
    assert one[0].months_tested == two[0].months_tested == 12  # two fits of six months each
    for name in ("auc", "baseline_auc", "logit_auc", "precision_at_5pct", "median_lead_months", "events"):
        assert getattr(one[0], name) == getattr(two[0], name), name
    assert [(i.unit, i.probability) for i in one[1]] == [(i.unit, i.probability) for i in two[1]]
    assert [[r.group for r in i.reasons] for i in one[1]] == [[r.group for r in i.reasons] for i in two[1]]


def test_estimates_spread_over_processes_give_the_same_results():
    from revive.insight.engine.attribution import attribute

    panel = generate.attribution_panel(400, 30, effect=0.2, treated_share=0.4, seed=2)
    one, _, _ = attribute(panel, jobs=1)
    two, _, _ = attribute(panel, jobs=2)
    assert [e.as_json() for e in one] == [e.as_json() for e in two]
    assert one[0].kind == "working_capital" and one[0].att_producing is not None


def test_a_month_without_a_record_says_nothing_however_the_panel_was_built(tmp_path):
    # the database's panel once kept arrears (an instalment due while the unit was closed) and park figures
    # in months without a record, which the files cannot hold: the model page said AUC 0.8581 where the
    # same data through the files gave 0.8564
    panel = generate.risk_panel(30, 14, precursor="obstacles", seed=1)
    panel.band[:5, :3] = -1
    panel.arrears[:5, :3] = 1
    panel.park_shortfalls[:] = 2
    again = type(panel)(**{k: getattr(panel, k) for k in panel.__dataclass_fields__})
    assert (again.arrears[:5, :3] == 0).all() and np.isnan(again.park_shortfalls[:5, :3]).all()
    write_panel(again, tmp_path)
    read = load_panel(tmp_path)
    again.utilisation = np.round(again.utilisation)  # the files hold whole percentages
    for name in ("band", "utilisation", "filed", "late", "arrears", "obstacles", "park_shortfalls"):
        assert np.array_equal(getattr(read, name), getattr(again, name), equal_nan=True), name


def test_a_harmless_value_the_trees_lean_on_is_not_given_as_a_reason():
    # units that will stop sit in parks with nothing short, the others in parks short of two utilities:
    # the trees lean on "0 short", which no officer would read as a trouble
    from revive.insight.engine.risk import explain, watchlist

    panel = generate.risk_panel(600, 30, precursor=True, seed=5)
    stops = (panel.band == 0).any(axis=1)
    panel.park_shortfalls[:] = np.where(stops, 0, 2)[:, None]
    items, model = watchlist(panel, 6)
    fb = FeatureBuilder(panel)
    rows = fb.eligible(panel.n_months - 1)
    _, why = explain(model, fb.at(panel.n_months - 1, rows))
    leaned = {int(rows[i]) for i, groups in enumerate(why) if "park" in [g for g, _ in groups]}
    assert leaned & set(np.nonzero(stops)[0].tolist())  # the trees did lean on it for units in such parks
    park = [r for item in items for r in item.reasons if r.group == "park"]
    assert all(r.values["shortfalls"] > 0 for r in park)


def test_every_reason_on_the_watch_list_weighs_a_tenth_of_the_first_at_least():
    from revive.insight.engine.risk import watchlist

    items, _ = watchlist(generate.risk_panel(800, 30, precursor=True, seed=3), 6)
    weights = [[r.weight for r in item.reasons] for item in items if item.reasons]
    assert weights and all(w >= ws[0] * 0.1 for ws in weights for w in ws)
    assert all(ws == sorted(ws, reverse=True) for ws in weights)
