"""The planning engine on small instances with known answers (no database)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from revive.planning.engine import heuristics
from revive.planning.engine.cli import run
from revive.planning.engine.compiled import Compiled
from revive.planning.engine.generate import dense_instance, national_like_instance
from revive.planning.engine.io import InstanceError, load_instance, load_sukp, write_instance
from revive.planning.engine.model import Budgets, Instance, Project, Unit
from revive.planning.engine.solver import check_plan, solve

SUKP = Path(__file__).resolve().parents[4].parent / "shared" / "benchmarks" / "sukp" / "setI"


def shared_project_instance() -> Instance:
    # A and B together need one project costing the whole budget; C and D have cheaper loans.
    units = [
        Unit("A", value=6, projects=("P",)),
        Unit("B", value=6, projects=("P",)),
        Unit("C", value=7, loan_amount=5),
        Unit("D", value=4, loan_amount=5),
    ]
    return Instance(units=units, projects=[Project("P", cost=10)], budgets=Budgets(total=10))


def test_shared_project_makes_two_units_worth_it_where_greedy_fails():
    inst = shared_project_instance()
    plan = solve(inst, time_limit=5)
    assert sorted(plan.selected_units) == ["A", "B"]
    assert plan.selected_projects == ["P"]
    assert plan.objective == 12
    assert plan.status == "optimal"
    assert plan.baselines["greedy"] == 11
    assert plan.bound >= plan.objective


def test_budget_is_used_up_to_the_last_rial_and_never_beyond():
    big = 10**16
    units = [Unit(f"u{i}", value=1, loan_amount=big // 4 + i) for i in range(6)]
    inst = Instance(units=units, projects=[], budgets=Budgets(loan_total=big // 2 + 1))
    plan = solve(inst, time_limit=5)
    assert sorted(plan.selected_units) == ["u0", "u1"]
    assert check_plan(inst, plan) == []
    plan.selected_units.append("u2")
    assert any("loan_total" in v for v in check_plan(inst, plan))


def test_bank_province_quota_sends_the_second_loan_to_another_bank():
    units = [
        Unit("a", value=5, loan_amount=100, province="IR-10", banks=("melli",)),
        Unit("b", value=4, loan_amount=100, province="IR-10", banks=("melli", "sepah")),
        Unit("c", value=3, loan_amount=100, province="IR-10", banks=("melli",)),
    ]
    budgets = Budgets(
        bank_credit={"melli": 1000, "sepah": 1000},
        bank_province_quota={("melli", "IR-10"): 150, ("sepah", "IR-10"): 100},
    )
    inst = Instance(units=units, projects=[], budgets=budgets)
    plan = solve(inst, time_limit=5)
    assert sorted(plan.selected_units) == ["a", "b"]
    assert plan.loan_assignment == {"a": "melli", "b": "sepah"}
    assert check_plan(inst, plan) == []


def test_project_longer_than_the_months_left_excludes_its_units():
    units = [Unit("slow", value=10, projects=("gas",)), Unit("fast", value=1, projects=("power",))]
    projects = [Project("gas", cost=1, duration_months=8), Project("power", cost=1, duration_months=2)]
    inst = Instance(units=units, projects=projects, budgets=Budgets(infra_total=10), months_left=6)
    plan = solve(inst, time_limit=5)
    assert plan.selected_units == ["fast"]
    assert plan.selected_projects == ["power"]
    assert "longer than the months left" in plan.message


def test_impossible_minimum_shares_leave_only_the_empty_plan():
    units = [Unit("t", value=5, province="IR-23"), Unit("i", value=5, province="IR-10")]
    budgets = Budgets(min_share_by_province={"IR-23": 0.6, "IR-10": 0.6})
    plan = solve(Instance(units=units, projects=[], budgets=budgets), time_limit=5)
    assert plan.selected_units == []
    assert plan.objective == 0
    assert "only the empty plan" in plan.message


def test_minimum_share_moves_money_to_a_province():
    units = [
        Unit("t1", value=5, loan_amount=10, province="IR-23"),
        Unit("t2", value=5, loan_amount=10, province="IR-23"),
        Unit("s1", value=2, loan_amount=10, province="IR-20"),
    ]
    budgets = Budgets(loan_total=20, min_share_by_province={"IR-20": 0.2})
    inst = Instance(units=units, projects=[], budgets=budgets)
    plan = solve(inst, time_limit=5)
    assert "s1" in plan.selected_units and len(plan.selected_units) == 2
    assert check_plan(inst, plan) == []


def test_same_seed_gives_the_same_plan():
    inst = dense_instance(60, 25, max_projects_per_unit=4, seed=3)
    a = solve(inst, time_limit=3, seed=7)
    b = solve(inst, time_limit=3, seed=7)
    assert a.selected_units == b.selected_units and a.objective == b.objective
    assert a.status == "optimal"


def test_plans_on_generated_instances_are_feasible_and_bounded():
    for inst in (
        dense_instance(150, 60, seed=1),
        national_like_instance(seed=2, n_units=600, n_parks=80, n_projects=200),
    ):
        plan = solve(inst, time_limit=2)
        assert check_plan(inst, plan) == []
        assert plan.bound >= plan.objective - 1e-6
        assert plan.objective >= max(plan.baselines.values()) - 1e-6


def test_tabu_search_beats_the_greedy_on_a_dense_instance():
    comp = Compiled(dense_instance(120, 40, max_projects_per_unit=10, seed=5))
    greedy = heuristics.dynamic_ratio_greedy(comp)
    import time

    best, value, _ = heuristics.local_search(comp, [greedy.chosen], deadline=time.monotonic() + 1.0)
    state = heuristics.repair(comp, best)
    assert state.value == value >= greedy.value


def write(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


GOOD = {
    "units.csv": "unit_id,value,loan_amount,province,banks\nu1,10,100,IR-10,melli;sepah\nu2,5,0,IR-10,\n",
    "projects.csv": "project_id,cost,duration_months\ngas,50,3\n",
    "requirements.csv": "unit_id,project_id\nu1,gas\nu2,gas\n",
}


@pytest.mark.parametrize(
    ("change", "file", "row", "column", "words"),
    [
        ({"units.csv": "unit_id,loan_amount\nu1,5\n"}, "units.csv", 1, "value", "missing column"),
        ({"projects.csv": "project_id,cost\ngas,-5\n"}, "projects.csv", 2, "cost", "negative"),
        ({"projects.csv": "project_id,cost\ngas,lots\n"}, "projects.csv", 2, "cost", "not a whole number"),
        (
            {"requirements.csv": "unit_id,project_id\nu9,gas\n"},
            "requirements.csv",
            2,
            "unit_id",
            "unknown unit",
        ),
        (
            {"requirements.csv": "unit_id,project_id\nu1,water\n"},
            "requirements.csv",
            2,
            "project_id",
            "unknown project",
        ),
        (
            {"units.csv": "unit_id,value,loan_amount\nu1,1,0\nu1,2,0\n"},
            "units.csv",
            3,
            "unit_id",
            "duplicate",
        ),
        ({"projects.csv": "project_id,cost\ngas,1\ngas,2\n"}, "projects.csv", 3, "project_id", "duplicate"),
    ],
)
def test_bad_input_names_file_row_and_column(tmp_path, change, file, row, column, words):
    d = write(tmp_path, {**GOOD, **change})
    with pytest.raises(InstanceError) as err:
        load_instance(d)
    e = err.value
    assert (e.file, e.row, e.column) == (file, row, column)
    assert words in str(e) and file in str(e) and f"row {row}" in str(e)


def test_budget_below_zero_is_refused(tmp_path):
    with pytest.raises(InstanceError, match="below zero"):
        load_instance(write(tmp_path, GOOD), budget=-1)


def test_plain_format_round_trip(tmp_path):
    inst = load_instance(write(tmp_path, GOOD), budget=150)
    assert inst.units[0].banks == ("melli", "sepah") and inst.units[0].projects == ("gas",)
    write_instance(inst, tmp_path / "copy")
    again = load_instance(tmp_path / "copy")
    assert again.units == inst.units and again.projects == inst.projects and again.budgets.total == 150


def test_cli_prints_json_plan(tmp_path, capsys):
    d = write(tmp_path, GOOD)
    assert run(["--instance", str(d), "--budget", "150", "--json", "--time-limit", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["selected_units"] == ["u1", "u2"] and out["objective"] == 15
    assert {"status", "bound", "gap", "seconds", "selected_projects", "baselines"} <= set(out)
    assert set(out["baselines"]) == {"oldest_first", "most_jobs_first", "greedy"}


def test_cli_summary_counts_units(tmp_path, capsys):
    d = write(tmp_path, GOOD)
    assert run(["--instance", str(d), "--budget", "60", "--objective", "units", "--time-limit", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The plan revives 1 units") and "proven within 0.00%" in out


def test_cli_bad_input_exits_2_with_the_place(tmp_path, capsys):
    d = write(tmp_path, {**GOOD, "projects.csv": "project_id,cost\ngas,-5\n"})
    assert run(["--instance", str(d)]) == 2
    err = capsys.readouterr().err
    assert "projects.csv" in err and "row 2" in err and "'cost'" in err


@pytest.mark.skipif(not SUKP.is_dir(), reason="SUKP benchmark folder not present")
def test_sukp_instance_loads_and_solves():
    inst = load_sukp(SUKP / "n100_85_0.10_0.75.sukp")
    assert len(inst.units) == 100 and len(inst.projects) == 85 and inst.budgets.total
    plan = solve(inst, time_limit=2)
    assert check_plan(inst, plan) == []
    assert plan.objective >= 0.97 * 13283
    assert plan.bound >= plan.objective
