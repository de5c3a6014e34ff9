"""Compliance remarks and work plans in a real browser: a member files a remark on a decision
from the meeting page and it reaches the next meeting's agenda through the secretary (Russian);
the secretary drafts a plan with an item and the chair approves it (Kazakh). Every page passes axe."""

import pytest
from playwright.sync_api import expect

from alqa.domain.meetings import record_decision
from tests.browser.helpers import axe_violations, describe, sign_in, sign_out
from tests.conftest import PASSWORD, meeting_on

pytestmark = pytest.mark.browser


def _clean(page):
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_remark_reaches_the_next_agenda(new_page, body, chair, secretary, member, deputy, waive_mfa):
    held, item = meeting_on(
        body, secretary, chair, days=-7, present=[chair, secretary, member, deputy], approved=True
    )
    decision = record_decision(
        held, actor=secretary.user, agenda_item=item, text_ru="Обеспечить доступ в ИВС"
    )
    upcoming, _ = meeting_on(body, secretary, chair, days=10, title=None)

    page = new_page()
    sign_in(page, member.user.email, PASSWORD)
    page.goto(f"/meetings/{held.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Подать замечание о неисполнении").click()
    _clean(page)
    form = page.locator("main form.form")
    form.locator("textarea[name=facts_ru]").fill("Журнал допуска адвокатов в ИВС не ведётся.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Подано, ожидает включения в повестку")
    _clean(page)
    sign_out(page)

    sign_in(page, secretary.user.email, PASSWORD)
    page.goto(f"/bodies/{body.pk}/remarks/")
    expect(page.locator("main table")).to_contain_text("Журнал допуска адвокатов")
    _clean(page)
    page.locator("main table a").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name="Замечание о неисполнении решения").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Включить в повестку").click()
    expect(page).to_have_url(f"{page.url.split('/meetings/')[0]}/meetings/{upcoming.pk}/")
    expect(page.locator("main")).to_contain_text("Замечание о неисполнении решения № 1")
    _clean(page)
    assert decision.compliance_remarks.get().status == "on_agenda"


def test_secretary_drafts_a_plan_and_the_chair_approves_it(
    new_page, body, chair, secretary, member, waive_mfa
):
    page = new_page()
    sign_in(page, secretary.user.email, PASSWORD)
    page.goto(f"/bodies/{body.pk}/plans/")
    _clean(page)
    form = page.locator("main form.form")
    form.locator("select[name=period]").select_option("year")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    _clean(page)
    form = page.locator("main form.form")
    form.locator("textarea[name=activity_ru]").fill("Посещение ИВС ДП")
    form.locator("textarea[name=activity_kk]").fill("ПД УҰИ-ға бару")
    year = page.locator("main h1").inner_text().split()[-2]
    form.locator("input[name=due_date]").fill(f"{year}-12-20")
    form.locator("select[name=executor_members]").select_option(str(member.pk))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("main table").nth(1)).to_contain_text("Посещение ИВС ДП")
    _clean(page)
    plan_url = page.url
    sign_out(page)

    chair.user.language = "kk"
    chair.user.save(update_fields=["language"])
    page = new_page(locale="kk-KZ")
    sign_in(page, chair.user.email, PASSWORD)
    page.goto(plan_url)
    expect(page.locator("main")).to_contain_text("ПД УҰИ-ға бару")
    with page.expect_navigation():
        page.get_by_role("button", name="Жоспарды бекіту").click()
    expect(page.locator("main")).to_contain_text("Бекітілген")
    _clean(page)


def test_a_finding_is_filed_as_a_remark_from_the_visit_page_on_a_phone(
    new_page, body, admin_user, chair, secretary, member, deputy, waive_mfa
):
    from django.utils import timezone

    from alqa.domain.visits import add_finding, create_facility, plan_visit, record_visit

    held, item = meeting_on(
        body, secretary, chair, days=-7, present=[chair, secretary, member, deputy], approved=True
    )
    record_decision(held, actor=secretary.user, agenda_item=item, text_ru="Обеспечить доступ адвокатов в ИВС")
    facility = create_facility(body=body, actor=admin_user, name_ru="ИВС ДП", kind="temporary_detention")
    visit = plan_visit(body=body, facility=facility, actor=chair.user, planned_on=timezone.localdate())
    record_visit(visit, actor=chair.user, visited_on=timezone.localdate(), participants=[chair, member])
    add_finding(
        visit, actor=chair.user, kind="lawyer_access", description="Адвоката не допустили к подзащитному"
    )

    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, member.user.email, PASSWORD)
    page.goto(f"/visits/{visit.pk}/")
    _clean(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_navigation():
        page.get_by_role("button", name="Подать как замечание").click()
    expect(page.locator("main")).to_contain_text("Адвоката не допустили к подзащитному")
    expect(page.locator("main")).to_contain_text("Выявленное нарушение")
    _clean(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert held.decisions.get().compliance_remarks.get().finding.visit_id == visit.pk
