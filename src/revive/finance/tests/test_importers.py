import io

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook

from revive.core.models import AuditEvent
from revive.finance import importers
from revive.finance.models import LendingFigure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_is_imported_with_spreadsheet_numbers(world):
    content = _xlsx(
        [
            ["year", "month", "bank", "total", "industry_mining"],
            [1405, 1, None, 1000.0, 310],
            [1405, 1, "melli", 500, 160],
        ]
    )
    result, written = importers.import_lending(content, "f.xlsx", by="test")
    assert result.ok and written == {"rows": 2, "created": 2, "updated": 0}
    assert AuditEvent.objects.filter(action="lending_import").count() == 1


def test_every_bad_row_is_reported_and_nothing_written(world):
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
    result, written = importers.import_lending(content, "f.xlsx", by="test")
    assert written is None and not LendingFigure.objects.exists()
    assert [(e["row"], e["column"]) for e in result.errors] == [
        (3, "month"), (4, "total"), (5, "industry_mining"), (6, "month"), (7, "month")
    ]  # fmt: skip
    assert "cannot be more than all facilities" in str(result.errors[2]["message"])


def test_command_exits_2_on_error_and_imports_a_good_file(world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("year,month,bank,total,industry_mining\n1405,1,,100,101\n", encoding="utf-8")
    with pytest.raises(SystemExit) as err:
        call_command("import_lending", str(bad))
    assert err.value.code == 2 and not LendingFigure.objects.exists()
    good = tmp_path / "good.csv"
    good.write_text("year,month,bank,total,industry_mining\n1405,1,,100,31\n", encoding="utf-8")
    call_command("import_lending", str(good))
    assert LendingFigure.objects.get().industry_mining == 31


def test_missing_columns_are_named(world):
    with pytest.raises(Exception, match="industry_mining"):
        importers.parse_lending(b"year,month,total\n1405,1,5\n", "f.csv")
