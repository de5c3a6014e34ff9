"""Execution control in a real browser (clauses 3.2, 3.8): the secretary records the paper copy's
receipt and mails the executor — a police official outside the system — a personal link; the
official, in Kazakh, gives information and asks for an extension; the chair, in Russian, accepts
the information and grants the extension; the official reports on execution and the chair accepts
it. Every page passes axe, on a phone (390 px) for the official and at 1280 px for the leaders."""

import pytest
from playwright.sync_api import expect

from alqa.models import Assignment, ExecutorLink, OutboxMessage
from tests.browser.helpers import axe_violations, describe, sign_in, sign_out
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _clean(page):
    violations = axe_violations(page)
    assert not violations, describe(violations)


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def test_an_executor_outside_the_system_follows_an_assignment_to_its_end(
    new_page,
    signed,
    official_task,
    secretary,
    chair,
    waive_mfa,
):
    task = official_task
    staff = new_page()
    staff.set_viewport_size({"width": 1280, "height": 900})
    sign_in(staff, secretary.user.email, PASSWORD)
    staff.goto(f"/assignments/{task.pk}/")
    _clean(staff)
    receipt = staff.locator("main form:has(input[name=action][value=receipt])")
    receipt.locator("input[name=received_on]").fill(signed.signed_on.isoformat())
    _submit(staff, receipt)
    expect(staff.locator("main")).to_contain_text("Получено")
    with staff.expect_navigation():
        staff.locator("main button[name=action][value=send_link]").click()
    expect(staff.locator("main")).to_contain_text("official@police.test")
    _clean(staff)
    sign_out(staff)
    link = ExecutorLink.objects.get(assignment=task)
    mail = OutboxMessage.objects.get(to="official@police.test")
    assert f"/tasks/{link.token}/" in mail.text  # the link is what the official is mailed

    official = new_page(locale="kk-KZ")
    official.set_viewport_size({"width": 390, "height": 844})
    official.goto(f"/tasks/{link.token}/")
    expect(official.locator("main")).to_contain_text("Адвокаттардың ИВС-ке кіруін")
    _clean(official)
    assert official.evaluate("document.documentElement.scrollWidth") <= 390
    report = official.locator("main form:has(input[name=action][value=report])")
    report.locator("input[name=kind][value=info]").check()
    report.locator("textarea[name=text]").fill("Журнал допуска заведён, жұмыс басталды.")
    _submit(official, report)
    extension = official.locator("main form:has(input[name=action][value=extension])")
    extension.locator("input[name=working_days]").fill("5")
    extension.locator("textarea[name=reason]").fill("ИВС жөндеуде")
    _submit(official, extension)
    _clean(official)
    task.refresh_from_db()
    assert task.status == "info_given" and task.extension_requests.get().status == "pending"
    due_before = task.due_date

    sign_in(staff, chair.user.email, PASSWORD)
    staff.goto(f"/assignments/{task.pk}/")
    expect(staff.locator("main")).to_contain_text("ИВС жөндеуде")
    _clean(staff)
    with staff.expect_navigation():
        staff.locator("main button[name=action][value=accept]").first.click()
    with staff.expect_navigation():
        staff.locator("main button[name=action][value=grant]").first.click()
    _clean(staff)
    task.refresh_from_db()
    assert task.extension_requests.get().status == "granted" and task.due_date > due_before

    official.goto(f"/tasks/{link.token}/")
    report = official.locator("main form:has(input[name=action][value=report])")
    report.locator("input[name=kind][value=final]").check()
    report.locator("textarea[name=text]").fill("Орындалды: журнал жүргізіледі.")
    _submit(official, report)
    staff.goto(f"/assignments/{task.pk}/")
    with staff.expect_navigation():
        staff.locator("main button[name=action][value=accept]").first.click()
    _clean(staff)
    task = Assignment.objects.get(pk=task.pk)
    assert task.status == "done"
    official.goto(f"/tasks/{link.token}/")  # the link closes with the assignment
    expect(official.locator("main")).to_contain_text("Тапсырма жабылған: бұл сілтеме оны енді ашпайды.")
    _clean(official)
