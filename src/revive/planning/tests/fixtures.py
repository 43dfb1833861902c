"""A small planning world on top of the shared `world`: obstacles with amounts, a gas project, budget lines."""

import pytest

BILLION = 10**9


@pytest.fixture
def planning_world(world, national_admin):
    from revive.cases import services as case_services
    from revive.cases.models import OPEN_STATES, Case
    from revive.planning import services
    from revive.planning.models import BudgetLine
    from revive.registry.models import Organisation

    melli = Organisation.objects.get(code="melli")
    sepah = Organisation.objects.get(code="sepah")
    cases = {
        bid: Case.objects.get(unit=world["units"][bid], state__in=OPEN_STATES)
        for bid in ("200000000011", "200000000022", "230000000011")
    }
    by = national_admin
    case_services.obstacle_add(
        case=cases["200000000011"], by=by, kind="working_capital", organisation=melli, amount=20 * BILLION
    )
    case_services.obstacle_add(case=cases["200000000011"], by=by, kind="gas")
    case_services.obstacle_add(case=cases["200000000022"], by=by, kind="working_capital", amount=10 * BILLION)
    case_services.obstacle_add(
        case=cases["230000000011"], by=by, kind="working_capital", organisation=sepah, amount=30 * BILLION
    )
    gas = services.project_create(
        park=world["parks"]["P-20-001"],
        utility="gas",
        name_fa="اتصال گاز",
        name_en="Gas connection",
        cost=50 * BILLION,
        duration_months=2,
        by=by,
    )
    tehran_road = services.project_create(
        park=world["parks"]["P-23-001"],
        utility="road",
        name_fa="راه",
        name_en="Road",
        cost=5 * BILLION,
        duration_months=1,
        by=by,
    )
    for bank in (melli, sepah):
        services.budget_line_set(
            year=1405, kind=BudgetLine.Kind.BANK_CREDIT, bank=bank, amount=100 * BILLION, by=by
        )
    services.budget_line_set(year=1405, kind=BudgetLine.Kind.INFRA, amount=60 * BILLION, by=by)
    return {**world, "cases": cases, "gas": gas, "tehran_road": tehran_road, "melli": melli, "sepah": sepah}
