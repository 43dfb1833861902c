"""indicators/press.py: the press paragraph quotes the dashboard's figures, in each language's own sentence."""

from datetime import date

import pytest

from revive.core import calendar
from revive.core.scoping import NATION
from revive.indicators import press
from revive.registry import selectors as registry
from revive.registry.models import Province

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)


def test_the_english_paragraph_quotes_the_headline_revivals_and_the_target(programme_1405):
    kpi = registry.revivals(scope=NATION, period=calendar.year_to_date(1405, TODAY))
    out = press.summary(scope=NATION, year=1405, lang="en", today=TODAY)
    f = out["figures"]
    assert (f["revived_units"], f["jobs_restored"], f["target"]) == (
        kpi["revived_units"],
        kpi["jobs_restored"],
        10,
    )
    assert out["text"].startswith(
        "Tehran, 3 Azar 1405 (24 November 2026). Since the start of 1405 (21 March 2026), "
    )
    assert f"{f['revived_units']} idle industrial units have been revived nationwide" in out["text"]
    assert (
        f"restoring {f['jobs_restored']} jobs" in out["text"]
        and "of the year's target of 10 units." in out["text"]
    )
    assert (out["date"], out["lang"]) == (TODAY, "en")


def test_the_persian_paragraph_has_persian_digits_and_the_same_figures(programme_1405):
    en = press.summary(scope=NATION, year=1405, lang="en", today=TODAY)
    fa = press.summary(scope=NATION, year=1405, lang="fa", today=TODAY)
    assert fa["figures"] == en["figures"]
    assert (
        fa["text"].startswith("تهران، ")
        and "از ابتدای سال ۱۴۰۵" in fa["text"]
        and "در سراسر کشور" in fa["text"]
    )
    assert not any(ch.isascii() and ch.isdigit() for ch in fa["text"])


def test_a_province_and_a_year_that_is_over(programme_1405):
    semnan = Province.objects.get(code="IR-20")
    out = press.summary(scope=NATION, year=1405, lang="en", today=TODAY, province=semnan)
    assert "revived in Semnan province" in out["text"] and out["figures"]["province"] == "IR-20"
    assert out["figures"]["industry_share"] is None  # a national figure only
    last = press.summary(scope=NATION, year=1404, lang="en", today=TODAY)
    assert ". In 1404, " in last["text"] and "were revived nationwide" in last["text"]
