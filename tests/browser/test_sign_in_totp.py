"""Signing in with the second factor: a secretary sets up an authenticator app, then signs in with its code."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.browser.helpers import fresh_totp_code, sign_in, sign_out, totp_code
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_the_helper_computes_rfc_6238_codes():
    # RFC 6238, appendix B (SHA-1, 8 digits); the secret is ASCII "12345678901234567890".
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp_code(secret, at=59, digits=8) == "94287082"
    assert totp_code(secret, at=1111111109, digits=8) == "07081804"
    assert totp_code(secret, at=2000000000, digits=8) == "69279037"
    assert totp_code(secret, at=59) == "287082"


def test_secretary_sets_up_totp_and_then_signs_in_with_a_code(page, body, secretary):
    user = secretary.user

    # First sign-in: the secretary runs the body, so before anything else she must set up TOTP.
    sign_in(page, "secretary@alqa.test", PASSWORD)
    if "/accounts/reauthenticate/" in page.url:
        # allauth asks for the password once more before an authenticator is added
        page.locator("input[name=password]").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("form[action='/accounts/reauthenticate/'] [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    secret_box = page.locator("#authenticator_secret")
    expect(secret_box).to_be_visible()
    secret = secret_box.input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), secret
    # the QR code carries the same secret, for the phone's camera
    expect(page.locator("img[src^='data:image/svg+xml']")).to_have_count(1)

    page.locator("input[name=code]").fill(fresh_totp_code(secret))
    with page.expect_navigation():
        page.locator("form[action='/accounts/2fa/totp/activate/'] [type=submit]").click()

    # Recovery codes are generated with it and shown once.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10 and len(set(codes)) == 10
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).count() == 1

    # Now the body's pages open.
    page.goto(f"/bodies/{body.pk}/")
    expect(page.locator("main h1")).to_have_text("Группа Алматы")

    sign_out(page)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    # Second sign-in: password, then the code from the app.
    sign_in(page, "secretary@alqa.test", PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    expect(page.locator("main h1")).to_have_text("Двухфакторная аутентификация")
    code_box = page.locator("input[name=code]")

    # A wrong code is refused with a message, and the form asks again.
    now = time.time()
    valid_now = {totp_code(secret, at=now + shift) for shift in (-30, 0, 30)}
    wrong = next(c for c in ("000000", "111111", "222222") if c not in valid_now)
    code_box.fill(wrong)
    with page.expect_navigation():
        page.locator("form[action='/accounts/2fa/authenticate/'] [type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    error = page.locator("main form .errorlist")
    expect(error).to_be_visible()
    expect(error).to_have_text("Неверный код.")  # allauth's own message, in Russian
    expect(page.locator("header a[href='/profile/']")).to_have_count(0)  # not signed in

    # The right code lets her in, onto the body's page.
    page.locator("input[name=code]").fill(fresh_totp_code(secret))
    with page.expect_navigation():
        page.locator("form[action='/accounts/2fa/authenticate/'] [type=submit]").first.click()
    expect(page).to_have_url(re.compile(rf"/bodies/{body.pk}/$"))
    expect(page.locator("main h1")).to_have_text("Группа Алматы")
    expect(page.locator("header")).to_contain_text("Ахметова Динара")
