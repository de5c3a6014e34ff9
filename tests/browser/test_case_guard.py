"""The case guard in the browser: a lawyer writes a proposal in Kazakh with an ИИН in the memo,
is stopped with the number masked and a checkbox, ticks it and submits; both pages pass axe."""

import re

import pytest
from playwright.sync_api import expect

from alqa.models import AuditEvent, Proposal
from tests.browser.helpers import axe_violations, describe, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

IIN = "850101300124"
KK_MEMO_LABEL = "Орыс тіліндегі жазбаша негіздеме"  # "Justification memo (Russian)" in Kazakh


def test_a_lawyer_confirms_a_number_in_the_memo(new_page, body, member):
    member.user.language = "kk"
    member.user.save(update_fields=["language"])
    page = new_page(locale="kk-KZ")
    sign_in(page, member.user.email, PASSWORD)
    expect(page).to_have_url(re.compile(rf"/bodies/{body.pk}/$"))
    page.goto(f"/bodies/{body.pk}/proposals/new/")
    form = page.locator("main form.form")
    expect(form.locator("input[name=confirm_identifiers][type=checkbox]")).to_have_count(0)
    form.locator("input[name=title_ru]").fill("О доступе адвокатов в ИВС")
    form.get_by_label(KK_MEMO_LABEL).fill(f"Адвокат ждал три часа; ИИН подзащитного {IIN}.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    memo_error = page.locator(".field.invalid .error")
    expect(memo_error).to_contain_text("8501••••••24")
    expect(memo_error).to_contain_text("1.2-тармағы")  # the message in Kazakh
    assert not Proposal.objects.exists()
    violations = axe_violations(page)
    assert not violations, describe(violations)

    box = page.locator("main form.form input[name=confirm_identifiers][type=checkbox]")
    expect(box).to_be_visible()
    page.locator(f"label[for='{box.get_attribute('id')}']").click()  # the label ticks it
    expect(box).to_be_checked()
    with page.expect_navigation():
        page.locator("main form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/proposals/\d+/$"))
    proposal = Proposal.objects.get()
    assert IIN in proposal.memo_ru
    assert AuditEvent.objects.get(action="proposal.submitted").data["case_identifiers_confirmed"] == [
        "memo_ru: iin"
    ]
    violations = axe_violations(page)
    assert not violations, describe(violations)
