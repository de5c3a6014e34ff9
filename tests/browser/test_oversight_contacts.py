"""Urgent contacts and legislative proposals in a real browser, in Russian and Kazakh: a member
logs an urgent contact, the secretary sees it on the next meeting's page and puts it on the
agenda; the secretary drafts a legislative proposal, records its approval by a decision and its
submission. Every page passes axe and fits a 390 px phone and a 1280 px screen."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alqa.domain.bodies import create_unit
from alqa.domain.meetings import record_decision
from alqa.domain.users import update_profile
from alqa.enums import Side, UnitKind
from alqa.models import LegislativeProposal, UrgentContact
from tests.browser.helpers import axe_violations, describe, sign_in, sign_out
from tests.conftest import PASSWORD, meeting_on

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SCREEN = {"width": 1280, "height": 900}

TEXTS = {
    "ru": {
        "log": "Внести экстренный контакт",
        "waiting": "Экстренные контакты после прошлого заседания",
        "put": "Включить в повестку одним вопросом",
        "question": "Информация об экстренных контактах в период между заседаниями (1)",
        "new": "Новое предложение по законодательству",
        "record": "Внести шаг",
        "submitted": "Внесено",
    },
    "kk": {
        "log": "Шұғыл байланысты тіркеу",
        "waiting": "Өткен отырыстан кейінгі шұғыл байланыстар",
        "put": "Күн тәртібіне бір мәселе ретінде енгізу",
        "question": "Отырыстар арасындағы шұғыл байланыстар туралы ақпарат (1)",
        "new": "Заңнама жөніндегі жаңа ұсыныс",
        "record": "Қадамды тіркеу",
        "submitted": "Енгізілді",
    },
}


def _check(page):
    """axe-clean and no sideways scrolling, at 390 px and at 1280 px."""
    for size in (PHONE, SCREEN):
        page.set_viewport_size(size)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{page.url}: {scroll} px wide in a {inner} px window"
        violations = axe_violations(page)
        assert not violations, describe(violations)
    page.set_viewport_size(PHONE)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_contact_reaches_the_agenda_and_a_proposal_is_submitted(
    new_page, body, admin_user, secretary, chair, member, deputy, language, waive_mfa
):
    t = TEXTS[language]
    unit = create_unit(
        body=body,
        actor=admin_user,
        name_ru="ОП Алмалинского района",
        name_kk="Алмалы ауданының ПБ",
        side=Side.POLICE,
        kind=UnitKind.SUBORDINATE,
        head_name="Полковник Касымов Е. Б.",
        phone="+7 727 254 00 00",
    )
    ahead, _item = meeting_on(body, secretary, chair, days=7)
    held, item = meeting_on(
        body, secretary, chair, days=-2, present=(chair, secretary, member, deputy), approved=True
    )
    decision = record_decision(held, actor=secretary.user, agenda_item=item, text_ru="Одобрить предложение")
    for person in (member, secretary):
        update_profile(person.user, actor=person.user, changes={"language": language})

    page = new_page(locale=f"{language}-KZ")
    page.set_viewport_size(PHONE)
    sign_in(page, member.user.email, PASSWORD)
    page.goto(f"/bodies/{body.pk}/urgent-contacts/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main")).to_contain_text("Полковник Касымов Е. Б.")
    _check(page)
    with page.expect_navigation():
        page.get_by_role("link", name=t["log"]).click()
    _check(page)
    form = page.locator("main form.form")
    form.locator("select[name=unit]").select_option(str(unit.pk))
    an_hour_ago = timezone.localtime(timezone.now() - timedelta(hours=1))
    form.locator("input[name=contacted_at]").fill(an_hour_ago.strftime("%Y-%m-%dT%H:%M"))
    form.locator("textarea[name=reason]").fill("Адвоката не допускают к подзащитному")
    form.locator("textarea[name=outcome]").fill("Допуск обеспечен")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/bodies/{body.pk}/urgent-contacts/$"))
    expect(page.locator("main table").nth(1)).to_contain_text("Адвоката не допускают к подзащитному")
    assert UrgentContact.objects.get().member == member
    _check(page)
    page.set_viewport_size(SCREEN)  # the menu with the sign-out button is unfolded
    sign_out(page)

    page = new_page(locale=f"{language}-KZ")
    page.set_viewport_size(PHONE)
    sign_in(page, secretary.user.email, PASSWORD)
    page.goto(f"/meetings/{ahead.pk}/")
    expect(page.locator("#urgent-contacts")).to_contain_text(t["waiting"])
    _check(page)
    with page.expect_navigation():
        page.get_by_role("button", name=t["put"]).click()
    expect(page.locator("#agenda")).to_contain_text(t["question"])
    expect(page.locator("#urgent-contacts")).to_have_count(0)
    _check(page)

    for older in ("requests", "publications"):  # the registers beside them, in .table-wrap boxes
        page.goto(f"/bodies/{body.pk}/{older}/")
        _check(page)
    page.goto(f"/bodies/{body.pk}/legislation/")
    _check(page)
    with page.expect_navigation():
        page.get_by_role("link", name=t["new"]).click()
    form = page.locator("main form.form")
    form.locator("input[name=title_ru]").fill("О сроке допуска защитника")
    form.locator("input[name=title_kk]").fill("Қорғаушыны жіберу мерзімі туралы")
    form.locator("input[name=act]").fill("УПК РК, статья 66")
    form.locator("textarea[name=text_ru]").fill("Дополнить статью 66 частью 3-1")
    form.locator("textarea[name=justification]").fill("Итоги посещений ИВС")
    form.locator("input[name=addressee]").fill("Мажилис Парламента РК")
    _check(page)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    step = page.locator("main form[action$='/step/']")
    step.locator("select[name=decision]").select_option(str(decision.pk))
    with page.expect_navigation():
        step.get_by_role("button", name=t["record"]).click()
    step = page.locator("main form[action$='/step/']")
    step.locator("input[name=outgoing_ref]").fill("ММГ-14/2026")
    _check(page)
    with page.expect_navigation():
        step.get_by_role("button", name=t["record"]).click()
    expect(page.locator("main dl.facts")).to_contain_text(t["submitted"])
    expect(page.locator("main dl.facts")).to_contain_text("ММГ-14/2026")
    assert LegislativeProposal.objects.get().status == "submitted"
    _check(page)
