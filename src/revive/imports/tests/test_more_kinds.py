"""Lending figures, targets and loan requests through the same engine: checked whole, written all or none."""

from decimal import Decimal

import pytest
from django.utils import translation

from revive.core.models import AuditEvent
from revive.core.scoping import NATION, scope_for
from revive.finance.models import LendingFigure, LoanRequest
from revive.imports.engine import import_file, preview_file
from revive.imports.templates import template_xlsx
from revive.indicators.models import Axis, Indicator, Programme, Target

pytestmark = pytest.mark.django_db


def _indicator(year=1405, code="units-revived"):
    axis = Axis.objects.create(jyear=year, number=1, name_fa="محور", name_en="Axis")
    programme = Programme.objects.create(axis=axis, jyear=year, number=1, name_fa="برنامه", name_en="P")
    return Indicator.objects.create(
        programme=programme, jyear=year, code=code, name_fa="شاخص", name_en="Indicator", kind="reported"
    )


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


def test_targets_split_must_add_up_and_the_gap_is_named(world):
    _indicator()
    content = b"indicator,year,province,value\nunits-revived,1405,,100\nunits-revived,1405,IR-20,30\nunits-revived,1405,IR-23,50\n"
    with translation.override("en"):
        preview = preview_file(kind="targets", content=content, filename="t.csv", scope=NATION)
        errors = [e.as_dict() for e in preview.errors]
    assert len(errors) == 1 and "20" in errors[0]["message"] and "short" in errors[0]["message"]
    assert errors[0]["row"] == 2


def test_targets_are_written_through_targets_set(world, national_admin):
    ind = _indicator()
    content = b"indicator,year,province,value\nunits-revived,1405,,100\nunits-revived,1405,IR-20,30\nunits-revived,1405,IR-23,70\n"
    preview, written = import_file(
        kind="targets", content=content, filename="t.csv", scope=NATION, by=national_admin
    )
    assert preview.ok, [e.as_dict() for e in preview.errors]
    assert Target.objects.filter(indicator=ind).count() == 3
    assert Target.objects.get(indicator=ind, province__isnull=True).value == Decimal(100)
    assert AuditEvent.objects.filter(action="targets_set").count() == 1
    again, _ = import_file(kind="targets", content=content, filename="t.csv", scope=NATION, by=national_admin)
    assert again.counts()["unchanged"] == 3


def test_targets_of_a_past_year_are_locked(world):
    _indicator(year=1404)
    content = b"indicator,year,province,value\nunits-revived,1404,,100\n"
    with translation.override("en"):
        preview = preview_file(kind="targets", content=content, filename="t.csv", scope=NATION)
        assert not preview.ok and "locked" in str(preview.errors[0].message)


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


@pytest.mark.parametrize("kind", ["lending", "targets", "loans"])
def test_templates_exist_for_the_new_kinds(world, kind):
    assert template_xlsx(kind)[:2] == b"PK"


def test_targets_from_the_command_line_go_through_targets_set(world, tmp_path):
    import io

    from django.core.management import call_command

    ind = _indicator()
    path = tmp_path / "t.csv"
    path.write_text("indicator,year,province,value\nunits-revived,1405,,100\n")
    call_command("import", "targets", str(path), stdout=io.StringIO())
    assert Target.objects.get(indicator=ind, province__isnull=True).value == Decimal(100)
    assert AuditEvent.objects.get(action="targets_set").actor_label == "command"
