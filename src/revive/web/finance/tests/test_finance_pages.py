import io
import re
from datetime import date

import pytest
from django.test import Client

from revive.core.models import AuditEvent
from revive.core.scoping import scope_for
from revive.finance import selectors, services
from revive.finance.models import LendingFigure, LoanRequest, LoanState
from revive.finance.tests.factories import BN, bank, introduced, line, paid, working_capital_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def sepah_officer(world):
    from revive.accounts.models import User

    return User.objects.create_user(
        "bank.sepah", password="x", role="bank_officer", organisation=bank("sepah")
    )


@pytest.fixture
def melli_loan(world, officer_semnan):
    return introduced(world, officer_semnan, amount=30 * BN)


def _urls(loan) -> tuple[list[str], list[tuple[str, dict]]]:
    gets = [
        f"/loans/{loan.pk}/",
        "/loans/?province=IR-20",
        "/loans/funnel/?province=IR-20",
        f"/loans/new/?unit={loan.unit.business_id}",
    ]
    posts = [
        (f"/loans/{loan.pk}/step/", {"to": "withdrawn", "note": "x", "version": loan.version}),
        (
            f"/loans/{loan.pk}/introduce/",
            {
                "bank": bank().pk,
                "letter_number": "1",
                "on": "1405/04/10",
                "amount": "1",
                "kind": "working_capital",
            },
        ),
        (f"/loans/{loan.pk}/decide/", {"to": "paid", "on": "1405/05/10", "version": loan.version}),
        (f"/loans/{loan.pk}/disbursements/", {"d-on": "1405/05/20", "d-amount": "1000"}),
        (f"/loans/{loan.pk}/repayments/", {"r-on": "1405/06/20", "r-amount": "1000"}),
    ]
    return gets, posts


def test_officer_sees_their_requests_in_persian_with_totals(login, officer_semnan, melli_loan):
    body = login(officer_semnan).get("/loans/").content.decode()
    assert "لبنیات کویر" in body and "۳۰٫۰ میلیارد ریال" in body
    assert "<tfoot>" in body


def test_unit_choice_shows_amounts_in_tomans_and_hemat(login, officer_semnan, melli_loan):
    client = login(officer_semnan)
    assert "۳٬۰۰۰٬۰۰۰٬۰۰۰ تومان" in client.get("/loans/?unit=toman").content.decode()
    assert "همت" in client.get("/loans/?unit=hemat").content.decode()


def test_every_finance_url_answers_404_to_an_officer_of_another_province(login, officer_tehran, melli_loan):
    client = login(officer_tehran)
    gets, posts = _urls(melli_loan)
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert LoanRequest.objects.get().state == LoanState.INTRODUCED


def test_another_bank_gets_404_everywhere_and_its_decision_writes_nothing(login, sepah_officer, melli_loan):
    client = login(sepah_officer)
    before = AuditEvent.objects.count()
    for url in [
        f"/loans/{melli_loan.pk}/",
        "/loans/?bank=melli",
        "/loans/funnel/?bank=melli",
        "/loans/?province=IR-20",
    ]:
        assert client.get(url).status_code == 404, url
    _gets, posts = _urls(melli_loan)
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert AuditEvent.objects.count() == before
    assert "لبنیات" not in client.get("/loans/").content.decode()


def test_bank_officer_sees_only_what_was_introduced_to_their_bank(
    login, world, officer_semnan, bank_melli, melli_loan
):
    from revive.finance.tests.factories import registered

    registered(world, officer_semnan, business_id="200000000011")
    body = login(bank_melli).get("/loans/").content.decode()
    assert f"/loans/{melli_loan.pk}/" in body and body.count('class="tag loan-') == 1
    for url in ["/units/", "/cases/", "/overview/"]:
        assert login(bank_melli).get(url).status_code in (302, 403, 404), url


def test_bank_records_its_decision_and_a_disbursement_from_the_page(login, bank_melli, melli_loan):
    client = login(bank_melli)
    r = client.post(
        f"/loans/{melli_loan.pk}/decide/",
        {"to": "partly_paid", "amount": "۲۰٬۰۰۰٬۰۰۰٬۰۰۰", "on": "۱۴۰۵/۰۵/۱۰", "version": melli_loan.version},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    loan = LoanRequest.objects.get()
    assert (
        loan.state == LoanState.PARTLY_PAID
        and loan.amount_paid == 20 * BN
        and loan.decided_on == date(2026, 8, 1)
    )
    r = client.post(
        f"/loans/{loan.pk}/disbursements/",
        {"d-on": "1405/05/20", "d-amount": "25000000000", "d-version": loan.version},
    )
    assert r.status_code == 400 and "۲۰٫۰ میلیارد ریال" in r.content.decode()
    assert not loan.disbursements.exists()


@pytest.mark.parametrize("typed", ["25a", "25.5", "۲۵٫۵"])
def test_amount_with_letters_or_a_decimal_point_shows_a_clear_message(login, bank_melli, melli_loan, typed):
    client = login(bank_melli)
    client.cookies["django_language"] = "en"
    r = client.post(
        f"/loans/{melli_loan.pk}/decide/",
        {"to": "partly_paid", "amount": typed, "on": "1405/05/10", "version": melli_loan.version},
    )
    body = r.content.decode()
    assert r.status_code == 400 and "without letters or a decimal point" in body and "error-summary" in body
    assert LoanRequest.objects.get().state == LoanState.INTRODUCED


def test_introduction_over_quota_is_refused_on_the_page(login, world, officer_semnan):
    from revive.finance.tests.factories import approved

    line(1405, 10 * BN)
    loan = approved(world, officer_semnan)
    client = login(officer_semnan)
    client.cookies["django_language"] = "en"
    r = client.post(
        f"/loans/{loan.pk}/introduce/",
        {
            "bank": bank().pk,
            "letter_number": "55",
            "on": "1405/04/10",
            "amount": "30,000,000,000",
            "kind": "working_capital",
            "version": loan.version,
        },
    )
    assert r.status_code == 400 and "national credit line for 1405" in r.content.decode()
    assert LoanRequest.objects.get().state == LoanState.APPROVED


def test_case_page_starts_a_loan_request_and_lists_it(login, world, officer_semnan):
    case, obstacle = working_capital_case(world, officer_semnan)
    client = login(officer_semnan)
    assert f"/loans/new/?case={case.pk}" in client.get(f"/cases/{case.pk}/").content.decode()
    r = client.post(
        "/loans/new/",
        {
            "case": case.pk,
            "kind": "working_capital",
            "amount_requested": "30,000,000,000",
            "obstacle": obstacle.pk,
        },
    )
    assert r.status_code == 302
    loan = LoanRequest.objects.get()
    assert loan.case_id == case.pk and loan.obstacle_id == obstacle.pk
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/loans/{loan.pk}/" in body


def test_forms_need_the_csrf_token(world, officer_semnan, melli_loan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_semnan)
    r = client.post(f"/loans/{melli_loan.pk}/step/", {"to": "withdrawn", "note": "x"})
    assert r.status_code == 403
    assert LoanRequest.objects.get().state == LoanState.INTRODUCED


def test_request_page_shows_the_timeline_and_the_bank_decision_form(login, bank_melli, melli_loan):
    body = login(bank_melli).get(f"/loans/{melli_loan.pk}/").content.decode()
    assert "timeline" in body and f"/loans/{melli_loan.pk}/decide/" in body


def test_export_has_the_same_rows_as_the_list(login, officer_semnan, melli_loan):
    import csv

    from openpyxl import load_workbook

    r = login(officer_semnan).get("/loans/?export=csv&state=introduced")
    rows = b"".join(r.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 2 and rows[1].startswith(str(melli_loan.pk))
    xlsx = login(officer_semnan).get("/loans/?export=xlsx&state=introduced")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).worksheets[0]
    cells = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == list(csv.reader(rows))  # the same header and the same row, cell by cell
    assert int(cells[1][0]) == melli_loan.pk and cells[1][1] == melli_loan.unit.business_id


def test_funnel_page_and_api_give_the_same_numbers(login, client, world, officer_semnan, bank_melli):
    from revive.accounts.services import token_create

    paid(world, officer_semnan, bank_melli)
    introduced(world, officer_semnan, business_id="200000000011")
    page = login(officer_semnan).get("/loans/funnel/?year=1405").content.decode()
    token = token_create(user=officer_semnan)
    api = client.get("/api/v1/kpis/funnel?year=1405", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    data = selectors.funnel(scope=scope_for(officer_semnan), year=1405)
    assert (
        (api["registered"], api["introduced"], api["paid"])
        == (data["registered"], data["introduced"], data["paid"])
        == (2, 2, 1)
    )
    assert "۲ ← ۲ ← ۱" in page  # registered, introduced, paid, read right to left


def test_lending_share_page_shows_share_target_and_chart(login, national_admin):
    services.lending_figure_set(
        year=1405, month=1, bank=None, total=1000 * BN, industry_mining=310 * BN, by="t"
    )
    body = login(national_admin).get("/loans/lending-share/?year=1405").content.decode()
    assert "۳۱٫۰٪" in body and "<svg" in body and "stroke-dasharray" in body and "۴۰٪" in body


def test_lending_figure_over_total_is_refused_on_the_page(login, national_admin):
    client = login(national_admin)
    client.cookies["django_language"] = "en"
    r = client.post(
        "/loans/lending-share/figures/", {"month": "1405/07", "total": "100", "industry_mining": "101"}
    )
    assert r.status_code == 400 and "cannot be more than all facilities" in r.content.decode()
    assert not LendingFigure.objects.exists()


def test_import_writes_all_or_nothing_and_reports_every_bad_row(login, national_admin):
    client = login(national_admin)
    client.cookies["django_language"] = "en"
    bad = "year,month,bank,total,industry_mining\n1405,1,,1000,310\n1405,2,nobank,1000,300\n1405,3,,100,200\n1405,4,melli,12.5,1\n"
    f = io.BytesIO(bad.encode())
    f.name = "figures.csv"
    r = client.post("/loans/lending-share/import/", {"file": f})
    body = r.content.decode()
    assert r.status_code == 400 and not LendingFigure.objects.exists()
    assert (
        "Unknown bank" in body and "cannot be more than all facilities" in body and "without letters" in body
    )
    good = io.BytesIO("سال,ماه,بانک,کل,صنعت و معدن\n۱۴۰۵,۱,,۱۰۰۰,۳۱۰\n1405,1,melli,500,150\n".encode())
    good.name = "figures.csv"
    assert client.post("/loans/lending-share/import/", {"file": good}).status_code == 302
    assert LendingFigure.objects.count() == 2


def test_credit_line_page_shows_used_and_remaining(login, national_admin, world, officer_semnan):
    line(1405, 100 * BN)
    introduced(world, officer_semnan, amount=30 * BN)
    body = login(national_admin).get("/loans/credit-lines/?year=1405").content.decode()
    assert "۷۰٫۰ میلیارد ریال" in body and "۳۰٫۰ میلیارد ریال" in body


def test_provincial_officer_cannot_set_credit_lines_and_is_told_why(login, officer_semnan):
    """The rule is the service's (finance.services.credit_line_set): the page shows its refusal."""
    from revive.finance.models import CreditLine

    client = login(officer_semnan)
    client.cookies["django_language"] = "en"
    r = client.post("/loans/credit-lines/", {"year": "1405", "bank": bank().pk, "amount": "100"})
    assert r.status_code == 403
    assert "Only national staff who manage loans set credit lines and lending figures." in r.content.decode()
    assert not CreditLine.objects.exists() and not LendingFigure.objects.exists()


def test_a_bank_gets_the_same_refusal_on_the_page_as_through_the_api(login, bank_melli, melli_loan):
    """Who moves a request along is the service's rule (finance.workflow.require_role): the page and
    the API both answer 403 with its message, in the user's language."""
    from revive.accounts.services import token_create

    form = {"to": "withdrawn", "note": "x", "version": melli_loan.version}
    page = login(bank_melli).post(f"/loans/{melli_loan.pk}/step/", form, HTTP_ACCEPT_LANGUAGE="fa")
    api = Client().post(
        f"/api/v1/loan-requests/{melli_loan.pk}/transitions",
        {"to": "withdrawn", "reason": "x", "version": melli_loan.version},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_create(user=bank_melli)}",
        HTTP_ACCEPT_LANGUAGE="fa",
    )
    message = api.json()["message"]
    assert page.status_code == api.status_code == 403
    assert message == "نقش شما اجازهٔ این تغییر در درخواست را نمی‌دهد." and message in page.content.decode()
    assert LoanRequest.objects.get().state == LoanState.INTRODUCED


def test_a_second_credit_line_for_the_same_bank_and_year_replaces_only_once_confirmed(login, national_admin):
    from revive.finance.models import CreditLine

    client = login(national_admin)
    client.cookies["django_language"] = "en"
    first = {"year": "1405", "bank": bank().pk, "amount": "5,000,000,000,000", "note": "", "version": ""}
    assert client.post("/loans/credit-lines/", first).status_code == 302
    # A colleague who did not see that line sends another amount: refused, nothing overwritten, told what is there.
    second = {**first, "amount": "1,000,000,000,000"}
    r = client.post("/loans/credit-lines/", second)
    body = r.content.decode()
    assert r.status_code == 400 and "already has a line of" in body
    assert CreditLine.objects.get().amount == 5 * 10**12
    # The redisplayed form now carries the version it showed; sending it again is the confirmation.
    assert 'name="version" value="1"' in body
    assert client.post("/loans/credit-lines/", {**second, "version": "1"}).status_code == 302
    assert CreditLine.objects.get().amount == 10**12
    # A stale version (someone replaced it meanwhile) is refused again.
    assert client.post("/loans/credit-lines/", {**first, "version": "1"}).status_code == 400
    assert CreditLine.objects.get().amount == 10**12


def test_a_months_lending_figures_are_replaced_only_once_confirmed(login, national_admin):
    client = login(national_admin)
    client.cookies["django_language"] = "en"
    first = {"month": "1405/07", "total": "1000", "industry_mining": "310"}
    assert client.post("/loans/lending-share/figures/", first).status_code == 302
    r = client.post("/loans/lending-share/figures/", {**first, "industry_mining": "400"})
    assert r.status_code == 400 and "This month already has figures" in r.content.decode()
    assert LendingFigure.objects.get().industry_mining == 310
    assert 'name="version" value="1"' in r.content.decode()
    ok = client.post("/loans/lending-share/figures/", {**first, "industry_mining": "400", "version": "1"})
    assert ok.status_code == 302 and LendingFigure.objects.get().industry_mining == 400


@pytest.mark.parametrize("reader", ["park_manager", "unit_owner"])
def test_a_park_or_a_unit_is_not_shown_the_programmes_lines_and_lending_as_zeros(request, login, reader):
    """Credit lines and lending figures are no park's or unit's (the models show them none): their pages
    answered with a headline of zeros ('0.0 billion rials' of lines); now 404 and no link to them; the
    funnel of their own requests names them instead of 'whole country'."""
    user = request.getfixturevalue(reader)
    client = login(user)
    for url in ("/loans/credit-lines/", "/loans/lending-share/"):
        assert client.get(url).status_code == 404
    body = client.get("/loans/").content.decode()
    assert "/loans/credit-lines/" not in body and "/loans/lending-share/" not in body
    assert "/loans/funnel/" in body
    client.cookies["django_language"] = "en"
    funnel = client.get("/loans/funnel/").content.decode()
    own = user.park.name_en if user.park_id else user.unit.name_en
    assert "whole country" not in funnel and own in funnel


def test_staff_and_banks_still_have_the_lines_and_lending_links(login, officer_semnan, sepah_officer):
    for user in (officer_semnan, sepah_officer):
        client = login(user)
        body = client.get("/loans/").content.decode()
        assert "/loans/credit-lines/" in body and "/loans/lending-share/" in body
        assert client.get("/loans/credit-lines/").status_code == 200
        assert client.get("/loans/lending-share/").status_code == 200


def test_the_funnel_and_the_timelines_point_in_the_reading_direction(login, officer_semnan, melli_loan):
    """A fixed '→' pointed backwards on Persian (right-to-left) pages: 9,131 → 3,832 read as a flow to 9,131."""
    client = login(officer_semnan)
    fa = client.get("/loans/funnel/").content.decode()
    big = re.search(r'<p class="big">(.*?)</p>', fa).group(1)
    assert "←" in big and "→" not in big
    detail = client.get(f"/loans/{melli_loan.pk}/").content.decode()
    timeline = re.search(r'<ol class="timeline">.*?</ol>', detail, re.S).group(0)
    assert "←" in timeline and "→" not in timeline
    client.cookies["django_language"] = "en"
    big = re.search(r'<p class="big">(.*?)</p>', client.get("/loans/funnel/").content.decode()).group(1)
    assert "→" in big and "←" not in big
