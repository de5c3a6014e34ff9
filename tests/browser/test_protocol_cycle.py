# ruff: noqa: F811 - the fixture `held` is imported from tests/protocols/conftest.py
"""A protocol's whole path in a real browser: the secretary drafts it from the meeting page and
writes a question's texts (Russian), signs giving her second factor again; the presiding chair
signs reading Kazakh pages, with his; the secretary sends the copies; a recipient acknowledges
through the mailed link, once. axe-core finds nothing serious on the protocol's pages."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from alqa.models import OutboxMessage, Protocol
from tests.browser.helpers import axe_violations, describe, sign_in, sign_out, totp_code
from tests.conftest import PASSWORD
from tests.protocols.conftest import held  # noqa: F401 - the meeting that took place

pytestmark = pytest.mark.browser

_used: dict[str, int] = {}


def code_for(secret: str) -> str:
    """A code of a window not used before by this secret (allauth refuses a code used twice),
    with a few seconds of its window left."""
    while True:
        now = time.time()
        window = int(now // 30)
        if _used.get(secret) != window and 30 - now % 30 > 4:
            _used[secret] = window
            return totp_code(secret, at=now)
        time.sleep(1)


def sign_in_with_code(page, email: str, secret: str) -> None:
    sign_in(page, email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(code_for(secret))
    with page.expect_navigation():
        page.locator("form[action='/accounts/2fa/authenticate/'] [type=submit]").first.click()


def no_serious_violations(page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def sign_current_text(page, protocol_id: int, secret: str, button: str) -> None:
    page.goto(f"/protocols/{protocol_id}/sign/")
    expect(page.locator("#content-hash")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    no_serious_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    # the second factor again, then back to the text
    expect(page).to_have_url(re.compile(r"/accounts/2fa/reauthenticate/"))
    page.locator("input[name=code]").fill(code_for(secret))
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()
    expect(page).to_have_url(re.compile(rf"/protocols/{protocol_id}/sign/"))
    # the last required signature renders the signed PDF/A: allow for a machine under load
    with page.expect_navigation(timeout=90_000):
        page.get_by_role("button", name=button).click(timeout=90_000)
    expect(page).to_have_url(re.compile(rf"/protocols/{protocol_id}/"))


def test_draft_edit_sign_twice_distribute_acknowledge(new_page, held, chair, secretary):
    meeting, item = held
    secrets = {}
    for person in (chair, secretary):
        secrets[person.pk] = generate_totp_secret()
        TOTP.activate(person.user, secrets[person.pk])
    chair.user.language = "kk"
    chair.user.save(update_fields=["language"])

    # the secretary, in Russian: draft from the meeting page, then the texts of the question
    page = new_page("ru-RU")
    sign_in_with_code(page, secretary.email, secrets[secretary.pk])
    page.goto(f"/meetings/{meeting.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Протокол", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("button", name="Составить проект протокола").click()
    protocol = Protocol.objects.get(meeting=meeting)
    expect(page).to_have_url(re.compile(rf"/protocols/{protocol.pk}/$"))
    expect(page.locator("main h1")).to_contain_text("Протокол")
    no_serious_violations(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Редактировать проект").click()
    page.locator(f"textarea[name=q{item.pk}_heard_ru]").fill("Ахметову Д. — о допуске адвокатов")
    page.locator(f"textarea[name=q{item.pk}_heard_kk]").fill("Ахметова Д. — адвокаттардың кіруі туралы")
    no_serious_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Сохранить проект").click()
    expect(page.locator("main")).to_contain_text("Ахметова Д. — адвокаттардың кіруі туралы")
    sign_current_text(page, protocol.pk, secrets[secretary.pk], "Подписать этот текст")
    expect(page.locator("#signatures")).to_contain_text(secretary.full_name)
    sign_out(page)

    # the presiding chair, in Kazakh
    page = new_page("kk-KZ")
    sign_in_with_code(page, chair.email, secrets[chair.pk])
    sign_current_text(page, protocol.pk, secrets[chair.pk], "Осы мәтінге қол қою")
    expect(page.locator("main")).to_contain_text("Қол қойылған")
    no_serious_violations(page)
    sign_out(page)
    protocol.refresh_from_db()
    assert protocol.status == "signed"

    # the secretary sends the copies
    page = new_page("ru-RU")
    sign_in_with_code(page, secretary.email, secrets[secretary.pk])
    page.goto(f"/protocols/{protocol.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Разослать подписанные копии").click()
    # queued, or already delivered when the worker has drained the outbox
    expect(page.locator("#recipients")).to_contain_text(re.compile(r"отправляется|\d{4} г\."))
    no_serious_violations(page)
    sign_out(page)

    # a recipient opens the mailed link: acknowledged once
    recipient = protocol.recipients.get(member=chair)
    assert recipient.token in OutboxMessage.objects.get(pk=recipient.outbox_id).text
    page = new_page("kk-KZ")
    page.goto(f"/receipt/{recipient.token}/")
    no_serious_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Хаттаманы алдым").click()
    expect(page.get_by_role("status")).to_contain_text("Рақмет")
    page.goto(f"/receipt/{recipient.token}/")
    expect(page.get_by_role("status")).to_contain_text("расталған")
    recipient.refresh_from_db()
    assert recipient.acknowledged_at is not None
