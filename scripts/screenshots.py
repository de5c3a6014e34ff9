"""Screenshots of Alqa's main pages, for a reviewer who wants to see them without clicking through.

    uv run python scripts/screenshots.py                          # a throwaway demo of its own
    uv run python scripts/screenshots.py --url http://127.0.0.1:8000   # a running demo (./alqa.sh start)
    uv run python scripts/screenshots.py --only meeting,audit     # a few pages only
    uv run python scripts/screenshots.py --only agenda,agenda-new,agenda-edit,agenda-move,agenda-remove,materials

Writes `var/screenshots/<language>-<width>-<page>.png` (var/ is not committed): every page below
at 390 px (a phone) and 1280 px, in Russian and Kazakh, the whole length of the page.

Without --url it builds a demo of its own: a fresh SQLite file under var/screenshots/ (never
var/alqa.sqlite3), migrated and loaded with `manage.py demo`, served by `manage.py runserver` on a
free port of 127.0.0.1 with the demo's settings, stopped at the end. It signs in with the demo's
accounts (the secretary for the body's pages, the installation administrator for the
installation's audit trail, the invited expert for what an invited participant sees) and chooses
the language with the header's own switch, as a reader would. Needs Debian's Chromium
(/usr/bin/chromium), as the browser tests do. About two to three minutes on a quiet machine (five on a busy one).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "alqa-demo-2026"  # alqa/management/commands/demo.py DEMO_PASSWORD
WIDTHS = {390: 844, 1280: 900}
LANGUAGES = ("ru", "kk")


# pages shown by one section rather than the whole length: (name) → the section's selector
SECTIONS = {"agenda": "#agenda"}


def pages(body: int, meeting: int, member: int, item: int) -> list[tuple[str, str, str]]:
    """(name, who, address): who signs in for it. `meeting` is the next one, its agenda approved;
    `item` its first question."""
    return [
        ("body", "secretary", f"/bodies/{body}/"),
        ("members", "secretary", f"/bodies/{body}/members/"),
        ("member", "secretary", f"/members/{member}/"),
        ("units", "secretary", f"/bodies/{body}/units/"),
        ("participants", "secretary", f"/bodies/{body}/participants/"),
        ("meetings", "secretary", f"/bodies/{body}/meetings/"),
        ("meeting", "secretary", f"/meetings/{meeting}/"),
        ("proposals", "secretary", f"/bodies/{body}/proposals/"),
        ("policy", "secretary", f"/bodies/{body}/policy/"),
        ("audit", "secretary", f"/bodies/{body}/audit/"),
        ("workdays", "secretary", "/workdays/?start=2025-12-30&days=5"),
        ("profile", "secretary", "/profile/"),
        ("audit-installation", "admin", "/audit/"),
        ("meeting-expert", "expert", f"/meetings/{meeting}/"),
        ("reply", "secretary", f"/meetings/{meeting}/reply/"),
        # agenda editing: the questions with their change/move/remove actions, then each form
        ("agenda", "secretary", f"/meetings/{meeting}/"),  # the section SECTIONS names
        ("agenda-new", "secretary", f"/meetings/{meeting}/items/new/"),
        ("agenda-edit", "secretary", f"/meetings/{meeting}/items/{item}/edit/"),
        ("agenda-move", "secretary", f"/meetings/{meeting}/items/{item}/move/?direction=down"),
        ("agenda-remove", "secretary", f"/meetings/{meeting}/items/{item}/remove/"),
        ("materials", "expert", f"/meetings/{meeting}/materials/"),
        ("control", "chair", f"/bodies/{body}/control/"),
        ("remarks", "secretary", f"/bodies/{body}/remarks/"),
        ("plans", "secretary", f"/bodies/{body}/plans/"),
        ("oversight", "secretary", f"/bodies/{body}/oversight/"),
        ("requests", "secretary", f"/bodies/{body}/requests/"),
        ("urgent-contacts", "secretary", f"/bodies/{body}/urgent-contacts/"),
        ("legislation", "secretary", f"/bodies/{body}/legislation/"),
        ("publications", "secretary", f"/bodies/{body}/publications/"),
        ("complaints", "secretary", f"/bodies/{body}/complaints/"),
        ("protocol-search", "secretary", f"/bodies/{body}/protocols/search/?q=доступ"),
        ("public", "secretary", f"/public/{body}/"),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def own_demo():
    """A demo on a throwaway database, served until the block ends; yields its address."""
    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / "demo.sqlite3"
    for leftover in OUT.glob("demo.sqlite3*"):
        leftover.unlink()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALQA_", "DATABASE_"))}
    env |= {
        "DJANGO_DEBUG": "true",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ALQA_DEMO_WAIVE_MFA": "true",
        "ALQA_EMAIL": "console",
        "ALQA_SITE_URL": f"http://127.0.0.1:{port}",
        "ALQA_HUEY_FILE": str(OUT / "huey.sqlite3"),
        "DATABASE_URL": f"sqlite:///{database}",
    }
    manage = [sys.executable, "manage.py"]
    print("building a demo database …", flush=True)
    subprocess.run([*manage, "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("the demo server did not answer within a minute")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form[action='/accounts/login/'] [type=submit]").click()


def choose_language(page, language: str) -> None:
    """The header's language switch, pressed as a reader would (it saves the choice)."""
    with page.expect_navigation():
        page.evaluate(
            "(code) => { const f = document.getElementById('language-form');"
            " f.requestSubmit(f.querySelector(`button[value='${code}']`)); }",
            language,
        )


def ids_of(page) -> tuple[int, int, int, int]:
    """The demo's body, its next meeting, a member and the meeting's first question, read from the
    pages the secretary sees."""
    body = int(re.search(r"/bodies/(\d+)/", page.url).group(1))
    page.goto(f"/bodies/{body}/meetings/")
    meeting = int(
        re.search(
            r"/meetings/(\d+)/", page.locator("main a[href^='/meetings/']").first.get_attribute("href")
        ).group(1)
    )
    page.goto(f"/bodies/{body}/members/")
    member = int(
        re.search(
            r"/members/(\d+)/", page.locator("main a[href^='/members/']").first.get_attribute("href")
        ).group(1)
    )
    page.goto(f"/meetings/{meeting}/")
    item = int(
        re.search(
            r"/items/(\d+)/edit/",
            page.locator("#agenda a[href*='/items/'][href$='/edit/']").first.get_attribute("href"),
        ).group(1)
    )
    return body, meeting, member, item


def shoot(url: str, only: set[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    accounts = {
        "secretary": "secretary@demo.alqa.kz",
        "admin": "admin@demo.alqa.kz",
        "expert": "expert@demo.alqa.kz",
        "chair": "chair@demo.alqa.kz",
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            probe = browser.new_context(base_url=url).new_page()
            sign_in(probe, accounts["secretary"])
            body, meeting, member, item = ids_of(probe)
            probe.context.close()
            wanted = [row for row in pages(body, meeting, member, item) if not only or row[0] in only]
            for who in dict.fromkeys(row[1] for row in wanted):
                for language in LANGUAGES:
                    context = browser.new_context(
                        base_url=url, locale=f"{language}-KZ", timezone_id="Asia/Almaty"
                    )
                    page = context.new_page()
                    sign_in(page, accounts[who])
                    choose_language(page, language)
                    for name, owner, address in wanted:
                        if owner != who:
                            continue
                        for width, height in WIDTHS.items():
                            page.set_viewport_size({"width": width, "height": height})
                            response = page.goto(address)
                            if response is None or response.status != 200:
                                status = response.status if response else "no answer"
                                raise SystemExit(f"{name} ({address}) answered {status}, not 200")
                            path = OUT / f"{language}-{width}-{name}.png"
                            if name in SECTIONS:
                                page.locator(SECTIONS[name]).screenshot(path=str(path))
                            else:
                                page.screenshot(path=str(path), full_page=True)
                            written.append(path)
                            print(f"  {path.relative_to(ROOT)}", flush=True)
                    context.close()
        finally:
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--url", help="a running demo (./alqa.sh start); by default the script builds its own"
    )
    parser.add_argument("--only", default="", help="comma-separated page names, e.g. meeting,audit")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        raise SystemExit(f"Debian's Chromium is missing at {CHROMIUM}: apt-get install chromium")
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    known = [row[0] for row in pages(0, 0, 0, 0)]
    if unknown := only - set(known):
        raise SystemExit(f"no such page: {', '.join(sorted(unknown))}; the pages: {', '.join(known)}")
    started = time.monotonic()
    if args.url:
        written = shoot(args.url.rstrip("/"), only)
    else:
        with own_demo() as url:
            written = shoot(url, only)
    print(f"{len(written)} screenshots in {OUT.relative_to(ROOT)}/ ({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
