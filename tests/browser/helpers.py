"""What the browser tests do again and again: sign in, compute a TOTP code, run axe-core."""

import base64
import hashlib
import hmac
import struct
import time


def totp_code(secret: str, *, at: float | None = None, period: int = 30, digits: int = 6) -> str:
    """RFC 6238 TOTP (HMAC-SHA1), as an authenticator app computes it from the shown secret."""
    counter = int((time.time() if at is None else at) // period)
    key = base64.b32decode(secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def fresh_totp_code(secret: str, *, period: int = 30, margin: float = 5.0) -> str:
    """A code with at least `margin` seconds of its window left (the server allows no drift)."""
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.2)
    return totp_code(secret, period=period)


def sign_in(page, email: str, password: str) -> None:
    """Fill allauth's sign-in form and submit it; the caller asserts where the user lands."""
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form[action='/accounts/login/'] [type=submit]").click()


def sign_out(page) -> None:
    with page.expect_navigation():
        page.locator("header form[action='/accounts/logout/'] button[type=submit]").click()


SERIOUS = ("serious", "critical")


def axe_violations(page) -> list[dict]:
    """axe-core (shipped inside axe-playwright-python, injected into the page) on the current page:
    the violations of impact serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in SERIOUS]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}")
    return "\n".join(lines)
