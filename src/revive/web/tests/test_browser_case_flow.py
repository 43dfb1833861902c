"""The case flow in a real Chromium: an officer opens a case, diagnoses it, takes it to the workgroup,
the bank answers the resolution, a visit verifies the revival and the headline rises by one."""

import pytest

from revive.web.tests.test_browser import browser_page, http_cookies  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit].primary")


def _sign_out(page) -> None:
    page.click("form[action$='/logout/'] button")


def _headline(page, base: str) -> str:
    page.goto(f"{base}/overview/")
    return page.inner_text("[data-figure=revived_units]").strip()


@pytest.fixture
def dairy_without_case(transactional_db, world):
    """The idle dairy's automatic case is removed so the officer opens one by hand (before the browser
    starts: Playwright's event loop forbids database calls from the test thread)."""
    from revive.cases.models import Case

    Case.objects.filter(unit__business_id="200000000022").delete()


@pytest.mark.usefixtures("dairy_without_case", "http_cookies", "officer_semnan", "bank_melli")
def test_officer_bank_and_visit_revive_a_unit(live_server, request):
    page, base = request.getfixturevalue("browser_page"), live_server.url

    _sign_in(page, base, "officer.semnan")
    assert _headline(page, base) == "۱"

    # Open a case from the unit page.
    page.goto(f"{base}/units/200000000022/")
    page.click("form[action$='/open-case/'] button")
    page.wait_for_url("**/cases/*/")
    case_url = page.url

    # Diagnose two obstacles: working capital from Bank Melli, and the park's missing gas.
    page.select_option("#id_kind", "working_capital")
    page.select_option("#id_organisation", label="بانک ملی ایران")
    page.fill("#id_amount", "۲۵٬۰۰۰٬۰۰۰٬۰۰۰")
    page.click("form[action$='/obstacles/'] button[type=submit]")
    page.wait_for_url(case_url)
    page.select_option("#id_kind", "gas")
    page.select_option("#id_organisation", label="شرکت گاز سمنان")
    page.click("form[action$='/obstacles/'] button[type=submit]")
    page.wait_for_url(case_url)
    assert "۲۵" in page.inner_text("table.data")  # the amount, in billion rials

    # The workgroup meets with the case on its agenda and orders Bank Melli to lend.
    page.goto(f"{base}/meetings/new/")
    page.fill("#id_number", "۱۲")
    page.fill("#id_held_on", "۱۴۰۵/۰۹/۰۳")
    page.check("input[name=cases]")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/meetings/*/")
    page.select_option("#id_organisation", label="بانک ملی ایران")
    page.select_option("#id_case", index=1)
    page.fill("#id_text", "معرفی واحد برای تسهیلات سرمایه در گردش")
    page.fill("#id_deadline", "۱۴۰۵/۰۹/۲۰")
    page.click("button[type=submit].primary")
    assert "معرفی واحد برای تسهیلات" in page.inner_text("main")
    _sign_out(page)

    # The bank's officer answers in place (htmx).
    _sign_in(page, base, "bank.melli")
    page.goto(f"{base}/resolutions/")
    row = page.locator("tr", has_text="معرفی واحد برای تسهیلات")
    row.locator("select[name=status]").select_option("done")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("tr:has-text('معرفی واحد برای تسهیلات') >> text=انجام شد")
    _sign_out(page)

    # A field visit verifies the revival; the headline counts it.
    _sign_in(page, base, "officer.semnan")
    page.goto(case_url)
    page.fill("#id_visited_on", "۱۴۰۵/۰۹/۰۳")
    page.fill("#id_findings", "خط تولید لبنیات دوباره راه افتاده است")
    page.fill("#id_capacity_observed", "۶۰")
    page.check("#id_verifies_revival")
    page.click("form[action$='/visits/'] button[type=submit]")
    page.wait_for_url(case_url)
    assert "احیاشده" in page.inner_text(".state")
    assert _headline(page, base) == "۲"
