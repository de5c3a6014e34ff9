"""axe-core on the pages of the flows above: no violation of impact serious or critical.

axe-core is the copy shipped inside axe-playwright-python, injected into the page; nothing is
fetched (the page fixture fails a test whose page asks for anything outside the live server)."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, describe, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def check(page, found: dict, name: str) -> None:
    violations = axe_violations(page)
    if violations:
        found[name] = describe(violations)


def report(found: dict) -> str:
    return "\n\n".join(f"{name}:\n{text}" for name, text in found.items())


def test_axe_finds_a_planted_violation(page):
    """The check itself can fail: an image without a text alternative is a critical violation."""
    page.goto("/workdays/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"data:,\">')")
    ids = {v["id"] for v in axe_violations(page)}
    assert "image-alt" in ids


def test_pages_open_to_everyone(page):
    found: dict[str, str] = {}
    page.goto("/accounts/login/")
    expect(page.locator("input[name=login]")).to_be_visible()
    check(page, found, "sign-in page")

    page.goto("/workdays/?start=2025-12-30&days=5")
    expect(page.locator("#deadline-result .due")).to_have_attribute("data-due", "2026-01-09")
    check(page, found, "working-day calculator with a result")

    page.goto("/workdays/?start=&days=0")
    expect(page.locator("main .errors")).to_be_visible()
    check(page, found, "working-day calculator with errors")
    assert not found, report(found)


def test_pages_of_the_register(page, body, secretary, member, waive_mfa):
    found: dict[str, str] = {}
    sign_in(page, "secretary@alqa.test", PASSWORD)
    expect(page).to_have_url(re.compile(rf"/bodies/{body.pk}/$"))
    expect(page.locator("main h1")).to_have_text("Группа Алматы")
    check(page, found, "body page")

    page.goto(f"/bodies/{body.pk}/members/")
    expect(page.locator("main table tbody tr", has_text="Исаев Тимур")).to_have_count(1)
    check(page, found, "register of members")

    page.goto(f"/bodies/{body.pk}/members/new/")
    expect(page.locator("#id_full_name")).to_be_visible()
    check(page, found, "member form")

    with page.expect_navigation():  # nothing filled in: the required fields say so
        page.locator("main form.form button[type=submit]").click()
    expect(page.locator("#id_full_name")).to_have_attribute("aria-invalid", "true")
    check(page, found, "member form with errors")

    page.goto(f"/members/{member.pk}/")
    expect(page.locator("main h1")).to_have_text("Исаев Тимур")
    check(page, found, "member page")

    page.goto("/profile/")
    expect(page.locator("main h1")).to_be_visible()
    check(page, found, "profile")
    assert not found, report(found)


def test_second_factor_pages(page, body, admin_user):
    found: dict[str, str] = {}
    # An administrator without an authenticator is sent to set one up (after confirming the password).
    sign_in(page, "root@alqa.test", PASSWORD)
    if "/accounts/reauthenticate/" in page.url:
        check(page, found, "password confirmation")
        page.locator("input[name=password]").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("form[action='/accounts/reauthenticate/'] [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    expect(page.locator("#authenticator_secret")).to_be_visible()
    check(page, found, "TOTP activation")

    # A user with an authenticator is asked for the code.
    page.context.clear_cookies()
    TOTP.activate(admin_user, generate_totp_secret())
    sign_in(page, "root@alqa.test", PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    check(page, found, "TOTP code")
    assert not found, report(found)
