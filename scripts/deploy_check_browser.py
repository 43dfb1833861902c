"""The browser half of scripts/deploy_check.sh: over https in Chromium, sign in, send a form, upload a
file (checked by the worker, then written), and load the static files with their cache headers.

    python scripts/deploy_check_browser.py https://revive.test:8443 USERNAME PASSWORD

The host name is pointed at 127.0.0.1 inside Chromium; the certificate is self-signed. Prints one
`PASS name` or `FAIL name: why` line per check.
"""

import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

BASE, USERNAME, PASSWORD = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
HOST = urlsplit(BASE).hostname
PARKS = "code,name_fa,province,area_ha\nP-20-901,شهرک آزمون استقرار,IR-20,12\n"


def report(name, ok, why=""):
    print(f"{'PASS' if ok else 'FAIL'} {name}{'' if ok else ': ' + why}", flush=True)


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                f"--host-resolver-rules=MAP {HOST} 127.0.0.1",
            ],
        )
        page = browser.new_context(
            ignore_https_errors=True, viewport={"width": 1366, "height": 900}
        ).new_page()
        first = page.goto(f"{BASE}/login/")
        hsts = first.headers.get("strict-transport-security", "") if first else ""
        report(
            "https answers with HSTS", bool(first and first.status == 200 and "max-age" in hsts), f"{hsts!r}"
        )

        page.fill("#id_username", USERNAME)
        page.fill("#id_password", PASSWORD)
        page.click("form.stack button[type=submit]")
        page.wait_for_load_state()
        signed_in = "/login/" not in page.url and USERNAME in page.content()
        report("sign-in (a POST with CSRF over https, on this port)", signed_in, page.url)

        page.goto(f"{BASE}/overview/")
        lang_before = page.get_attribute("html", "lang")
        page.click("form[action='/i18n/setlang/'] button")
        page.wait_for_load_state()
        lang_after = page.get_attribute("html", "lang")
        report("a form (the language switch)", lang_before != lang_after, f"{lang_before} -> {lang_after}")

        page.goto(f"{BASE}/imports/")
        page.select_option("select[name=kind]", "parks")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "parks.csv"
            path.write_text(PARKS, encoding="utf-8")
            page.set_input_files("input[type=file]", str(path))
            page.click("form[enctype='multipart/form-data'] button[type=submit]")
        page.wait_for_load_state()
        job_url = page.url
        ready = False
        for _ in range(60):  # the worker checks the file
            if page.locator("form[action$='/confirm/'] button").count():
                ready = True
                break
            time.sleep(1)
            page.goto(job_url)
        if ready:
            page.click("form[action$='/confirm/'] button")
            done = False
            for _ in range(120):  # the worker writes it; the park's page then answers 200 with its name
                park = page.goto(f"{BASE}/parks/P-20-901/")  # (a 404 page names the path it was asked for)
                if park and park.status == 200 and "شهرک آزمون استقرار" in park.text():
                    done = True
                    break
                time.sleep(1)
            report("an upload (checked by the worker, confirmed, written)", done, job_url)
        else:
            report("an upload (checked by the worker, confirmed, written)", False, f"not ready at {job_url}")

        css = page.eval_on_selector("link[rel=stylesheet][href*='/static/revive/app.']", "e => e.href")
        font = page.evaluate("document.fonts.check('16px Vazirmatn')")
        answer = page.goto(css)  # through Chromium, which knows where the host name points
        cache = answer.headers.get("cache-control", "") if answer else ""
        report(
            "static files hashed and cached for a year",
            bool(
                answer
                and answer.status == 200
                and "immutable" in cache
                and css.rsplit("/", 1)[-1] != "app.css"
            ),
            f"{css} {answer and answer.status} {cache!r}",
        )
        junk = page.goto(f"{BASE}/static/vendor/vazirmatn/README.md")
        report(
            "the font package's README is not published",
            bool(junk and junk.status == 404),
            str(junk and junk.status),
        )
        report("the font loads", bool(font), str(font))
        status, cache, kind = page.evaluate(  # fetched by Chromium, signed in, through nginx
            "async u => { const r = await fetch(u);"
            " return [r.status, r.headers.get('cache-control') || '', r.headers.get('content-type') || '']; }",
            f"{BASE}/parks/P-20-901/?export=csv&table=units",
        )
        report(
            "a download (a park's units as CSV) is not stored: Cache-Control no-store",
            status == 200 and "no-store" in cache and "csv" in kind,
            f"{status} {cache!r} {kind!r}",
        )
        page.screenshot(path=str(Path(tempfile.gettempdir()) / "deploy_check.png"))
        browser.close()


if __name__ == "__main__":
    main()
