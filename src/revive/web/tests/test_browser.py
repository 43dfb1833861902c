"""A provincial officer in a real Chromium: sign in, read the overview in Persian, the unit list, then English."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

playwright_sync = pytest.importorskip("playwright.sync_api", reason="Playwright is in the dev extras")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright", reason="in the dev extras")

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = django_settings.PROJECT_DIR / "var" / "screenshots"
BLOCKING_IMPACTS = {"serious", "critical"}

# Units of the `world` fixture, by the name a Persian page shows.
SEMNAN_UNITS = ["ریخته‌گری سمنان", "لبنیات کویر"]
OTHER_UNITS = ["فولاد کاوه تهران", "صنایع غذایی البرز", "نورد اصفهان"]


@pytest.fixture
def browser_page():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with playwright_sync.sync_playwright() as p:
        # Debian's Chromium only: Playwright never downloads a browser of its own here.
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fa-IR")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def http_cookies(settings):
    # The live server speaks plain HTTP; production cookies are Secure-only and would not come back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


def _assert_accessible(page, what: str) -> None:
    results = axe_playwright.Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    report = "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:5]}" for v in blocking
    )
    assert not blocking, f"axe-core found serious problems on {what}:\n{report}"


def _assert_chart_labels_apart(page) -> None:
    """The month names under the bar chart do not touch: 'Farvardin Ordibehesht' must not read as one label."""
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart text.cat')].map(t => {
            const b = t.getBBox(); return [t.textContent, b.x, b.x + b.width];
        })"""
    )
    boxes.sort(key=lambda b: b[1])
    touching = [(a[0], b[0]) for a, b in zip(boxes, boxes[1:], strict=False) if b[1] - a[2] < 4]
    assert len(boxes) == 12 and not touching, f"chart labels run together: {touching}"


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button[type=submit].primary")


def _shot(page, name: str) -> None:
    from django.db import connection

    folder = SCREENSHOTS / connection.vendor  # the SQLite and PostgreSQL runs go at once (scripts/test.sh)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def test_provincial_officer_reads_their_province_in_persian_then_english(
    transactional_db, live_server, http_cookies, officer_semnan, browser_page
):
    # Everything the database had to do is done: the live server thread serves it from here on.
    page = browser_page
    _sign_in(page, live_server.url, "officer.semnan")
    # Sign-in lands on the officer's own work; the overview is one click away.
    page.wait_for_url(f"{live_server.url}/home/")
    page.goto(f"{live_server.url}/overview/")
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "fa"
    # Semnan revived one unit this year (Semnan Foundry, 25 jobs), in Persian digits.
    assert page.locator("[data-figure=revived_units]").inner_text() == "۱"
    assert page.locator("[data-figure=jobs_restored]").inner_text() == "۲۵"
    assert "سمنان" in page.locator(".headline .period").inner_text()
    _assert_chart_labels_apart(page)
    _shot(page, "overview-fa.png")
    _assert_accessible(page, "the Persian overview")

    page.locator(".top nav a[href='/units/']").click()
    page.wait_for_url(f"{live_server.url}/units/")
    table = page.locator("#unit-table table.data tbody").inner_text()
    for name in SEMNAN_UNITS:
        assert name in table
    for name in OTHER_UNITS:
        assert name not in table
    assert page.locator("[data-figure=unit_count]").inner_text().startswith("۲")
    _shot(page, "units-fa.png")
    _assert_accessible(page, "the Persian unit list")

    page.goto(f"{live_server.url}/overview/")
    page.get_by_role("button", name="English").click()
    page.wait_for_function("document.documentElement.dir === 'ltr'")
    assert page.url == f"{live_server.url}/overview/"
    assert html.get_attribute("lang") == "en"
    assert page.locator("[data-figure=revived_units]").inner_text() == "1"
    assert page.locator("[data-figure=jobs_restored]").inner_text() == "25"
    assert "Semnan" in page.locator(".headline .period").inner_text()
    _assert_chart_labels_apart(page)
    _shot(page, "overview-en.png")
    _assert_accessible(page, "the English overview")


def test_officer_imports_a_file_checked_in_the_background(
    transactional_db, live_server, http_cookies, officer_semnan, browser_page, tmp_path
):
    """Upload with an error (listed in Persian, nothing to confirm), then a clean file: the page follows
    the background check with its progress, the officer confirms, the unit is in the registry."""
    # The check and the write run inline here (the suite's stand-in for the worker); the worker itself,
    # over the real database queue, is tested in revive/jobs/tests and imports/tests/test_killed_import.py.
    page = browser_page
    _sign_in(page, live_server.url, "officer.semnan")
    page.wait_for_url(f"{live_server.url}/home/")
    header = "شناسه کسب‌وکار,نام فارسی,کد شهرک,بخش (ISIC),اندازه\n"
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(header + "۲۰۰۰۰۰۰۰۰۰۷۷,صنایع نو,P-23-001,24,small\n", encoding="utf-8")
    good.write_text(header + "۲۰۰۰۰۰۰۰۰۰۷۷,صنایع نو,P-20-001,24,small\n", encoding="utf-8")

    page.goto(f"{live_server.url}/imports/")
    page.select_option("#id_kind", "units")
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="بررسی فایل").click()
    page.wait_for_selector(".error-summary")
    assert "P-23-001" in page.locator("#import-job table").last.inner_text()
    assert page.locator("form[action$='/confirm/']").count() == 0
    _assert_accessible(page, "an import with errors")

    page.goto(f"{live_server.url}/imports/")
    page.select_option("#id_kind", "units")
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="بررسی فایل").click()
    page.wait_for_selector("form[action$='/confirm/'] button")
    assert "۲۰۰۰۰۰۰۰۰۰۷۷" in page.locator("#import-job").inner_text() or "200000000077" in page.content()
    _shot(page, "import-ready-fa.png")
    _assert_accessible(page, "a checked import")
    page.locator("form[action$='/confirm/'] button").click()
    page.wait_for_selector("#import-job:not([hx-get])", timeout=20_000)
    assert "وارد شد" in page.locator("#import-job").inner_text()
    _shot(page, "import-done-fa.png")
    # The unit is in the registry: its page opens, in its park.
    response = page.goto(f"{live_server.url}/units/200000000077/")
    assert response.status == 200 and "P-20-001" in page.content()
