"""Playwright driving Debian's Chromium against pytest-django's live server.

The browser is started once per session; every test gets a fresh context (no cookies) and page.
Every request is watched: a test fails if its page asked for anything outside the live server,
raised a JavaScript error or broke the Content Security Policy (alqa.middleware), which the
browser reports both as a `securitypolicyviolation` event and on the console.
"""

import os
from urllib.parse import urlsplit

import pytest

# the held meeting, its signed protocol and its executors (tests/browser/test_execution_path.py)
from tests.execution.conftest import decision, official_task, signed  # noqa: F401

# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are still
# synchronous and safe, so Django's async guard is switched off for the browser tests.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 20_000  # generous: the suite may share a busy machine

# Runs in every document before its own scripts (through DevTools, so the policy does not apply to
# it): reports each violation of the policy on the console, with a marker the fixture looks for.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def is_csp_violation(text: str) -> bool:
    return text.startswith("CSP violation:") or "Content Security Policy" in text


@pytest.fixture(scope="session", autouse=True)
def _patient_expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Debian's Chromium is missing at {CHROMIUM}: apt-get install chromium")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def warm_server(live_server):
    """The first request of the process imports the URLconf (and with it the API and the holiday
    library): done once here, outside any test's timeouts."""
    from django.urls import reverse

    reverse("home")
    return live_server


@pytest.fixture
def new_page(browser, warm_server):
    """Opens a page in a fresh browser context (its own cookies) on the live server.

    The browser speaks Russian unless told otherwise. A request to anywhere but the live server
    makes the test fail (the machine has no internet: a page must not need it), as does a
    JavaScript error."""
    live_server = warm_server
    own = urlsplit(live_server.url).netloc
    contexts = []
    outside: list[str] = []
    js_errors: list[str] = []
    csp_violations: list[str] = []

    def watch(request):
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob", "about") and parts.netloc != own:
            outside.append(request.url)

    def open_page(locale="ru-RU"):
        context = browser.new_context(base_url=live_server.url, locale=locale, timezone_id="Asia/Almaty")
        context.set_default_timeout(TIMEOUT_MS)
        context.on("request", watch)
        context.add_init_script(CSP_WATCH)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: js_errors.append(str(exc)))
        page.on("console", lambda msg: is_csp_violation(msg.text) and csp_violations.append(msg.text))
        return page

    open_page.outside = outside  # for the harness's own tests
    open_page.csp_violations = csp_violations
    yield open_page
    for context in contexts:
        context.close()
    assert outside == [], f"the page tried to load from outside the server: {outside}"
    assert js_errors == [], f"JavaScript errors on the page: {js_errors}"
    assert csp_violations == [], f"the page broke its Content Security Policy: {csp_violations}"


@pytest.fixture
def page(new_page):
    return new_page()
