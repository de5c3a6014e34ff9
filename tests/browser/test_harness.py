"""The harness itself: a page that reaches outside the live server does not go unnoticed."""

import pytest

pytestmark = pytest.mark.browser


def test_a_request_outside_the_live_server_is_noticed(page, new_page):
    page.goto("/workdays/")
    assert new_page.outside == []
    # a script's request elsewhere: the Content Security Policy refuses it before it leaves
    page.evaluate("fetch('http://cdn.example.invalid/lib.js').catch(() => null)")
    page.wait_for_timeout(200)
    assert any("connect-src" in v for v in new_page.csp_violations), new_page.csp_violations
    assert new_page.outside == []
    # a navigation elsewhere (no policy governs it): the request watcher notices
    with page.expect_request(lambda r: "cdn.example.invalid" in r.url):
        page.evaluate("location.assign('http://cdn.example.invalid/lib.js')")
    assert new_page.outside == ["http://cdn.example.invalid/lib.js"]
    new_page.outside.clear()  # planted on purpose: the fixture would fail the test at teardown
    new_page.csp_violations.clear()


def test_a_page_that_breaks_the_content_security_policy_is_noticed(page, new_page):
    """An inline script and an inline style attribute, as a template might add them: the browser
    refuses both, and the fixture would fail the test."""
    page.goto("/workdays/")
    assert new_page.csp_violations == []
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.__inlineRan = true";
        document.body.append(script);
        document.querySelector("main").insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
    }"""
    )
    page.wait_for_function("document.querySelector('main p[style]') !== null")
    page.wait_for_timeout(200)  # the violation events are queued as tasks
    assert page.evaluate("window.__inlineRan === undefined")
    assert any("script-src" in v for v in new_page.csp_violations), new_page.csp_violations
    assert any("style-src" in v for v in new_page.csp_violations), new_page.csp_violations
    new_page.csp_violations.clear()  # planted on purpose: the fixture would fail the test at teardown
