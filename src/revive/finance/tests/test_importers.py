"""finance/importers.py: the `lending` and `loans` import kinds, through the one import engine."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from revive.core.errors import DomainError
from revive.core.models import AuditEvent
from revive.core.scoping import NATION, scope_for
from revive.finance.models import LendingFigure, LoanRequest
from revive.imports.engine import import_file, preview_file

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_lending_figures_are_written_through_finance_and_a_rerun_changes_nothing(world, national_admin):
    content = b"year,month,bank,total,industry_mining\n1405,7,,1000,300\n1405,7,melli,500,100\n"
    preview, written = import_file(
        kind="lending", content=content, filename="l.csv", scope=NATION, by=national_admin
    )
    assert preview.ok, [e.as_dict() for e in preview.errors]
    assert written["new"] == 2 and LendingFigure.objects.count() == 2
    assert AuditEvent.objects.filter(action="lending_figure_set").count() == 2
    again, _ = import_file(kind="lending", content=content, filename="l.csv", scope=NATION, by=national_admin)
    assert again.counts()["unchanged"] == 2


def test_lending_industry_above_total_and_unknown_bank_are_refused(world):
    content = b"year,month,bank,total,industry_mining\n1405,7,,100,300\n1405,7,nobank,5,1\n1406,1,,5,1\n"
    with translation.override("en"):
        preview = preview_file(kind="lending", content=content, filename="l.csv", scope=NATION)
        errors = [e.as_dict() for e in preview.errors]
    assert [e["row"] for e in errors] == [2, 3, 4]
    assert "cannot be more than" in errors[0]["message"]
    assert LendingFigure.objects.count() == 0


def test_lending_is_for_national_staff_only(world, officer_semnan):
    content = b"year,month,bank,total,industry_mining\n1405,7,,1000,300\n"
    # The message is lazy: read it while English is still the active language.
    with translation.override("en"), pytest.raises(Exception, match="national"):
        preview_file(kind="lending", content=content, filename="l.csv", scope=scope_for(officer_semnan))


def test_lending_xlsx_with_spreadsheet_numbers_and_the_short_persian_headers(world, national_admin):
    """What the removed `import-lending` read, the kind reads: 1000.0 from a sheet, «کل» and «صنعت و معدن»."""
    content = _xlsx(
        [
            ["سال", "ماه", "بانک", "کل", "صنعت و معدن"],
            [1405, 1, None, 1000.0, 310],
            ["۱۴۰۵", "۱", "melli", "500", "160"],
        ]
    )
    preview, written = import_file(
        kind="lending", content=content, filename="f.xlsx", scope=NATION, by=national_admin
    )
    assert preview.ok, [e.as_dict() for e in preview.errors]
    assert written == {"rows": 2, "new": 2, "changed": 0, "unchanged": 0}
    system = LendingFigure.objects.get(bank__isnull=True)
    assert (system.jyear, system.jmonth, system.total, system.industry_mining) == (1405, 1, 1000, 310)
    assert LendingFigure.objects.get(bank__code="melli").industry_mining == 160
    # one audit row per figure (finance's own service) and one for the batch
    assert AuditEvent.objects.filter(action="lending_figure_set").count() == 2
    assert AuditEvent.objects.filter(action="import", object_id="lending").count() == 1


def test_every_bad_lending_row_is_reported_on_its_column_and_nothing_written(world):
    content = _xlsx(
        [
            ["year", "month", "bank", "total", "industry_mining"],
            [1405, 1, None, 1000, 310],
            [1405, 13, None, 1000, 310],
            [1405, 2, None, 1000.5, 310],
            [1405, 3, None, 100, 200],
            [1405, 1, None, 1000, 310],
            [1406, 1, None, 10, 1],
        ]
    )
    with translation.override("en"):
        preview = preview_file(kind="lending", content=content, filename="f.xlsx", scope=NATION)
        errors = [(e.row, e.column_en, str(e.message)) for e in preview.errors]
    assert [(row, column) for row, column, _m in errors] == [
        (3, "Month"), (4, "All facilities (rials)"), (5, "Industry and mining (rials)"), (6, "Month"), (7, "Month")
    ]  # fmt: skip
    assert "without letters or a decimal point" in errors[1][2]
    assert "cannot be more than all facilities" in errors[2][2]
    assert "Repeats row 2" in errors[3][2]
    assert not LendingFigure.objects.exists()


def test_a_lending_file_without_a_required_column_names_it(world):
    with translation.override("en"), pytest.raises(DomainError, match="Industry and mining"):
        preview_file(kind="lending", content=b"year,month,total\n1405,1,5\n", filename="f.csv", scope=NATION)


def test_the_import_command_refuses_a_bad_lending_file_and_writes_a_good_one(world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("year,month,bank,total,industry_mining\n1405,1,,100,101\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import", "lending", str(bad), "--lang", "en", stdout=io.StringIO(), stderr=io.StringIO())
    assert not LendingFigure.objects.exists()
    good = tmp_path / "good.csv"
    good.write_text("year,month,bank,total,industry_mining\n1405,1,,100,31\n", encoding="utf-8")
    call_command("import", "lending", str(good), stdout=io.StringIO())
    assert LendingFigure.objects.get().industry_mining == 31
    assert AuditEvent.objects.get(action="lending_figure_set").actor_label == "command"


def test_loans_are_registered_through_finance_and_a_rerun_changes_nothing(world, officer_semnan):
    content = (
        "business_id,kind,amount_requested,registered_on,purpose\n"
        "200000000011,working_capital,25000000000,1405/08/08,مواد اولیه\n"
    ).encode()
    scope = scope_for(officer_semnan)
    preview = preview_file(kind="loans", content=content, filename="x.csv", scope=scope)
    assert preview.ok, [e.as_dict() for e in preview.errors]
    preview, written = import_file(
        kind="loans", content=content, filename="x.csv", scope=NATION, by="command"
    )
    assert written["new"] == 1
    loan = LoanRequest.objects.get()
    assert loan.amount_requested == 25_000_000_000 and str(loan.registered_on) == "2026-10-30"
    again, _ = import_file(kind="loans", content=content, filename="x.csv", scope=NATION, by="command")
    assert again.counts()["unchanged"] == 1 and LoanRequest.objects.count() == 1


def test_bad_loan_rows_are_each_reported(world, officer_tehran):
    content = (
        b"business_id,kind,amount_requested,registered_on\n"
        b"200000000011,working_capital,1000,1405/08/08\n"
        b"230000000011,fixed_capital,1000,1405/08/08\n"
        b"230000000011,gift,0,1405/12/30\n"
    )
    preview = preview_file(kind="loans", content=content, filename="x.csv", scope=scope_for(officer_tehran))
    assert sorted({e.row for e in preview.errors}) == [2, 3, 4]
    assert LoanRequest.objects.count() == 0
