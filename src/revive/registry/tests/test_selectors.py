"""registry/selectors.py: what each scope reads of provinces, parks and units, the unit list's filters,
and the overview's figures (band counts, revivals, the province table)."""

from datetime import date

import pytest
from django.http import Http404
from django.utils import translation

from revive.core import calendar
from revive.core.errors import DomainError
from revive.core.scoping import NATION, scope_for
from revive.registry import selectors
from revive.registry.models import Band, UnitStatus
from revive.registry.selectors import UnitFilters

pytestmark = pytest.mark.django_db

# The `world` fixture: Tehran 230000000011 and Semnan 200000000011 revived this year (1405), Isfahan
# 100000000011 last year, Semnan's dairy 200000000022 idle since 1404, Tehran's 230000000022 producing.


def _ids(qs) -> list[str]:
    return [u.business_id for u in qs]


def test_a_provincial_officer_reads_only_their_province(world, officer_semnan):
    semnan = scope_for(officer_semnan)
    assert [p.code for p in selectors.provinces(scope=semnan)] == ["IR-20"]
    assert [p.code for p in selectors.provinces(scope=NATION)] == ["IR-10", "IR-20", "IR-23"]
    assert selectors.province_get(scope=semnan, code="ir-20").code == "IR-20"
    for read in (
        lambda: selectors.province_get(scope=semnan, code="IR-23"),
        lambda: selectors.park_get(scope=semnan, code="P-23-001"),
        lambda: selectors.unit_get(scope=semnan, business_id="230000000011"),
    ):
        with pytest.raises(Http404):
            read()
    assert selectors.unit_get(scope=semnan, business_id="۲۰۰۰۰۰۰۰۰۰۱۱").name_en == "Semnan Foundry"


def test_parks_count_their_units_and_the_idle_ones(world):
    semnan = selectors.province_get(scope=NATION, code="IR-20")
    parks = {p.code: (p.unit_count, p.idle_count) for p in selectors.parks(scope=NATION, province=semnan)}
    assert parks == {"P-20-001": (1, 0), "P-20-002": (1, 1)}


def test_the_unit_list_filters(world):
    def listed(**filters):
        return _ids(selectors.units(scope=NATION, filters=UnitFilters(**filters)))

    assert listed() == ["100000000011", "200000000011", "200000000022", "230000000011", "230000000022"]
    assert listed(q="۲۰۰۰") == ["200000000011", "200000000022"]  # a business ID's first digits
    assert listed(q="kavir") == ["200000000022"]  # a word of the name
    assert listed(province="ir-23") == ["230000000011", "230000000022"]
    assert listed(park="P-۲۰-۰۰۱") == ["200000000011"]  # a park code as the page prints it
    assert listed(sector="10") == ["200000000022", "230000000022"]
    assert listed(band=Band.IDLE) == ["200000000022"]
    assert listed(size="large") == []
    assert listed(sort="-employees") == [
        "100000000011",
        "230000000011",
        "200000000011",
        "230000000022",
        "200000000022",
    ]


@pytest.mark.parametrize(
    "filters, field",
    [
        ({"province": "IR-99"}, "province"),
        ({"sector": "99"}, "sector"),
        ({"band": "asleep"}, "band"),
        ({"size": "huge"}, "size"),
        ({"sort": "random"}, "sort"),
    ],
)
def test_an_unknown_filter_value_is_refused_by_name(world, filters, field):
    with translation.override("en"):
        with pytest.raises(DomainError) as refused:
            list(selectors.units(scope=NATION, filters=UnitFilters(**filters)))
        assert refused.value.details["field"] == field
        assert next(iter(filters.values())) in str(refused.value.message)


def test_band_counts_per_scope(world, officer_semnan):
    nation = selectors.band_counts(scope=NATION)
    assert set(nation) == set(Band.values)
    assert (nation[Band.BELOW_50], nation[Band.IDLE], nation[Band.ABOVE_70]) == (3, 1, 1)
    semnan = selectors.band_counts(scope=scope_for(officer_semnan))
    assert (semnan[Band.BELOW_50], semnan[Band.IDLE], sum(semnan.values())) == (1, 1, 2)
    park = selectors.park_get(scope=NATION, code="P-20-002")
    assert selectors.band_counts(scope=NATION, park=park)[Band.IDLE] == 1


def test_revivals_this_year_by_province_and_by_month(world):
    period = calendar.year_to_date(1405, date(2026, 11, 24))
    kpi = selectors.revivals(scope=NATION, period=period)
    assert kpi["revived_units"] == 2 == len(kpi["by_province"])
    assert {r["province"].code for r in kpi["by_province"]} == {"IR-20", "IR-23"}
    assert kpi["jobs_restored"] == sum(r["jobs_restored"] for r in kpi["by_province"])
    by_month = selectors.revivals_by_month(scope=NATION, year=1405)
    assert len(by_month) == 12 and sum(by_month) == 2
    assert by_month[calendar.to_jalali(date(2026, 5, 10))[1] - 1] == 1  # Tehran's, in Ordibehesht
    assert sum(selectors.revivals_by_month(scope=NATION, year=1403)) == 1  # Isfahan's, 2025-02-01


def test_the_overview_adds_up(world):
    data = selectors.overview(scope=NATION, year=1405, today=date(2026, 11, 24))
    assert (data["units"], data["idle"], data["idle_share"]) == (5, 1, pytest.approx(0.2))
    assert data["revivals"]["revived_units"] == sum(data["by_month"]) == 2
    table = {row["province"].code: row for row in data["provinces"]}
    assert list(table) == ["IR-10", "IR-20", "IR-23"]
    assert sum(row["units"] for row in table.values()) == data["units"]
    assert (table["IR-20"]["units"], table["IR-20"]["idle"], table["IR-20"]["below_50"]) == (2, 1, 1)
    assert (table["IR-20"]["revived_units"], table["IR-10"]["revived_units"]) == (1, 0)


def test_a_units_history_is_newest_first_and_scoped(world, officer_tehran):
    unit = selectors.unit_get(scope=NATION, business_id="200000000011")
    history = list(selectors.unit_history(scope=NATION, unit=unit))
    assert [s.band for s in history][:2] == [Band.BELOW_50, Band.IDLE]
    assert [s.effective_date for s in history] == sorted((s.effective_date for s in history), reverse=True)
    assert history == list(UnitStatus.objects.filter(unit=unit).order_by("-effective_date", "-id"))
    assert not selectors.unit_history(scope=scope_for(officer_tehran), unit=unit).exists()
