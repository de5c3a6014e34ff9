"""An administrator installs a trusted root of e-signatures from its file, and a secretary enters
her ИИН on her profile — in Kazakh, on a phone (390 px), axe-clean."""

import re

import pytest
from playwright.sync_api import expect

from alqa.models import TrustedRoot
from tests.browser.helpers import axe_violations, describe, sign_in
from tests.conftest import PASSWORD
from tests.esign_pki import make_ca

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_an_administrator_installs_a_root_on_a_phone_in_kazakh(page, admin_user, waive_mfa, tmp_path):
    root = make_ca("Test Root CA (RSA)", key_index=0)
    certificate = tmp_path / "root_rsa.cer"
    from cryptography.hazmat.primitives import serialization

    certificate.write_bytes(root.cert.public_bytes(serialization.Encoding.DER))

    page.set_viewport_size(PHONE)
    sign_in(page, "root@alqa.test", PASSWORD)
    page.locator("#site-menu summary").click()  # on a phone the language switch is inside the menu
    with page.expect_navigation():
        page.locator("header #language-form button[value=kk]").click()
    page.goto("/admin-tools/esign-roots/")
    expect(page.locator("main h1")).to_have_text("ЭЦҚ-ның сенім білдірілген түбірлік тіркеу куәліктері")
    expect(page.locator("main")).to_contain_text("Тіркеу куәліктері орнатылмаған")
    found = {}
    if violations := axe_violations(page):
        found["empty page"] = describe(violations)

    # Nothing chosen: the form says so, in Kazakh, on the file field.
    with page.expect_navigation():
        page.locator("main form:has(input[value=root]) button[type=submit]").click()
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main .errors[role=alert]")).to_contain_text("Тіркеу куәлігі орнатылмады")
    if violations := axe_violations(page):
        found["form with errors"] = describe(violations)

    page.locator("#id_name").fill("ҚР ҰКО түбірлік (RSA)")
    page.locator("#id_certificate_file").set_input_files(str(certificate))
    with page.expect_navigation():
        page.locator("main form:has(input[value=root]) button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(
        "«ҚР ҰКО түбірлік (RSA)» тіркеу куәлігіне енді сенім білдірілген."
    )
    row = page.locator("#trusted-roots li", has_text="ҚР ҰКО түбірлік (RSA)")
    expect(row).to_contain_text("барлық топтар")
    expect(row).to_contain_text("C=KZ,CN=Test Root CA (RSA)")
    # the long subject and fingerprint wrap inside the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if violations := axe_violations(page):
        found["page with a root"] = describe(violations)

    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    expect(page.locator("#trusted-roots li", has_text="ҚР ҰКО түбірлік (RSA)")).to_contain_text("өшірілген")
    assert not TrustedRoot.objects.get().active
    assert not found, "\n\n".join(f"{k}:\n{v}" for k, v in found.items())


def test_a_secretary_enters_her_iin_and_sees_it_masked(page, secretary, waive_mfa):
    page.set_viewport_size(PHONE)
    sign_in(page, "secretary@alqa.test", PASSWORD)
    page.goto("/profile/")
    section = page.locator("#iin")
    expect(section.locator("h2")).to_have_text("ИИН для электронной цифровой подписи")
    section.locator("#id_iin").fill("850115300002")  # a wrong check digit
    with page.expect_navigation():
        section.locator("form:has(input[value=iin]) button[type=submit]").click()
    section = page.locator("#iin")
    expect(section.locator("#id_iin")).to_have_attribute("aria-invalid", "true")
    expect(section).to_contain_text("Это недействительный ИИН")
    violations = axe_violations(page)
    assert not violations, describe(violations)

    section.locator("#id_iin").fill("850115300001")
    with page.expect_navigation():
        section.locator("form:has(input[value=iin]) button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Ваш ИИН сохранён.")
    expect(page.locator("#masked-iin")).to_have_text("8501••••••01")
    expect(page.locator("main")).not_to_contain_text("850115300001")
    expect(page).to_have_url(re.compile(r"/profile/$"))
    violations = axe_violations(page)
    assert not violations, describe(violations)
