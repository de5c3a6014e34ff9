"""The harness itself: a page that reaches outside the live server does not go unnoticed."""

import pytest

pytestmark = pytest.mark.browser


def test_a_request_outside_the_live_server_is_noticed(page, new_page):
    page.goto("/workdays/")
    assert new_page.outside == []
    with page.expect_request(lambda r: "cdn.example.invalid" in r.url):
        page.evaluate("fetch('http://cdn.example.invalid/lib.js').catch(() => null)")
    assert new_page.outside == ["http://cdn.example.invalid/lib.js"]
    new_page.outside.clear()  # planted on purpose: the fixture would fail the test at teardown
