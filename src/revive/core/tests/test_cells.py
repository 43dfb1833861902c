"""core/cells.py: one spreadsheet or CSV cell turned into a typed value, or a DomainError people can read."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from revive.core import bounds, cells
from revive.core.errors import DomainError


def _refused(parse, *args, **kwargs) -> str:
    with translation.override("en"):
        with pytest.raises(DomainError) as refused:
            parse(*args, **kwargs)
        return str(refused.value.message)


def test_text_and_blank():
    assert cells.text(None) == "" and cells.text(12.0) == "12" and cells.text(12.5) == "12.5"
    assert cells.text(date(2026, 11, 24)) == "2026-11-24" and cells.text(True) == "True"
    assert cells.is_blank(None) and cells.is_blank("  ") and not cells.is_blank(0) and not cells.is_blank("0")


def test_integer_from_numbers_persian_digits_and_thousands():
    assert cells.integer(1250) == 1250 and cells.integer(1250.0) == 1250
    assert cells.integer("۱٬۲۵۰٬۰۰۰") == 1_250_000 and cells.integer("1,250,000") == 1_250_000
    assert "not a whole number" in _refused(cells.integer, 12.5)
    assert "negative" in _refused(cells.integer, "-3")
    assert cells.integer("-3", minimum=None) == -3
    assert "whole number" in _refused(cells.integer, True)
    with pytest.raises(DomainError):
        cells.integer(bounds.EMPLOYEES.maximum + 1, bound=bounds.EMPLOYEES)


def test_decimal_and_percent():
    assert cells.decimal("12٫5") == Decimal("12.50") and cells.decimal(120.456, places=1) == Decimal("120.5")
    assert "not a number" in _refused(cells.decimal, "twelve")
    assert "not a number" in _refused(cells.decimal, "1e12")
    assert cells.percent(0.45) == 45 and cells.percent("55%") == 55 and cells.percent("۷۰٪") == 70
    assert cells.percent(1) == 1  # a whole 1 is one percent, not 100
    assert "between 0 and 100" in _refused(cells.percent, 120)


def test_dates_iranian_gregorian_and_spreadsheet_cells():
    assert cells.any_date("1405/08/08") == date(2026, 10, 30) == cells.any_date("۱۴۰۵/۰۸/۰۸")
    assert cells.any_date("2026-10-30") == date(2026, 10, 30) == cells.any_date(datetime(2026, 10, 30, 9, 15))
    assert cells.any_date("2026/10/30 00:00:00") == date(2026, 10, 30)
    assert "Gregorian" in _refused(cells.any_date, "2026-02-30")
    with pytest.raises(DomainError):
        cells.any_date("1405/13/01")
    assert cells.jalali_month("1405/07") == (1405, 7) and cells.jalali_month(date(2026, 10, 30)) == (1405, 8)


def test_a_choice_by_code_or_by_its_label_in_either_language():
    mapping = cells.choice_map([("idle", "Idle"), ("above_70", "Above 70%")])
    assert cells.choice("idle", mapping) == "idle" and cells.choice(" IDLE ", mapping) == "idle"
    assert cells.choice("Above 70%", mapping) == "above_70"
    message = _refused(cells.choice, "asleep", mapping)
    assert "asleep" in message and "above_70, idle" in message
