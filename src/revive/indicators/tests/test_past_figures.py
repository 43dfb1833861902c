"""The forecast's past figures: the stock of cases by stage counted in SQL, and the caches of what only
the past decides, which a write about today keeps and a back-dated write refreshes."""

from datetime import date

import pytest
from django.core.cache import cache

from revive.cases.models import OPEN_STATES, Case, CaseEvent, CaseState
from revive.core.scoping import NATION, Scope, ScopeKind
from revive.indicators import selectors
from revive.registry import services as registry_services
from revive.registry.models import Band, UnitStatus

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)  # 3 Azar 1405, the tests' today


def _case(unit, *, opened_on, state=CaseState.CLOSED, revived_on=None, steps=()):
    case = Case.objects.create(
        unit=unit,
        province_id=unit.province_id,
        park_id=unit.park_id,
        state=state,
        origin=Case.Origin.FILING,
        opened_on=opened_on,
        band_at_opening=Band.IDLE,
        revived_on=revived_on,
    )
    CaseEvent.objects.create(case=case, on=opened_on, kind="opened", to_state=CaseState.IDENTIFIED)
    for on, kind, to_state in steps:
        CaseEvent.objects.create(case=case, on=on, kind=kind, to_state=to_state)
    return case


@pytest.fixture
def histories(world):
    u = world["units"]
    # Diagnosed on the same day twice (the later row wins), revived in Esfand 1402.
    _case(u["230000000011"], opened_on=date(2023, 5, 1), revived_on=date(2024, 3, 1), state=CaseState.REVIVED,
          steps=[(date(2023, 6, 1), "transition", CaseState.IN_PROGRESS),
                 (date(2023, 6, 1), "transition", CaseState.DIAGNOSED),
                 (date(2023, 8, 1), "visit", ""),
                 (date(2024, 3, 1), "transition", CaseState.REVIVED)])  # fmt: skip
    # In progress for years, never revived, still open.
    _case(u["230000000022"], opened_on=date(2022, 4, 1), state=CaseState.IN_PROGRESS,
          steps=[(date(2022, 9, 1), "transition", CaseState.IN_PROGRESS)])  # fmt: skip
    # Closed in 1403: in the stock of 1402's day only.
    _case(u["200000000011"], opened_on=date(2023, 1, 10),
          steps=[(date(2024, 7, 1), "transition", CaseState.CLOSED)])  # fmt: skip
    # Opened after last year's day: in nobody's stock.
    _case(u["200000000022"], opened_on=date(2026, 1, 1))
    # Semnan, revived in 1403 after the same day: a hit for its stage.
    _case(u["100000000011"], opened_on=date(2024, 4, 1), revived_on=date(2025, 2, 1), state=CaseState.REVIVED,
          steps=[(date(2024, 10, 1), "transition", CaseState.DIAGNOSED),
                 (date(2025, 2, 1), "transition", CaseState.REVIVED)])  # fmt: skip
    return world


def _reference_stock(cases, *, year: int, today: date) -> tuple[dict, dict]:
    """The stock as the case histories tell it, replayed in Python row by row (the definition)."""
    from revive.core import calendar

    days = [(selectors._same_day(y, today), calendar.jalali_year(y).end) for y in range(year - 3, year)]
    last_day = max(day for day, _end in days)
    revived_on = dict(cases.filter(opened_on__lte=last_day).values_list("id", "revived_on"))
    steps: dict[int, list] = {}
    events = CaseEvent.objects.filter(kind__in=["opened", "transition"], on__lte=last_day).exclude(
        to_state=""
    )
    for case_id, on, state in events.order_by("case_id", "on", "id").values_list("case_id", "on", "to_state"):
        steps.setdefault(case_id, []).append((on, state))
    stock: dict[str, int] = {}
    hits: dict[str, int] = {}
    for case_id, history in steps.items():
        if case_id not in revived_on:
            continue
        done = revived_on[case_id]
        for day, end in days:
            state = None
            for on, to_state in history:
                if on > day:
                    break
                state = to_state
            if state in OPEN_STATES:
                stock[state] = stock.get(state, 0) + 1
                if done is not None and day < done <= end:
                    hits[state] = hits.get(state, 0) + 1
    return stock, hits


@pytest.mark.parametrize("province_code", [None, "IR-23", "IR-10"])
def test_the_stock_of_cases_by_stage_matches_their_histories(histories, province_code):
    province = histories["provinces"][province_code] if province_code else None
    cases = Case.objects.visible_to(NATION)
    if province is not None:
        cases = cases.filter(province=province)
    stock, hits = selectors._case_stock(cases=cases, scope=NATION, province=province, year=1405, today=TODAY)
    expected_stock, expected_hits = _reference_stock(cases, year=1405, today=TODAY)
    assert stock == expected_stock
    assert {s: n for s, n in hits.items() if n} == expected_hits
    if province_code is None:
        # the world's three cases opened in 1403 count on the days of 1403 and 1404
        assert stock == {CaseState.IN_PROGRESS: 3, CaseState.DIAGNOSED: 2, CaseState.IDENTIFIED: 7}
        assert {s: n for s, n in hits.items() if n} == {CaseState.DIAGNOSED: 2}


def test_an_officer_counts_the_stock_of_their_province_only(histories):
    tehran = histories["provinces"]["IR-23"]
    scope = Scope(ScopeKind.PROVINCE, province_id=tehran.pk)
    cases = Case.objects.visible_to(scope)
    stock, _hits = selectors._case_stock(cases=cases, scope=scope, province=None, year=1405, today=TODAY)
    assert stock == _reference_stock(cases, year=1405, today=TODAY)[0]
    assert stock == {CaseState.IDENTIFIED: 2, CaseState.DIAGNOSED: 1, CaseState.IN_PROGRESS: 3}


def _stages(scope=NATION, province=None):
    cases = Case.objects.visible_to(scope)
    open_counts = {CaseState.IN_PROGRESS: 1, CaseState.DIAGNOSED: 1, CaseState.IDENTIFIED: 1}
    stages = selectors._case_stages_from_stock(
        cases=cases, scope=scope, province=province, year=1405, today=TODAY, open_counts=open_counts
    )
    return [(s.label, s.count, s.probability) for s in stages]


def test_a_write_about_today_keeps_the_past_stock_and_a_back_dated_one_refreshes_it(histories):
    cache.clear()
    before = _stages()
    version = selectors._case_history_version(before=date(2026, 3, 21))
    case = Case.objects.get(unit=histories["units"]["230000000022"])
    CaseEvent.objects.create(case=case, on=TODAY, kind="transition", to_state=CaseState.DIAGNOSED)
    CaseEvent.objects.create(case=case, on=TODAY, kind="visit")
    assert selectors._case_history_version(before=date(2026, 3, 21)) == version
    # Back-dated: diagnosed in 1402, so it sits in "diagnosed" on the days of 1403 and 1404.
    CaseEvent.objects.create(case=case, on=date(2024, 1, 10), kind="transition", to_state=CaseState.DIAGNOSED)
    assert selectors._case_history_version(before=date(2026, 3, 21)) != version
    after = _stages()
    assert after != before
    cache.clear()
    assert _stages() == after


def test_a_revival_dated_in_a_past_year_refreshes_the_past_stock(histories):
    cache.clear()
    before = _stages()
    case = Case.objects.get(unit=histories["units"]["230000000022"])
    case.revived_on = date(2025, 1, 15)  # in 1403, after its day: a hit for "in progress"
    case.save()
    after = _stages()
    assert after != before
    cache.clear()
    assert _stages() == after


def test_a_status_of_today_keeps_the_past_series_and_a_back_dated_one_refreshes_it(world):
    cache.clear()
    version = selectors._status_history_version(before=date(2026, 3, 21))
    unit = world["units"]["200000000022"]  # idle since Dey 1404
    registry_services.unit_status_record(unit=unit, band=Band.ABOVE_70, effective_date=TODAY,
                                         source=UnitStatus.Source.FIELD_VISIT, by="test")  # fmt: skip
    assert selectors._status_history_version(before=date(2026, 3, 21)) == version

    def past(metric):
        return selectors._past_monthly(
            scope=NATION, metric=metric, years=[1403, 1404], province=None, year=1405
        )

    revived = past("revived_units")
    # A filing of a past month, imported late: the unit worked again in Esfand 1404.
    registry_services.unit_status_record(unit=unit, band=Band.ABOVE_70, effective_date=date(2026, 3, 1),
                                         source=UnitStatus.Source.FILING, by="test")  # fmt: skip
    assert selectors._status_history_version(before=date(2026, 3, 21)) != version
    assert past("revived_units")[1404][11] == revived[1404][11] + 1
    for metric in selectors.STATUS_METRICS:
        assert past(metric) == selectors.monthly(scope=NATION, metric=metric, years=[1403, 1404])
