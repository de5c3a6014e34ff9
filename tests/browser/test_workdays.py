"""The working-day calculator: no sign-in, the result swapped in by HTMX, holidays named from the calendar."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def count(page, start, days):
    form = page.locator("main form.inline-form")
    form.locator("input[name=start]").fill(start)
    form.locator("input[name=days]").fill(days)
    with page.expect_response(
        lambda r: "/workdays/?" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        form.locator("button[type=submit]").click()


def test_deadline_over_the_new_year_skips_the_holidays(page):
    page.goto("/workdays/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    # both fields are labelled; the event date is a date picker
    for name in ("start", "days"):
        expect(page.locator(f"label[for=id_{name}]")).to_have_count(1)
    expect(page.locator("#id_start")).to_have_attribute("type", "date")
    page.evaluate("window.__stillTheSamePage = true")

    count(page, "2025-12-30", "5")

    result = page.locator("#deadline-result")
    due = result.locator(".due")
    expect(due).to_have_attribute("data-due", "2026-01-09")
    expect(result.locator("h2")).to_contain_text("9 января 2026")  # Django's Russian month name
    expect(due).to_have_text(re.compile("пятница", re.I))
    skipped = result.locator("table tbody tr")
    expect(skipped.filter(has_text="Новый год")).to_have_count(2)  # 1 and 2 January
    expect(skipped.filter(has_text="Рождество")).to_have_count(1)  # Orthodox Christmas, 7 January
    expect(result.locator("table")).to_contain_text("1 января 2026")
    # HTMX swapped the result into the same page and put the query in the address bar
    assert page.evaluate("window.__stillTheSamePage") is True
    expect(page).to_have_url(re.compile(r"/workdays/\?start=2025-12-30&days=5$"))

    # Switching the language keeps the result, now in Kazakh.
    with page.expect_navigation():
        page.locator("header #language-form button[value=kk]").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page).to_have_url(re.compile(r"/workdays/\?start=2025-12-30&days=5$"))
    expect(page.locator("#deadline-result .due")).to_have_attribute("data-due", "2026-01-09")
    expect(page.locator("#deadline-result table")).to_contain_text("Жаңа жыл")

    # The address can be shared: opened afresh, it shows the same result.
    page.reload()
    expect(page.locator("#deadline-result .due")).to_have_attribute("data-due", "2026-01-09")
    expect(page.locator("#id_start")).to_have_value("2025-12-30")


def test_a_bad_number_of_days_is_refused_with_a_message(page):
    page.goto("/workdays/")
    count(page, "2025-12-30", "0")
    result = page.locator("#deadline-result")
    expect(result.locator("[role=alert]")).to_be_visible()
    expect(result.locator("[role=alert]")).not_to_be_empty()
    expect(result.locator(".due")).to_have_count(0)
