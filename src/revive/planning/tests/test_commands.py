"""`revive plan`: on an instance folder, a bad instance (exit 2 with file, row and column), the database."""
# ruff: noqa: F811 (the fixtures come from fixtures.py)

import json
from io import StringIO

import pytest
from django.core.management import call_command

from revive.planning.tests.fixtures import BILLION, planning_world  # noqa: F401

pytestmark = pytest.mark.django_db


def _tiny(tmp_path, units="unit_id,value,loan_amount\nA,3,5\nB,2,5\nC,4,0\n"):
    (tmp_path / "units.csv").write_text(units)
    (tmp_path / "projects.csv").write_text("project_id,cost\nP,4\n")
    (tmp_path / "requirements.csv").write_text("unit_id,project_id\nC,P\n")
    return tmp_path


def test_plan_command_with_an_instance_folder(tmp_path, capsys, db):
    with pytest.raises(SystemExit) as exit_:
        call_command("plan", "--instance", str(_tiny(tmp_path)), "--budget", "9", "--json")
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    data = json.loads(out[out.index("{") :])
    assert sorted(data["selected_units"]) == ["A", "C"] and data["objective"] == 7


def test_plan_command_bad_instance_exits_2_with_file_row_column(tmp_path, capsys, db):
    with pytest.raises(SystemExit) as exit_:
        call_command("plan", "--instance", str(_tiny(tmp_path, "unit_id,value,loan_amount\nA,3,five\n")))
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "units.csv" in err and "row 2" in err and "loan_amount" in err


def test_plan_command_from_the_database_prints_json(planning_world, tmp_path):
    out = StringIO()
    call_command("plan", "--json", "--time-limit", "2", "--province", "IR-20", stdout=out)
    data = json.loads(out.getvalue())
    assert data["scope"] == "IR-20" and set(data["selected_units"]) <= {"200000000011", "200000000022"}
    assert {"status", "objective", "bound", "gap", "seconds", "baselines"} <= set(data)
    call_command("plan", "--export-instance", str(tmp_path / "x"), stdout=StringIO())
    assert (tmp_path / "x" / "units.csv").read_text().count("\n") == 4  # header + 3 units
    with pytest.raises(SystemExit) as exit_:
        call_command("plan", "--province", "IR-99", stdout=StringIO(), stderr=StringIO())
    assert exit_.value.code == 2
