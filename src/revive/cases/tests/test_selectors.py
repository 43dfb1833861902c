"""cases/selectors.py: what each scope reads of cases and resolutions, the filters, the execution figures."""

from datetime import date

import pytest
from django.http import Http404
from django.utils import translation

from revive.cases import selectors, services
from revive.cases.models import Case, CaseState
from revive.cases.selectors import CaseFilters
from revive.core.errors import DomainError
from revive.core.scoping import NATION, scope_for
from revive.registry.models import Organisation

pytestmark = pytest.mark.django_db


def _case(world, business_id: str) -> Case:
    return Case.objects.get(unit=world["units"][business_id])


def _meeting(case, officer, number=1):
    return services.meeting_create(
        province=case.province, number=number, held_on=date(2026, 8, 1), by=officer
    )


def test_a_provincial_officer_lists_only_their_provinces_cases(world, officer_semnan):
    mine = selectors.cases(scope=scope_for(officer_semnan))
    assert sorted(c.unit.business_id for c in mine) == ["200000000011", "200000000022"]
    assert selectors.cases(scope=NATION).count() == Case.objects.count() == 4


def test_the_newest_case_comes_first(world):
    listed = list(selectors.cases(scope=NATION))
    assert listed[0].unit.business_id == "200000000022"  # opened 2026-01-05, the others 2024-06-01
    assert [c.opened_on for c in listed] == sorted((c.opened_on for c in listed), reverse=True)


def test_a_case_of_another_province_is_not_found(world, officer_semnan):
    tehran = _case(world, "230000000011")
    with pytest.raises(Http404):
        selectors.case_get(scope=scope_for(officer_semnan), pk=tehran.pk)
    assert selectors.case_get(scope=NATION, pk=tehran.pk) == tehran


def test_filters_by_province_state_obstacle_and_officer(world, officer_semnan):
    foundry, dairy = _case(world, "200000000011"), _case(world, "200000000022")
    services.obstacle_add(
        case=dairy, by=officer_semnan, kind="gas", organisation=Organisation.objects.get(code="gas-20")
    )
    services.case_assign(case=foundry, officer=officer_semnan, by=officer_semnan)

    def listed(**filters):
        return sorted(
            c.unit.business_id
            for c in selectors.cases(scope=NATION, filters=CaseFilters(**filters), user=officer_semnan)
        )

    assert listed(province="ir-20") == ["200000000011", "200000000022"]
    assert listed(state="diagnosed") == ["200000000022"]  # an obstacle diagnoses the case
    assert listed(state="open") == ["100000000011", "200000000011", "200000000022", "230000000011"]
    assert listed(obstacle="gas") == ["200000000022"]
    assert listed(organisation="gas-20") == ["200000000022"]
    assert listed(officer="me") == ["200000000011"]
    assert listed(officer=officer_semnan.username) == ["200000000011"]
    assert listed(officer="none") == ["100000000011", "200000000022", "230000000011"]


@pytest.mark.parametrize(
    "filters, field",
    [
        ({"province": "IR-99"}, "province"),
        ({"state": "lost"}, "state"),
        ({"obstacle": "weather"}, "obstacle"),
    ],
)
def test_an_unknown_filter_value_is_refused_by_name(world, filters, field):
    with translation.override("en"), pytest.raises(DomainError) as refused:
        list(selectors.cases(scope=NATION, filters=CaseFilters(**filters)))
    assert refused.value.details["field"] == field
    assert next(iter(filters.values())) in str(refused.value.message)


def test_state_counts_and_workload(world, officer_semnan):
    foundry = _case(world, "200000000011")
    services.obstacle_add(case=foundry, by=officer_semnan, kind="market")
    services.case_assign(case=foundry, officer=officer_semnan, by=officer_semnan)
    counts = selectors.state_counts(scope=scope_for(officer_semnan))
    assert set(counts) == set(CaseState.values)
    assert (counts[CaseState.IDENTIFIED], counts[CaseState.DIAGNOSED], sum(counts.values())) == (1, 1, 2)
    assert selectors.state_counts(scope=NATION)[CaseState.IDENTIFIED] == 3
    rows = selectors.workload(scope=scope_for(officer_semnan))
    assert sorted(rows, key=lambda r: r["officer"]) == [
        {"officer": officer_semnan.username, "open_cases": 1},
        {"officer": "—", "open_cases": 1},  # the unassigned cases, in one row
    ]
    assert list(selectors.officers_of(province_id=foundry.province_id)) == [officer_semnan]


def test_the_agenda_leaves_out_cases_waiting_for_a_pending_resolution(world, officer_semnan):
    foundry, dairy = _case(world, "200000000011"), _case(world, "200000000022")
    services.resolution_issue(
        meeting=_meeting(foundry, officer_semnan),
        organisation=Organisation.objects.get(code="gas-20"),
        text="اتصال گاز",
        deadline=date(2026, 12, 1),
        case=foundry,
        by=officer_semnan,
    )
    agenda = selectors.agenda_candidates(scope=scope_for(officer_semnan), province=foundry.province)
    assert list(agenda) == [dairy]


def test_execution_rate_and_overdue(world, officer_semnan, gas_semnan):
    case = _case(world, "200000000022")
    gas = Organisation.objects.get(code="gas-20")
    meeting = services.meeting_create(
        province=case.province, number=3, held_on=date(2026, 8, 1), by=officer_semnan
    )
    r1 = services.resolution_issue(
        meeting=meeting, organisation=gas, text="a", deadline=date(2026, 9, 1), by=officer_semnan
    )
    services.resolution_issue(
        meeting=meeting, organisation=gas, text="b", deadline=date(2026, 9, 11), by=officer_semnan
    )
    services.resolution_issue(
        meeting=meeting, organisation=gas, text="c", deadline=date(2026, 12, 30), by=officer_semnan
    )
    services.resolution_mark(resolution=r1, status="done", by=gas_semnan)
    ex = selectors.execution(scope=NATION)
    assert (ex["total"], ex["done"], ex["overdue"], ex["pending"]) == (3, 1, 1, 2)
    assert ex["execution_rate"] == pytest.approx(0.5)
    totals = selectors.execution_totals(scope=NATION)
    assert {k: totals[k] for k in ("total", "done", "overdue", "pending", "execution_rate")} == {
        k: ex[k] for k in ("total", "done", "overdue", "pending", "execution_rate")
    }
    assert [row["organisation"].code for row in ex["by_organisation"]] == ["gas-20"]
    assert [row["province"].code for row in ex["by_province"]] == ["IR-20"]
    board = selectors.overdue_board(scope=scope_for(gas_semnan))
    assert [row["days_overdue"] for row in board] == [74]
    assert [r.text for r in selectors.overdue_resolutions(scope=NATION)] == ["b"]


def test_liaison_sees_only_their_organisations_resolutions(
    world, officer_semnan, gas_semnan, gas_tehran, bank_melli
):
    case = _case(world, "200000000022")
    meeting = services.meeting_create(
        province=case.province, number=1, held_on=date(2026, 9, 1), by=officer_semnan
    )
    services.resolution_issue(
        meeting=meeting,
        organisation=Organisation.objects.get(code="gas-20"),
        text="gas",
        deadline=date(2026, 10, 1),
        by=officer_semnan,
    )
    services.resolution_issue(
        meeting=meeting,
        organisation=Organisation.objects.get(code="melli"),
        text="loan",
        deadline=date(2026, 10, 1),
        by=officer_semnan,
    )
    assert [r.text for r in selectors.resolutions(scope=scope_for(gas_semnan))] == ["gas"]
    assert [r.text for r in selectors.resolutions(scope=scope_for(bank_melli))] == ["loan"]
    assert list(selectors.resolutions(scope=scope_for(gas_tehran))) == []
    assert selectors.cases(scope=scope_for(bank_melli)).count() == 0
    with pytest.raises(Http404):
        selectors.resolution_get(
            scope=scope_for(gas_tehran), pk=selectors.resolutions(scope=NATION).first().pk
        )


def test_survival_by_year(world):
    data = selectors.survival(scope=NATION, today=date(2026, 11, 24))
    y1403 = next(r for r in data["by_year"] if r["year"] == 1403)
    assert y1403["revived"] == 1 and y1403["share_12"] == 1.0


def test_survival_kept_per_data_version_follows_the_status_history(world, officer_semnan):
    """survival is computed once per data version: a revival recorded after a reading shows at once, and
    the kept figures equal a computation from scratch."""
    from revive.registry.services import unit_status_record

    today = date(2026, 11, 24)
    semnan = scope_for(officer_semnan)
    before = {s: selectors.survival(scope=s, today=today) for s in (NATION, semnan)}
    unit = world["units"]["200000000011"]
    for band, day in (
        ("idle", date(2024, 1, 10)),
        ("above_70", date(2024, 6, 1)),
        ("idle", date(2025, 2, 1)),
    ):
        unit_status_record(unit=unit, band=band, effective_date=day, source="officer", by=officer_semnan)
    for s in (NATION, semnan):
        kept = selectors.survival(scope=s, today=today)
        assert kept == selectors._survival_now(scope=s, today=today, province=None)
        assert (
            sum(r["revived"] for r in kept["by_year"]) == sum(r["revived"] for r in before[s]["by_year"]) + 1
        )


def test_the_case_lists_boards_kept_per_data_version_follow_every_write(world, officer_semnan):
    """The case list's boards (counts per state, open cases per officer) are kept once per data version: an
    assignment and a transition show at once, as state_counts and workload read them (nation, Semnan)."""
    semnan = scope_for(officer_semnan)

    def check():
        for scope in (NATION, semnan):
            assert selectors.list_boards(scope=scope) == (
                selectors.state_counts(scope=scope),
                selectors.workload(scope=scope),
            )
        return selectors.list_boards(scope=semnan)

    counts, workload = check()
    foundry = _case(world, "200000000011")
    services.case_assign(case=foundry, officer=officer_semnan, by=officer_semnan)
    after = check()[1]
    assert after != workload and {"officer": officer_semnan.username, "open_cases": 1} in after
    services.case_transition(case=Case.objects.get(pk=foundry.pk), to=CaseState.CLOSED, by=officer_semnan,
                             note="no owner")  # fmt: skip
    assert check()[0][CaseState.CLOSED] == counts[CaseState.CLOSED] + 1
