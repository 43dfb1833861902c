"""Screenshots of a running Revive (make demo) in Debian's Chromium: `python scripts/screenshot.py URL USER PASS OUT [PATH...]`."""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    base, user, password, out = sys.argv[1:5]
    paths = sys.argv[5:] or ["/overview/"]
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/login/")
        page.fill("#id_username", user)
        page.fill("#id_password", password)
        page.click("button[type=submit].primary")
        for i, path in enumerate(paths):
            if path == "EN":
                page.click("form[action$='setlang/'] button")
                continue
            page.goto(base + path)
            name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
            page.screenshot(path=f"{out}/{i:02d}-{name}.png", full_page=True)
            print(f"{out}/{i:02d}-{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
