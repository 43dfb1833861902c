from datetime import date

import pytest
from django.utils import translation

from revive.cases.models import CaseEvent, Obstacle
from revive.core.errors import ConflictError, DomainError
from revive.core.models import AuditEvent
from revive.finance import services
from revive.finance.models import Disbursement, Installment, LoanEvent, LoanRequest, LoanState
from revive.finance.tests.factories import (
    BN,
    approved,
    bank,
    introduced,
    line,
    paid,
    registered,
    working_capital_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_register_copies_province_park_and_sector_from_the_unit(world, officer_semnan):
    loan = registered(world, officer_semnan)
    unit = world["units"]["200000000022"]
    assert (loan.province_id, loan.park_id, loan.sector_group) == (unit.province_id, unit.park_id, "food")
    assert loan.state == LoanState.REGISTERED and loan.version == 1
    assert LoanEvent.objects.filter(loan=loan, kind="registered").count() == 1
    assert AuditEvent.objects.filter(action="loan_register", object_id=str(loan.pk)).count() == 1


@pytest.mark.parametrize("typed", ["12a000", "25.5", "2,5", "۲۵٫۵", 25.0, "", None, -5, 0])
def test_amount_with_letters_or_a_decimal_point_is_refused_and_nothing_written(world, officer_semnan, typed):
    with pytest.raises(DomainError) as err:
        registered(world, officer_semnan, amount=typed)
    assert err.value.details["field"] == "amount_requested"
    assert not LoanRequest.objects.exists() and not AuditEvent.objects.filter(action="loan_register").exists()


def test_amount_typed_in_persian_digits_with_separators_is_read(world, officer_semnan):
    loan = registered(world, officer_semnan, amount="۳۰٬۰۰۰٬۰۰۰٬۰۰۰")
    assert loan.amount_requested == 30 * BN


def test_fixed_capital_needs_a_project_over_60_percent_built(world, officer_semnan):
    with pytest.raises(DomainError, match="60"):
        registered(world, officer_semnan, kind="fixed_capital", project_progress=60)
    assert (
        registered(world, officer_semnan, kind="fixed_capital", project_progress=61).kind == "fixed_capital"
    )


def test_lifecycle_is_recorded_with_actor_and_time(world, officer_semnan, bank_melli):
    loan = paid(world, officer_semnan, bank_melli)
    events = list(loan.events.values_list("kind", "to_state", "actor_label"))
    assert [e[1] for e in events] == ["registered", "review", "approved", "introduced", "paid"]
    assert events[-1][2] == "bank.melli" and events[1][2] == "officer.semnan"
    assert loan.amount_paid == loan.amount == 30 * BN and loan.version == 5


def test_skipping_a_step_is_a_conflict(world, officer_semnan):
    loan = registered(world, officer_semnan)
    with pytest.raises(ConflictError):
        services.loan_introduce(
            loan=loan,
            by=officer_semnan,
            bank=bank(),
            letter_number="1",
            letter_date=date(2026, 7, 1),
            amount=BN,
        )


def test_stale_version_is_refused(world, officer_semnan):
    loan = registered(world, officer_semnan)
    services.loan_review(loan=loan, by=officer_semnan, version=1)
    with pytest.raises(ConflictError, match="Someone else"):
        services.loan_withdraw(loan=loan, by=officer_semnan, reason="x", version=1)
    assert LoanRequest.objects.get().state == LoanState.REVIEW


def test_introduction_over_the_national_line_names_the_line_and_what_remains(world, officer_semnan):
    line(1405, 50 * BN)
    introduced(world, officer_semnan, amount=30 * BN)
    second = approved(world, officer_semnan, business_id="200000000011")
    with translation.override("en"), pytest.raises(ConflictError) as err:
        services.loan_introduce(
            loan=second,
            by=officer_semnan,
            bank=bank(),
            letter_number="2",
            letter_date=date(2026, 7, 2),
            amount=30 * BN,
        )
    message = str(err.value.message)
    assert "Bank Melli Iran's national credit line for 1405" in message
    assert "50.0 billion rials" in message and "30.0 billion rials is already used" in message
    assert "20.0 billion rials remains" in message
    second.refresh_from_db()
    assert second.state == LoanState.APPROVED and second.bank_id is None
    with translation.override("fa"):
        assert "میلیارد ریال" in str(err.value.message)


def test_introduction_over_the_province_quota_is_refused(world, officer_semnan):
    line(1405, 100 * BN, province=world["provinces"]["IR-20"])
    line(1405, 500 * BN)
    loan = approved(world, officer_semnan, amount=120 * BN)
    with translation.override("en"), pytest.raises(ConflictError, match="quota for Semnan in 1405"):
        services.loan_introduce(
            loan=loan,
            by=officer_semnan,
            bank=bank(),
            letter_number="1",
            letter_date=date(2026, 7, 1),
            amount=120 * BN,
        )
    # Another bank's quota is not used up.
    ok = services.loan_introduce(
        loan=loan,
        by=officer_semnan,
        bank=bank("sepah"),
        letter_number="1",
        letter_date=date(2026, 7, 1),
        amount=120 * BN,
    )
    assert ok.state == LoanState.INTRODUCED


def test_rejected_and_withdrawn_introductions_release_the_line(world, officer_semnan, bank_melli):
    line(1405, 40 * BN)
    loan = introduced(world, officer_semnan, amount=30 * BN)
    assert services.credit_used(bank=bank(), year=1405) == 30 * BN
    services.loan_decide(
        loan=loan, by=bank_melli, decision="rejected", reason="collateral", on=date(2026, 7, 5)
    )
    assert services.credit_used(bank=bank(), year=1405) == 0


def test_decision_by_a_bank_that_was_not_addressed_is_refused_and_nothing_written(world, officer_semnan):
    from revive.accounts.models import User

    sepah = User.objects.create_user("bank.sepah", role="bank_officer", organisation=bank("sepah"))
    loan = introduced(world, officer_semnan)
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError, match="not introduced to your bank"):
        services.loan_decide(loan=loan, by=sepah, decision="paid")
    loan.refresh_from_db()
    assert loan.state == LoanState.INTRODUCED and loan.version == 4
    assert AuditEvent.objects.count() == before


def test_partly_paid_needs_an_amount_below_the_introduction_and_rejected_a_reason(
    world, officer_semnan, bank_melli
):
    loan = introduced(world, officer_semnan)
    with pytest.raises(DomainError, match="amount the bank granted"):
        services.loan_decide(loan=loan, by=bank_melli, decision="partly_paid")
    with pytest.raises(DomainError):
        services.loan_decide(loan=loan, by=bank_melli, decision="partly_paid", amount_paid=30 * BN)
    with pytest.raises(DomainError, match="reason"):
        services.loan_decide(loan=loan, by=bank_melli, decision="rejected")
    loan = services.loan_decide(loan=loan, by=bank_melli, decision="partly_paid", amount_paid=20 * BN)
    assert loan.amount_paid == 20 * BN


def test_disbursements_never_exceed_the_amount_paid(world, officer_semnan, bank_melli):
    loan = paid(world, officer_semnan, bank_melli)
    services.disbursement_record(loan=loan, by=bank_melli, on=date(2026, 8, 10), amount=20 * BN)
    with translation.override("en"), pytest.raises(DomainError) as err:
        services.disbursement_record(loan=loan, by=bank_melli, on=date(2026, 8, 20), amount=11 * BN)
    assert "at most 10.0 billion rials remains" in str(err.value.message)
    assert Disbursement.objects.count() == 1
    services.disbursement_record(loan=loan, by=bank_melli, on=date(2026, 8, 20), amount=10 * BN)


def test_first_disbursement_makes_the_schedule_and_repayments_settle_oldest_first(
    world, officer_semnan, bank_melli
):
    loan = paid(world, officer_semnan, bank_melli, amount=12 * BN + 5)
    services.disbursement_record(loan=loan, by=bank_melli, on=date(2026, 8, 10), amount=12 * BN + 5)
    rows = list(Installment.objects.filter(loan=loan))
    assert len(rows) == 12 and sum(r.amount for r in rows) == 12 * BN + 5
    # 19 Mordad 1405 -> 19 Shahrivar 1405, monthly in the Iranian calendar.
    assert rows[0].due_on == date(2026, 9, 10)
    services.repayment_record(loan=loan, by=bank_melli, on=date(2026, 9, 10), amount=BN + BN // 2)
    rows = list(Installment.objects.filter(loan=loan))
    assert rows[0].paid_on == date(2026, 9, 10) and rows[1].paid_amount == BN // 2 - 1


def test_arrears_buckets_count_from_the_oldest_unpaid_instalment(world, officer_semnan, bank_melli):
    from revive.core.scoping import NATION
    from revive.finance import selectors

    loan = paid(
        world,
        officer_semnan,
        bank_melli,
        amount=12 * BN,
        registered_on=date(2025, 5, 1),
        on=date(2025, 5, 20),
        **{"intro_on": date(2025, 5, 10)},
    )
    services.disbursement_record(loan=loan, by=bank_melli, on=date(2025, 6, 1), amount=12 * BN)
    # The first instalment was due on 2025-07-01, all twelve are past due on 2026-11-24.
    buckets = {b["key"]: b for b in selectors.arrears(scope=NATION)}
    assert buckets["180+"]["count"] == 1 and buckets["180+"]["amount"] == 12 * BN
    services.repayment_record(loan=loan, by=bank_melli, on=date(2026, 11, 1), amount=11 * BN)
    buckets = {b["key"]: b for b in selectors.arrears(scope=NATION)}
    # The last instalment fell due on 11 Khordad 1405 (2026-06-01), 176 days ago.
    assert buckets["91-180"]["count"] == 1 and buckets["91-180"]["amount"] == BN


def test_last_repayment_closes_the_loan(world, officer_semnan, bank_melli):
    loan = paid(world, officer_semnan, bank_melli, amount=12 * BN)
    services.disbursement_record(loan=loan, by=bank_melli, on=date(2026, 8, 10), amount=12 * BN)
    with pytest.raises(DomainError, match="still owed"):
        services.repayment_record(loan=loan, by=bank_melli, on=date(2026, 9, 1), amount=13 * BN)
    services.repayment_record(loan=loan, by=bank_melli, on=date(2026, 9, 1), amount=12 * BN)
    loan.refresh_from_db()
    assert loan.state == LoanState.CLOSED and loan.closed_on == date(2026, 9, 1)


def test_paid_working_capital_loan_removes_the_obstacle_and_shows_on_the_case(
    world, officer_semnan, bank_melli
):
    case, obstacle = working_capital_case(world, officer_semnan)
    loan = paid(world, officer_semnan, bank_melli, case=case, obstacle=obstacle)
    obstacle.refresh_from_db()
    assert obstacle.status == Obstacle.Status.REMOVED
    kinds = list(CaseEvent.objects.filter(case=case, kind="loan").values_list("text", flat=True))
    assert len(kinds) == 4 and all(t.startswith(f"#{loan.pk}") for t in kinds)


def test_partly_paid_loan_leaves_the_obstacle_open_with_a_note(world, officer_semnan, bank_melli):
    case, obstacle = working_capital_case(world, officer_semnan)
    loan = introduced(world, officer_semnan, case=case, obstacle=obstacle)
    with translation.override("en"):
        services.loan_decide(loan=loan, by=bank_melli, decision="partly_paid", amount_paid=10 * BN)
    obstacle.refresh_from_db()
    assert obstacle.status == Obstacle.Status.OPEN
    assert "stays open" in CaseEvent.objects.filter(case=case, kind="loan").last().text


def test_lending_figure_with_industry_above_total_is_refused(world, national_admin):
    from revive.finance.models import LendingFigure

    with translation.override("en"), pytest.raises(DomainError, match="cannot be more than all facilities"):
        services.lending_figure_set(
            year=1405, month=7, bank=None, total=100, industry_mining=101, by=national_admin
        )
    assert not LendingFigure.objects.exists()
    services.lending_figure_set(
        year=1405, month=7, bank=None, total=100, industry_mining=31, by=national_admin
    )
    services.lending_figure_set(
        year=1405, month=7, bank=None, total=200, industry_mining=62, by=national_admin
    )
    assert LendingFigure.objects.get().total == 200


def test_credit_line_cannot_go_below_what_is_used(world, officer_semnan):
    line(1405, 50 * BN)
    introduced(world, officer_semnan, amount=30 * BN)
    with pytest.raises(DomainError, match="already introduced"):
        line(1405, 20 * BN)
