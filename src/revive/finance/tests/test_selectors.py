"""finance/selectors.py: the loan list per scope and its filters, one loan, the pipeline board and totals,
one loan's arrears, the banks."""

from datetime import date, timedelta

import pytest
from django.http import Http404
from django.utils import translation

from revive.core.errors import DomainError
from revive.core.scoping import NATION, scope_for
from revive.finance import selectors, services
from revive.finance.models import LoanRequest, LoanState
from revive.finance.selectors import LoanFilters
from revive.finance.tests.factories import BN, introduced, paid, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def loans(world, officer_semnan, officer_tehran, bank_melli):
    """Each asks 30 bn. Semnan: the dairy's request registered, the foundry's paid by Melli (12 bn, in arrears
    since 2025); Tehran: the steel works' fixed-capital request introduced to Sepah for 25 bn."""
    waiting = registered(world, officer_semnan)
    lent = paid(
        world, officer_semnan, bank_melli, business_id="200000000011", amount=12 * BN,
        registered_on=date(2025, 5, 1), on=date(2025, 5, 20), intro_on=date(2025, 5, 10),
    )  # fmt: skip
    services.disbursement_record(loan=lent, by=bank_melli, on=date(2025, 6, 1), amount=12 * BN)
    sent = introduced(
        world, officer_tehran, to="sepah", business_id="230000000011", amount=25 * BN,
        kind="fixed_capital", project_progress=70,
    )  # fmt: skip
    return {"waiting": waiting, "lent": lent, "sent": sent}


def _pks(qs) -> list[int]:
    return [loan.pk for loan in qs]


def test_a_province_reads_only_its_loans_and_one_of_another_is_not_found(loans, officer_semnan):
    semnan = scope_for(officer_semnan)
    assert sorted(_pks(selectors.loan_requests(scope=semnan))) == sorted(
        [loans["waiting"].pk, loans["lent"].pk]
    )
    assert len(_pks(selectors.loan_requests(scope=NATION))) == 3
    with pytest.raises(Http404):
        selectors.loan_get(scope=semnan, pk=loans["sent"].pk)
    assert selectors.loan_get(scope=NATION, pk=loans["sent"].pk) == loans["sent"]


def test_the_loan_list_filters(loans):
    waiting, lent, sent = loans["waiting"].pk, loans["lent"].pk, loans["sent"].pk

    def listed(**filters):
        return sorted(_pks(selectors.loan_requests(scope=NATION, filters=LoanFilters(**filters))))

    assert listed(province="ir-23") == [sent]
    assert listed(bank="MELLI") == [lent]
    assert listed(state="pending") == sorted([waiting, sent])
    assert listed(state="lent") == [lent]
    assert listed(state=LoanState.INTRODUCED) == [sent]
    assert listed(kind="fixed_capital") == [sent]
    assert listed(year=1404) == [lent]  # registered 2025-05-01
    assert listed(year=1405) == sorted([waiting, sent])
    assert listed(q="۲۰۰۰۰۰۰۰۰۰۲۲") == [waiting]  # a business ID, in Persian digits
    assert listed(q="kaveh") == [sent]  # a word of the unit's name
    assert listed(q="1405/123") == sorted([lent, sent])  # the introduction letter's number
    assert listed(arrears="180+") == [lent]
    assert listed(arrears="1-30") == []


def test_the_loan_list_sorts_by_an_amount_either_way_and_newest_first_by_default(loans):
    def order(sort=""):
        return _pks(selectors.loan_requests(scope=NATION, filters=LoanFilters(sort=sort)))

    # the amount introduced: none yet comes last either way
    assert order("introduced") == [loans["lent"].pk, loans["sent"].pk, loans["waiting"].pk]
    assert order("-introduced") == [loans["sent"].pk, loans["lent"].pk, loans["waiting"].pk]
    registered_on = [loan.registered_on for loan in selectors.loan_requests(scope=NATION)]
    assert registered_on == sorted(registered_on, reverse=True)


@pytest.mark.parametrize(
    "filters, field",
    [
        ({"province": "IR-99"}, "province"),
        ({"bank": "nobank"}, "bank"),
        ({"state": "lost"}, "state"),
        ({"kind": "gift"}, "type"),
        ({"arrears": "forever"}, "arrears"),
    ],
)
def test_an_unknown_filter_value_is_refused_by_name(loans, filters, field):
    with translation.override("en"):
        with pytest.raises(DomainError) as refused:
            list(selectors.loan_requests(scope=NATION, filters=LoanFilters(**filters)))
        assert refused.value.details["field"] == field
        assert next(iter(filters.values())) in str(refused.value.message)


def test_the_pipeline_counts_every_state_with_the_amount_at_stake(loans):
    board = {row["state"]: row for row in selectors.pipeline(scope=NATION)}
    assert list(board) == list(LoanState.values)
    assert (board[LoanState.REGISTERED]["count"], board[LoanState.REGISTERED]["amount"]) == (1, 30 * BN)
    assert (board[LoanState.INTRODUCED]["count"], board[LoanState.INTRODUCED]["amount"]) == (1, 25 * BN)
    loans["lent"].refresh_from_db()
    lent_state = loans["lent"].state  # paid, or partly repaid
    assert board[lent_state]["count"] == 1 and board[lent_state]["amount"] == 12 * BN  # what was granted
    assert sum(row["count"] for row in board.values()) == 3
    total = selectors.totals(selectors.loan_requests(scope=NATION))
    assert (total["count"], total["requested"], total["introduced"]) == (3, 90 * BN, 37 * BN)


def test_one_loans_arrears_and_the_buckets(loans):
    lent = loans["lent"]
    owed = selectors.loan_arrears(loan=lent, today=date(2026, 11, 24))
    # twelve monthly instalments from mid-1404, all past due on 2026-11-24
    assert (owed["instalments"], owed["amount"], owed["bucket"]) == (12, 12 * BN, "180+")
    first_due = lent.installments.order_by("due_on").first().due_on  # a Jalali month after the disbursement
    assert owed["days"] == (date(2026, 11, 24) - first_due).days
    assert selectors.loan_arrears(loan=loans["waiting"])["bucket"] is None
    assert [selectors.bucket_of(d) for d in (0, 1, 30, 31, 90, 91, 180, 181)] == [
        None, "1-30", "1-30", "31-90", "31-90", "91-180", "91-180", "180+"
    ]  # fmt: skip


def test_banks_and_bank_get(world):
    assert [b.code for b in selectors.banks()] == ["melli", "sepah"]  # by English name
    assert selectors.bank_get(code=" Melli ").code == "melli"
    with pytest.raises(DomainError):
        selectors.bank_get(code="gas-20")  # an organisation, but not a bank


def test_the_arrears_board_counted_by_the_database_is_each_loans_own_arrears(loans, officer_semnan):
    lent = loans["lent"]
    first_due = lent.installments.order_by("due_on").first().due_on
    for days in (0, 1, 30, 31, 90, 91, 180, 181, 400):  # each edge of each bucket
        today = first_due + timedelta(days=days)
        expected = {key: (0, 0) for key, *_r in selectors.ARREARS_BUCKETS}
        owed = selectors.loan_arrears(loan=lent, today=today)
        if owed["bucket"]:
            expected[owed["bucket"]] = (1, owed["amount"])
        for scope in (NATION, scope_for(officer_semnan)):
            board = selectors.arrears(scope=scope, today=today)
            assert {row["key"]: (row["count"], row["amount"]) for row in board} == expected, days


def test_the_totals_added_up_from_the_board_are_the_lists_totals(loans, officer_semnan):
    for scope in (NATION, scope_for(officer_semnan)):
        qs = selectors.loan_requests(scope=scope)
        by_state = selectors.state_sums(LoanRequest.objects.visible_to(scope))
        assert selectors.totals(qs, by_state=by_state) == selectors.totals(qs)
    assert selectors.totals(LoanRequest.objects.none(), by_state={}) == selectors.totals(
        LoanRequest.objects.none()
    )


def test_the_funnel_kept_per_data_version_follows_every_step(world, officer_semnan, bank_melli):
    """The funnel is computed once per data version: a request registered, introduced, paid shows at once,
    and the kept figures equal a computation from scratch (nation, Semnan, one bank)."""
    semnan = scope_for(officer_semnan)
    melli = selectors.banks().get(code="melli")

    def check(expected: tuple) -> None:
        for scope, bank in ((NATION, None), (semnan, None), (NATION, melli)):
            kept = selectors.funnel(scope=scope, year=1405, bank=bank)
            fresh = selectors._funnel_now(scope=scope, year=1405, province=None, bank=bank)
            assert kept == fresh
        national = selectors.funnel(scope=NATION, year=1405)
        assert (national["registered"], national["introduced"], national["paid"]) == expected

    check((0, 0, 0))
    loan = registered(world, officer_semnan)
    check((1, 0, 0))
    loan = services.loan_approve(
        loan=services.loan_review(loan=loan, by=officer_semnan, on=loan.registered_on),
        by=officer_semnan, on=loan.registered_on,
    )  # fmt: skip
    loan = services.loan_introduce(
        loan=loan, by=officer_semnan, bank=melli, letter_number="1405/9", letter_date=date(2026, 7, 1),
        amount=20 * BN,
    )  # fmt: skip
    check((1, 1, 0))
    services.loan_decide(loan=loan, by=bank_melli, decision="paid", on=date(2026, 8, 1))
    check((1, 1, 1))


def test_the_loans_boards_kept_per_data_version_follow_every_write(loans, world, officer_semnan, bank_melli):
    """The loans page's boards are computed once per data version: a new request and a repayment show at
    once, and the kept boards equal the sums and arrears computed from scratch (nation and Semnan)."""
    semnan = scope_for(officer_semnan)

    def check() -> dict:
        for scope in (NATION, semnan):
            by_state, arrears = selectors.boards(scope=scope)
            assert by_state == selectors.state_sums(LoanRequest.objects.visible_to(scope))
            assert arrears == selectors.arrears(scope=scope)
        return selectors.boards(scope=semnan)

    by_state, arrears = check()
    registered(world, officer_semnan, business_id="200000000011", amount=7 * BN)
    after = check()
    assert sum(r["n"] for r in after[0].values()) == sum(r["n"] for r in by_state.values()) + 1
    owed = sum(row["amount"] for row in arrears)
    assert owed > 0
    services.repayment_record(loan=loans["lent"], by=bank_melli, on=date(2026, 11, 1), amount=owed)
    assert sum(row["amount"] for row in check()[1]) == 0
