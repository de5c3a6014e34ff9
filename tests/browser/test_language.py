"""Switching the language from the header: the page changes at once and the choice stays with the user."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def language_button(page, code):
    return page.locator(f"header #language-form button[name=language][value={code}]")


def test_member_switches_language_and_it_is_remembered(page, new_page, body, member):
    sign_in(page, "member@alqa.test", PASSWORD)
    expect(page).to_have_url(re.compile(rf"/bodies/{body.pk}/$"))
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ru")
    expect(page.locator("main h1")).to_have_text("Группа Алматы")
    expect(language_button(page, "ru")).to_have_attribute("aria-current", "true")
    # every language is offered under its own name, whatever the page's language
    expect(language_button(page, "en")).to_have_text("English")
    expect(language_button(page, "kk")).to_have_text("Қазақша")

    with page.expect_navigation():
        language_button(page, "en").click()
    expect(page).to_have_url(re.compile(rf"/bodies/{body.pk}/$"))  # back on the same page
    expect(html).to_have_attribute("lang", "en")
    expect(language_button(page, "en")).to_have_attribute("aria-current", "true")
    expect(language_button(page, "ru")).not_to_have_attribute("aria-current", "true")
    expect(language_button(page, "ru")).to_have_text("Русский")
    member.user.refresh_from_db()
    assert member.user.language == "en"

    # Another page keeps it.
    with page.expect_navigation():
        page.locator("header nav a[href$='/members/']").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("main table")).to_contain_text("Исаев Тимур")

    # Kazakh: the page and the body's name in Kazakh.
    with page.expect_navigation():
        language_button(page, "kk").click()
    expect(page).to_have_url(re.compile(rf"/bodies/{body.pk}/members/$"))
    expect(html).to_have_attribute("lang", "kk")
    member.user.refresh_from_db()
    assert member.user.language == "kk"
    page.goto(f"/bodies/{body.pk}/")
    expect(html).to_have_attribute("lang", "kk")
    expect(page.locator("main h1")).to_have_text("Алматы тобы")

    # Another browser (no cookie, a Russian browser): after signing in, still Kazakh.
    other = new_page(locale="ru-RU")
    other.goto("/accounts/login/")
    expect(other.locator("html")).to_have_attribute("lang", "ru")
    sign_in(other, "member@alqa.test", PASSWORD)
    expect(other).to_have_url(re.compile(rf"/bodies/{body.pk}/$"))
    expect(other.locator("html")).to_have_attribute("lang", "kk")
    expect(other.locator("main h1")).to_have_text("Алматы тобы")


def test_visitor_switches_language_on_the_calculator(page):
    page.goto("/workdays/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    with page.expect_navigation():
        language_button(page, "en").click()
    expect(page).to_have_url(re.compile(r"/workdays/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Working-day calculator")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
