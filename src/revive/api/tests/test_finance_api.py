import pytest

from revive.accounts.services import token_create
from revive.core.models import AuditEvent
from revive.finance import services
from revive.finance.models import LoanRequest, LoanState
from revive.finance.tests.factories import BN, bank, introduced, line, paid, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client):
    def _call(user, method, path, **kw):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}", "HTTP_ACCEPT_LANGUAGE": "en"}
        if method == "get":
            return client.get(f"/api/v1{path}", kw, **headers)
        return client.post(f"/api/v1{path}", kw, content_type="application/json", **headers)

    return _call


@pytest.fixture
def sepah_officer(world):
    from revive.accounts.models import User

    return User.objects.create_user("bank.sepah", role="bank_officer", organisation=bank("sepah"))


@pytest.fixture
def loan(world, officer_semnan):
    return introduced(world, officer_semnan)


def test_list_filters_and_items_carry_id_and_bank_code(call, officer_semnan, national_admin, loan, world):
    registered(world, officer_semnan, business_id="200000000011")
    data = call(national_admin, "get", "/loan-requests", province="IR-20", state="introduced").json()
    assert data["count"] == 1 and data["items"][0]["id"] == loan.pk and data["items"][0]["bank"] == "melli"
    data = call(national_admin, "get", "/loan-requests", bank="melli").json()
    assert [i["id"] for i in data["items"]] == [loan.pk]
    assert (
        call(national_admin, "get", "/loan-requests", state="registered").json()["items"][0]["bank"] is None
    )
    assert call(national_admin, "get", "/loan-requests", state="nonsense").status_code == 400


def test_every_endpoint_answers_404_out_of_scope(call, officer_tehran, sepah_officer, loan):
    for user in (officer_tehran, sepah_officer):
        assert call(user, "get", f"/loan-requests/{loan.pk}").status_code == 404
        assert (
            call(user, "post", f"/loan-requests/{loan.pk}/transitions", to="paid", version=0).status_code
            == 404
        )
        assert call(user, "get", "/loan-requests", province="IR-20").status_code == 404
        assert call(user, "get", "/kpis/funnel", year=1405, province="IR-20").status_code == 404
    assert call(sepah_officer, "get", "/loan-requests", bank="melli").status_code == 404
    assert call(sepah_officer, "get", "/kpis/funnel", year=1405, bank="melli").status_code == 404
    assert call(sepah_officer, "get", "/kpis/lending-share", year=1405, bank="melli").status_code == 404
    assert call(sepah_officer, "get", "/loan-requests").json()["count"] == 0
    assert LoanRequest.objects.get().state == LoanState.INTRODUCED


def test_bank_decides_through_the_api_with_version(call, bank_melli, loan):
    loan_audit = AuditEvent.objects.filter(object_type="finance.loanrequest")
    before = loan_audit.count()
    r = call(bank_melli, "post", f"/loan-requests/{loan.pk}/transitions", to="paid", version=loan.version - 1)
    assert r.status_code == 409 and loan_audit.count() == before
    r = call(
        bank_melli,
        "post",
        f"/loan-requests/{loan.pk}/transitions",
        to="partly_paid",
        amount="20,000,000,000",
        on="1405/05/10",
        version=loan.version,
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (
        body["state"] == "partly_paid"
        and body["amount_paid"] == 20 * BN
        and body["allowed_transitions"] == ["closed"]
    )
    r = call(
        bank_melli,
        "post",
        f"/loan-requests/{loan.pk}/transitions",
        to="disbursement",
        amount=21 * BN,
        on="1405/05/20",
        version=LoanRequest.objects.get().version,
    )
    assert r.status_code == 400 and "cannot exceed" in r.json()["message"]


def test_bad_input_is_400_and_disallowed_is_409(call, officer_semnan, bank_melli, loan):
    path = f"/loan-requests/{loan.pk}/transitions"
    v = loan.version
    assert (
        call(bank_melli, "post", path, to="partly_paid", amount=20.5, on="1405/05/10", version=v).status_code
        == 400
    )
    assert (
        call(bank_melli, "post", path, to="partly_paid", amount="20a", on="1405/05/10", version=v).status_code
        == 400
    )
    assert call(bank_melli, "post", path, to="paid", on="1405/13/01", version=v).status_code == 400
    assert call(officer_semnan, "post", path, to="review", version=v).status_code == 409
    assert (
        call(bank_melli, "post", path, to="review", version=v).status_code == 403
    )  # the role: the service's refusal
    assert (
        call(bank_melli, "post", path, to="paid", on="1405/05/10").status_code == 400
    )  # no version: refused
    assert LoanRequest.objects.get().state == LoanState.INTRODUCED


def test_introduction_over_quota_is_409_with_the_figures(call, world, officer_semnan):
    from revive.finance.tests.factories import approved

    line(1405, 10 * BN)
    loan = approved(world, officer_semnan)
    r = call(
        officer_semnan,
        "post",
        f"/loan-requests/{loan.pk}/transitions",
        to="introduced",
        bank="melli",
        letter_number="7",
        on="1405/04/10",
        amount=30 * BN,
        version=loan.version,
    )
    assert r.status_code == 409
    assert r.json()["details"]["remaining"] == 10 * BN and "national credit line" in r.json()["message"]


def test_funnel_kpi(call, world, national_admin, officer_semnan, bank_melli):
    paid(world, officer_semnan, bank_melli)
    registered(world, officer_semnan, business_id="200000000011")
    data = call(national_admin, "get", "/kpis/funnel", year=1405).json()
    assert (data["registered"], data["introduced"], data["paid"]) == (2, 1, 1)
    assert data["amount_paid"] == 30 * BN and data["median_days"]["registered_to_introduced"] == 30
    assert data["by_bank"][0]["key"] == "melli" and data["by_bank"][0]["rank"] == 1
    assert call(national_admin, "get", "/kpis/funnel", year=1405, bank="melli").json()["registered"] == 1
    assert call(national_admin, "get", "/kpis/funnel", year=1300).status_code == 400


def test_lending_share_kpi(call, national_admin, officer_tehran):
    services.lending_figure_set(year=1405, month=1, bank=None, total=1000, industry_mining=300, by="t")
    services.lending_figure_set(year=1405, month=2, bank=None, total=1000, industry_mining=340, by="t")
    data = call(officer_tehran, "get", "/kpis/lending-share", year=1405).json()
    assert data["target"] == 0.40 and data["share"] == pytest.approx(0.32)
    assert data["by_month"][1]["share"] == pytest.approx(0.34) and data["by_month"][2]["share"] is None


def test_a_whole_amount_written_with_a_point_is_the_same_whole_number(call, bank_melli, loan):
    """JSON Schema's `integer` (the schema of `amount` and `term_months`) is any number without a fraction:
    20000000000.0 is accepted as 20,000,000,000; 20.5, true and false are not whole numbers (400)."""
    path = f"/loan-requests/{loan.pk}/transitions"
    for bad in (20.5, True, False):
        r = call(
            bank_melli, "post", path, to="partly_paid", amount=bad, on="1405/05/10", version=loan.version
        )
        assert r.status_code == 400, bad
    r = call(
        bank_melli, "post", path, to="partly_paid", amount=20.0 * BN, on="1405/05/10", version=loan.version
    )
    assert r.status_code == 200, r.json()
    assert r.json()["amount_paid"] == 20 * BN
