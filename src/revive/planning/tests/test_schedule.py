"""The year plan (issue 19): every schedule the engine returns is checked by an independent checker, and on
tiny instances brute force confirms the engine's optimum."""

from __future__ import annotations

import itertools
import json
import random
import time

import pytest

from revive.planning.engine.cli import run
from revive.planning.engine.generate import schedule_instance
from revive.planning.engine.io import InstanceError, load_periods, write_instance, write_periods
from revive.planning.engine.model import Budgets, Instance, Project, Unit
from revive.planning.engine.schedule import Periods, solve_schedule

from .schedule_checker import check_schedule


def tiny(seed: int) -> tuple[Instance, Periods]:
    rng = random.Random(seed)
    n_proj = rng.randint(1, 3)
    projects = [
        Project(f"p{j}", cost=rng.randint(0, 6), duration_months=rng.randint(0, 2), province=rng.choice("AB"))
        for j in range(n_proj)
    ]
    units = []
    for i in range(rng.randint(3, 4)):
        need = tuple(sorted(rng.sample([p.id for p in projects], k=rng.randint(0, min(2, n_proj)))))
        loan = rng.choice([0, 0, 2, 3, 4, 5])
        units.append(
            Unit(
                f"u{i}",
                value=float(rng.randint(1, 9)),
                loan_amount=loan,
                province=rng.choice("AB"),
                banks=tuple(sorted(rng.sample(["b1", "b2"], k=rng.randint(0, 2)))) if loan else (),
                projects=need,
            )
        )
    budgets = Budgets()
    if rng.random() < 0.6:
        budgets.bank_credit = {"b1": rng.randint(2, 8), "b2": rng.randint(0, 6)}
    if rng.random() < 0.4:
        budgets.infra_by_province = {"A": rng.randint(0, 8)}
    if rng.random() < 0.3:
        budgets.total = rng.randint(5, 15)
    months = 3
    periods = Periods(
        loan=[rng.randint(0, 6) for _ in range(months)], infra=[rng.randint(0, 6) for _ in range(months)]
    )
    return Instance(units=units, projects=projects, budgets=budgets), periods


def brute_force(instance: Instance, periods: Periods, objective: str) -> float:
    """The best objective over every schedule: each unit in month 0 (not revived) .. N, each project it
    needs started in any month, every eligible bank; each candidate judged by the independent checker."""
    N = periods.months
    projects = {p.id: p for p in instance.projects}
    b = instance.budgets
    bank_rows = sorted(set(b.bank_credit) or {k for k, _ in b.bank_province_quota})
    best = 0.0
    for months in itertools.product(range(N + 1), repeat=len(instance.units)):
        revived = [(u, t) for u, t in zip(instance.units, months, strict=True) if t]
        needed = sorted({p for u, _ in revived for p in u.projects})
        bank_choices = [
            [b_ for b_ in bank_rows if not u.banks or b_ in u.banks]
            if u.loan_amount and bank_rows
            else [None]
            for u, _ in revived
        ]
        for starts in itertools.product(range(1, N + 1), repeat=len(needed)):
            for banks in itertools.product(*bank_choices):
                schedule = {
                    "units": [
                        {"unit_id": u.id, "month": t, "bank": bank}
                        for (u, t), bank in zip(revived, banks, strict=True)
                    ],
                    "projects": [
                        {"project_id": p, "start_month": s} for p, s in zip(needed, starts, strict=True)
                    ],
                }
                errors, value = check_schedule(instance, periods.loan, periods.infra, schedule, objective)
                if not errors and value > best:
                    best = value
    assert all(p in projects for p in needed)
    return best


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("objective", ["job-months", "units", "jobs"])
def test_engine_finds_the_brute_force_optimum_and_the_checker_accepts_it(seed, objective):
    instance, periods = tiny(seed)
    s = solve_schedule(instance, periods, objective=objective, time_limit=5, baselines=False)
    errors, value = check_schedule(instance, periods.loan, periods.infra, s.as_json()["schedule"], objective)
    assert errors == []
    assert value == pytest.approx(s.objective)
    best = brute_force(instance, periods, objective)
    assert s.objective == pytest.approx(best)
    assert s.bound >= best - 1e-6 and s.status == "optimal"


def test_a_project_makes_its_units_wait_for_its_duration():
    # The project takes 2 months: started in month 1 it is done at the end of month 2, the unit restarts in 3.
    inst = Instance(
        units=[Unit("u", value=10, projects=("p",))], projects=[Project("p", cost=5, duration_months=2)]
    )
    s = solve_schedule(inst, Periods(loan=[0, 0, 0, 0], infra=[5, 0, 0, 0]), time_limit=5)
    assert s.units == [{"unit_id": "u", "month": 3, "bank": None}]
    assert s.projects == [{"project_id": "p", "start_month": 1}]
    assert s.objective == 10 * (4 - 3 + 1)


def test_duration_zero_counts_in_its_own_month_and_money_carries_forward_only():
    inst = Instance(
        units=[Unit("u", value=1, loan_amount=6, projects=("p",))],
        projects=[Project("p", cost=4, duration_months=0)],
    )
    # Loan money: 3 in month 1 and 3 in month 2; the loan (6) can only be paid in month 2 (carry-over forward).
    s = solve_schedule(inst, Periods(loan=[3, 3, 0], infra=[4, 0, 0]), time_limit=5)
    assert s.units == [{"unit_id": "u", "month": 2, "bank": None}] and s.projects[0]["start_month"] <= 2
    # Money released later never pays for an earlier month.
    s = solve_schedule(inst, Periods(loan=[0, 0, 6], infra=[0, 0, 4]), time_limit=5)
    assert s.units == [{"unit_id": "u", "month": 3, "bank": None}]


def test_job_months_prefer_an_early_small_unit_to_a_late_big_one_when_it_is_worth_more():
    # Money for one loan in month 1 and another in month 3; A (5 jobs) x 3 months beats B (6 jobs) x 1 month early.
    inst = Instance(units=[Unit("A", value=5, loan_amount=4), Unit("B", value=6, loan_amount=8)], projects=[])
    s = solve_schedule(inst, Periods(loan=[4, 0, 4], infra=[0, 0, 0]), time_limit=5)
    assert {u["unit_id"]: u["month"] for u in s.units} == {"B": 3} or s.objective == 15
    errors, value = check_schedule(inst, [4, 0, 4], [0, 0, 0], s.as_json()["schedule"])
    assert errors == [] and value == s.objective == max(5 * 3, 6 * 1)


def test_generated_provincial_schedule_is_feasible_and_not_worse_than_the_baselines():
    instance, periods = schedule_instance(seed=3, n_units=120, n_projects=40, provinces=2, banks=4)
    s = solve_schedule(instance, periods, time_limit=6)
    errors, value = check_schedule(instance, periods.loan, periods.infra, s.as_json()["schedule"])
    assert errors == [] and value == pytest.approx(s.objective)
    assert set(s.baselines) == {"greedy_by_month", "highs_alone"}
    assert s.objective >= max(s.baselines.values()) - 1e-6
    assert s.bound >= s.objective and 0 <= s.gap < 0.05


GOOD = {
    "units.csv": "unit_id,value,loan_amount,province,banks\nu1,10,50,IR-01,melli\nu2,5,0,IR-01,\n",
    "projects.csv": "project_id,cost,duration_months,province\ngas,100,1,IR-01\n",
    "requirements.csv": "unit_id,project_id\nu2,gas\n",
    "periods.csv": "month,loan_budget,infra_budget\n1,0,100\n2,50,0\n3,0,0\n",
}


def write(tmp_path, files):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_cli_prints_the_json_of_the_issue(tmp_path, capsys):
    d = write(tmp_path, GOOD)
    assert run(["--instance", str(d), "--months", "3", "--time-limit", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"status", "objective", "bound", "gap", "seconds", "schedule", "baselines"} <= set(out)
    assert set(out["baselines"]) == {"greedy_by_month", "highs_alone"}
    assert out["schedule"]["units"] == [
        {"unit_id": "u1", "month": 2, "bank": "melli"},
        {"unit_id": "u2", "month": 2, "bank": None},
    ]
    assert out["schedule"]["projects"] == [{"project_id": "gas", "start_month": 1}]
    assert out["objective"] == 10 * 2 + 5 * 2 and out["status"] == "optimal"


@pytest.mark.parametrize(
    "periods, row, column, words",
    [
        ("month,loan_budget\n1,5\n", 1, "infra_budget", "missing column"),
        ("month,loan_budget,infra_budget\n1,5,x\n", 2, "infra_budget", "not a whole number"),
        ("month,loan_budget,infra_budget\n1,5,1\n1,5,1\n", 3, "month", "twice"),
        ("month,loan_budget,infra_budget\nmehr,5,1\n", 2, "month", "not a month"),
        ("month,loan_budget,infra_budget\n1,-5,1\n", 2, "loan_budget", "negative"),
        ("month,loan_budget,infra_budget\n1,5,1\n3,5,1\n", None, "month", "month 2 is missing"),
    ],
)
def test_bad_periods_exit_2_with_file_row_column_and_reason(tmp_path, capsys, periods, row, column, words):
    d = write(tmp_path, {**GOOD, "periods.csv": periods})
    with pytest.raises(InstanceError) as err:
        load_periods(d, 3)
    assert (err.value.file, err.value.row, err.value.column) == ("periods.csv", row, column)
    assert run(["--instance", str(d), "--months", "3"]) == 2
    msg = capsys.readouterr().err
    assert "periods.csv" in msg and words in msg and f"'{column}'" in msg


def test_cli_without_periods_exits_2(tmp_path, capsys):
    d = write(tmp_path, {k: v for k, v in GOOD.items() if k != "periods.csv"})
    assert run(["--instance", str(d), "--months", "3"]) == 2
    assert "periods.csv" in capsys.readouterr().err


def test_periods_round_trip(tmp_path):
    instance, periods = schedule_instance(seed=1, n_units=30, n_projects=10, provinces=2, banks=2)
    write_instance(instance, tmp_path)
    write_periods(periods, tmp_path)
    assert load_periods(tmp_path, 12) == periods


@pytest.mark.parametrize("seed", range(8))
def test_the_month_by_month_bound_is_above_the_brute_force_optimum(seed):
    from revive.planning.engine.schedule import Problem, months_bound

    instance, periods = tiny(seed)
    for objective in ("job-months", "units"):
        pb = Problem(instance, periods, objective)
        assert months_bound(pb, time.monotonic() + 5) >= brute_force(instance, periods, objective) - 1e-6


def test_large_models_run_in_child_processes_with_the_same_answer(monkeypatch):
    from revive.planning.engine import schedule

    monkeypatch.setattr(schedule, "MONTH_BOUND_FROM_COLUMNS", 0)  # every model counts as large
    instance, periods = tiny(3)
    s = solve_schedule(instance, periods, time_limit=5)
    best = brute_force(instance, periods, "job-months")
    assert s.objective == pytest.approx(best) and s.bound >= best - 1e-6
    assert set(s.baselines) == {"greedy_by_month", "highs_alone"}
    errors, _ = check_schedule(instance, periods.loan, periods.infra, s.as_json()["schedule"])
    assert errors == []
