"""Field pages in a real Chromium: every page of the scope walk fits a 390 px phone, the menu folds and opens,
and the Jalali date picker picks 1403/12/30, cannot pick 1404/12/30, and a typed Persian-digit date works."""

from datetime import date

import pytest

from revive.web.tests.test_browser import CHROMIUM, CHROMIUM_ARGS, _assert_accessible, _shot, _sign_in

playwright_sync = pytest.importorskip("playwright.sync_api", reason="Playwright is in the dev extras")
expect = playwright_sync.expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def plain_http_cookies(settings):
    # The live server speaks plain HTTP; production cookies are Secure-only and would not come back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def phone():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport=PHONE, locale="fa-IR", is_mobile=True, has_touch=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


def _too_wide(page) -> str | None:
    """What sticks out of the screen (the page scrolls sideways), or None when the page fits."""
    return page.evaluate(
        """() => {
          const W = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= W) return null;
          const out = [];
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            const wideKid = [...el.children].some(c => c.getBoundingClientRect().width > W);
            if (r.width > W && !wideKid) out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.width) + 'px');
          }
          return document.documentElement.scrollWidth + 'px: ' + out.slice(0, 5).join(', ');
        }"""
    )


SEEN: list[str] = []


def _walk(page, base: str, paths: list[str]) -> dict[str, str]:
    """Each page that opens for this user (a page of another role answers 404 and is skipped)."""
    wide = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.status in (200, 400, 404), (path, response.status)
        if response.status == 404:
            continue
        SEEN.append(path)
        problem = _too_wide(page)
        if problem:
            wide[path] = problem
    return wide


@pytest.fixture
def officer_paths(world, officer_semnan) -> list[str]:
    """Made before the browser starts: Playwright's event loop forbids database calls in this thread."""
    from datetime import date

    from django.urls import reverse

    from revive.cases import services
    from revive.cases.models import Case, Meeting
    from revive.web.tests.test_scope_walk import LISTS, _semnan_objects, _url

    # The walk's Semnan case (opened from the unit's band change, which may run after the fixture's commit).
    if not Case.objects.filter(province__code="IR-20").exists():
        services.case_open(unit=world["units"]["200000000022"], by=officer_semnan)
    # After another transactional test the preloaded holidays (a data migration) are flushed; the walk needs one.
    from revive.notices.models import Holiday

    Holiday.objects.get_or_create(day=date(2027, 3, 21), defaults={"name_fa": "نوروز", "name_en": "Nowruz"})
    objects = _semnan_objects(world, officer_semnan)
    # Enough meetings for a pager with many page numbers (the pager must wrap on a phone).
    Meeting.objects.bulk_create(
        Meeting(province=world["provinces"]["IR-20"], number=n, held_on=date(2026, 1, 1))
        for n in range(100, 400)
    )
    # The officer's own province's records: every object page they may open, and every list.
    skip = {"targets_edit", "filing_new", "import_template", "loan_document", "visit_photo", "meeting_letter"}
    paths = [reverse(f"web:{name}") for name in sorted(LISTS)]
    paths += [
        _url(n, kw) for n, (kw, methods) in sorted(objects.items()) if "get" in methods and n not in skip
    ]
    return paths


def test_every_page_fits_a_phone_and_the_menu_opens(
    transactional_db, live_server, plain_http_cookies, officer_paths, gas_semnan, unit_owner, phone
):
    page = phone
    base = live_server.url
    assert len(officer_paths) > 40

    _sign_in(page, base, "officer.semnan")
    page.wait_for_load_state()
    # The menu is folded behind its button, and opens.
    menu = page.locator("#site-menu")
    toggle = page.locator(".menu-toggle")
    assert toggle.is_visible() and not menu.is_visible()
    box = toggle.bounding_box()
    assert box["height"] >= 44
    toggle.click()
    assert menu.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#site-menu nav a").first.bounding_box()["height"] >= 44
    _shot(page, "phone-menu-fa.png")
    wide = _walk(page, base, officer_paths)
    page.goto(f"{base}/cases/")
    _shot(page, "phone-cases-fa.png")
    _assert_accessible(page, "the case list on a phone")

    page.context.clear_cookies()
    _sign_in(page, base, "gas.semnan")
    page.wait_for_load_state()
    wide |= _walk(page, base, ["/resolutions/", "/resolutions/overdue/", "/account/password/"])

    page.context.clear_cookies()
    _sign_in(page, base, "owner.200000000011")
    page.wait_for_load_state()
    wide |= _walk(
        page, base, ["/overview/", "/units/200000000011/", "/loans/", "/loans/new/", "/filings/new/"]
    )
    assert not wide, f"pages wider than a 390 px phone: {wide}"
    assert len(SEEN) > 45, SEEN


def test_date_picker_knows_esfand_30_and_typing_still_works(
    transactional_db, live_server, plain_http_cookies, world, officer_semnan, phone
):
    page = phone
    base = live_server.url
    _sign_in(page, base, "officer.semnan")
    page.wait_for_load_state()
    page.goto(f"{base}/meetings/new/")
    field = page.locator("#id_held_on")
    opener = page.locator(".jdate-open").first
    opener.click()
    grid = page.locator(".jdate-box .jcal")
    grid.wait_for()
    _shot(page, "picker-fa.png")
    _assert_accessible(page, "the agenda form with the date picker open")
    # Walk back to Esfand 1403 with the year and month buttons; 3 Azar 1405 is "today" in the tests.
    title = page.locator(".jcal-title")
    expect(title).to_have_text("آذر ۱۴۰۵")
    page.locator(".jdate-box [aria-label='سال قبل']").click()
    expect(title).to_have_text("آذر ۱۴۰۴")
    page.locator(".jdate-box [aria-label='سال قبل']").click()
    expect(title).to_have_text("آذر ۱۴۰۳")
    for month in ("دی", "بهمن", "اسفند"):
        page.locator(".jdate-box [aria-label='ماه بعد']").click()
        expect(title).to_have_text(f"{month} ۱۴۰۳")
    page.locator(".jcal-day[data-value='۱۴۰۳/۱۲/۳۰']").click()
    assert field.input_value() == "۱۴۰۳/۱۲/۳۰"
    assert not page.locator(".jdate-box").is_visible()

    # A year later Esfand has 29 days: the 30th cannot be picked.
    opener.click()
    expect(title).to_have_text("اسفند ۱۴۰۳")  # it opens on the date the field holds
    page.locator(".jdate-box [aria-label='سال بعد']").click()
    expect(title).to_have_text("اسفند ۱۴۰۴")
    assert page.locator(".jcal-day[data-value='۱۴۰۴/۱۲/۲۹']").count() == 1
    assert page.locator(".jcal-day[data-value='۱۴۰۴/۱۲/۳۰']").count() == 0
    page.keyboard.press("Escape")

    # Typed by hand in Persian digits: the meeting is recorded on that day.
    field.fill("۱۴۰۵/۰۹/۰۱")
    page.locator("#id_number").fill("۵")
    page.locator("button[value=record]").click()
    page.wait_for_url("**/meetings/*/")
    assert "۱ آذر ۱۴۰۵" in page.locator("main .meta").inner_text()  # 1405/09/01 = 2026-11-22


def _small_targets(page) -> list[str]:
    """Links, buttons and fields in the page a finger cannot hit: under 24 px (WCAG 2.5.8), or under 44 px
    tall for a link in a table or a section menu. A link inside running text is exempt, as WCAG has it."""
    return page.evaluate(
        """() => {
          const out = [];
          for (const el of document.querySelectorAll('main a[href], main button, main input:not([type=hidden]), main select')) {
            const s = getComputedStyle(el), r = el.getBoundingClientRect();
            if (s.display === 'none' || s.visibility === 'hidden' || !r.width || el.closest('.visually-hidden')) continue;
            const listed = el.matches('table.data a, .crumbs a, .subnav a');
            const inText = el.tagName === 'A' && s.display === 'inline' && !listed;
            if (inText) continue;
            if (r.width < 24 || r.height < (listed ? 44 : 24))
              out.push(el.tagName + ' "' + (el.innerText || el.name || '').trim().slice(0, 20) + '" '
                       + Math.round(r.width) + 'x' + Math.round(r.height));
          }
          return out.slice(0, 5);
        }"""
    )


@pytest.fixture
def bank_loan(world, officer_semnan, bank_melli):
    """A request introduced to Bank Melli, made before the browser starts (no database calls in its thread)."""
    from revive.finance.tests.factories import BN, introduced

    return introduced(world, officer_semnan, amount=30 * BN)


@pytest.fixture
def gas_resolution(world, officer_semnan, gas_semnan):
    """A resolution for Semnan's gas company to answer (made before the browser starts)."""
    from revive.cases import services
    from revive.registry.models import Organisation

    meeting = services.meeting_create(
        province=world["provinces"]["IR-20"], number=7, held_on=date(2026, 9, 1), by=officer_semnan
    )
    return services.resolution_issue(
        meeting=meeting,
        organisation=Organisation.objects.get(code="gas-20"),
        text="اتصال گاز واحد به شبکهٔ شهرک پیش از پایان مهلت و گزارش آن به کارگروه",
        deadline=date(2026, 10, 1),
        by=officer_semnan,
    )


def test_bank_and_park_pages_fit_a_phone_with_fingers_and_errors_in_view(
    transactional_db, live_server, plain_http_cookies, bank_loan, park_manager, gas_resolution, phone
):
    """The bank officer and the park manager, in Persian and in English: no page wider than 390 px, every
    control big enough to tap; a decision sent empty shows its problems on the screen (the form is 1,000 px
    down the page, and the reply came back at its top, looking like the page before); an agency answers a
    resolution from a card, not from a table's cut-off last column; printed, the 10-column loan list keeps all
    its columns on an A4 sheet."""
    page = phone
    base = live_server.url
    walks = {
        "bank.melli": [
            "/home/",
            "/loans/",
            f"/loans/{bank_loan.pk}/",
            "/loans/credit-lines/",
            "/loans/funnel/",
            "/resolutions/",
            "/notices/preferences/",
        ],
        "park.P-20-001": [
            "/home/",
            "/parks/P-20-001/",
            "/units/?park=P-20-001",
            "/units/200000000011/",
            "/cases/",
            "/loans/",
        ],
    }
    wide, small = {}, {}
    for username, paths in walks.items():
        for lang in ("fa", "en"):
            page.context.clear_cookies()
            page.context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
            _sign_in(page, base, username)
            page.wait_for_load_state()
            for path in paths:
                assert page.goto(base + path).status == 200, (username, path)
                if problem := _too_wide(page):
                    wide[f"{username} {lang} {path}"] = problem
                if tiny := _small_targets(page):
                    small[f"{username} {lang} {path}"] = tiny
            # The landing page on a 360 px Android phone too (its task lists asked for 22rem, 352 px, in 328).
            page.set_viewport_size({"width": 360, "height": 740})
            page.goto(base + "/home/")
            if problem := _too_wide(page):
                wide[f"{username} {lang} /home/ at 360 px"] = problem
            page.set_viewport_size(PHONE)
    assert not wide, f"pages wider than the phone: {wide}"
    assert not small, f"controls too small to tap: {small}"

    # The bank again, in Persian (the cookies are cleared): its decision sent empty.
    page.context.clear_cookies()
    _sign_in(page, base, "bank.melli")
    page.wait_for_load_state()
    page.goto(f"{base}/loans/{bank_loan.pk}/")
    page.locator(f"form[action='/loans/{bank_loan.pk}/decide/'] button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator("main .error-summary")
    expect(summary).to_be_focused()
    box = summary.bounding_box()
    assert 0 <= box["y"] < PHONE["height"] - 100, f"the list of problems is off the screen, at y={box['y']}"
    _shot(page, "phone-decision-errors-fa.png")

    # On paper (A4 is narrower than the phone layout's 52rem): the loan list is a whole table, not a scroller.
    page.goto(f"{base}/loans/")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 673, "height": 900})  # A4 less print.css's margins, in CSS pixels
    table = page.evaluate(
        "() => { const t = document.querySelector('table.data'); return [getComputedStyle(t).display, t.scrollWidth]; }"
    )
    assert table[0] == "table" and table[1] <= 673, table
    page.emulate_media(media="screen")
    page.set_viewport_size(PHONE)

    # The gas company answers its resolution on a phone: the row is a card, its answer form on the screen
    # (it was the table's last column, cut off at the edge, with the resolution's text one word a line).
    page.context.clear_cookies()
    _sign_in(page, base, "gas.semnan")
    page.wait_for_load_state()
    page.goto(f"{base}/resolutions/")
    row = page.locator(f"#resolution-{gas_resolution.pk}")
    for control in (row.locator("select"), row.locator("input[name=response]"), row.locator("button")):
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert row.locator("td[data-label]").count() >= 4
    assert row.locator("td[dir=auto]").count() == 1  # typed text keeps its own direction on either page
    _shot(page, "phone-resolution-fa.png")
    row.locator("input[name=response]").fill("انجام شد")
    row.locator("button").click()
    expect(row.locator("select")).to_have_count(0)  # the answered row came back (htmx), as a card again
    expect(row.locator("td[data-label]").first).to_be_visible()
