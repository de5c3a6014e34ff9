"""The main pages on a 390 px phone and a 1280 px screen, in Russian and Kazakh: the page never
scrolls sideways (a wide table scrolls inside its own box), the menu folds into a button that
opens by keyboard, and axe finds nothing serious."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from alqa.domain.bodies import add_guest
from alqa.domain.meetings import add_agenda_item
from alqa.domain.members import update_member
from alqa.domain.proposals import submit_proposal
from alqa.domain.users import update_profile
from tests.browser.helpers import axe_violations, describe, sign_in
from tests.conftest import PASSWORD, make_member, meeting_on

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SCREEN = {"width": 1280, "height": 800}


@pytest.fixture
def full_body(body, admin_user, chair, secretary, member, deputy, police_unit, bar_unit, waive_mfa):
    """A body whose pages carry long names, several questions, a guest, a proposal and history."""
    long_name = make_member(
        body,
        admin_user,
        email="konstantin.vladimirovich.abdrakhmanov-ismailov@police.almaty.example.kz",
        name="Абдрахманов-Исмаилов Константин Владимирович",
        unit=police_unit,
        position="Начальник отдела по надзору за соблюдением законности в изоляторах временного содержания",
    )
    update_member(long_name, actor=secretary.user, changes={"phone": "+7 701 000 00 00"})
    add_guest(
        body=body,
        actor=secretary.user,
        full_name="Сарсенбаева Айгерим Маратовна",
        kind="expert",
        organisation="Общественный фонд «Правовая помощь и защита прав человека в Казахстане»",
        email="expert@alqa.test",
    )
    meeting, _item = meeting_on(
        body,
        secretary,
        chair,
        days=14,
        title="О допуске адвокатов к подзащитным в изоляторе временного содержания",
    )
    add_agenda_item(
        meeting,
        actor=secretary.user,
        title_ru="Об оборудовании комнат для конфиденциальных встреч адвокатов с подзащитными в районных управлениях",
        title_kk="Аудандық басқармаларда адвокаттардың қорғалушылармен құпия кездесулеріне арналған бөлмелер туралы",
    )
    submit_proposal(
        body=body,
        author=member,
        actor=member.user,
        title_ru="О дежурствах адвокатов в ночное время в следственно-оперативных группах",
        memo_ru="Справка-обоснование: в ночное время дежурный адвокат приглашается не всегда.",
    )
    # a plan of the current quarter: the control page shows its statistics (a table at 390 px)
    from django.utils import timezone

    from alqa.domain.plans import PlanExecutor, add_plan_item, create_plan, period_bounds

    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    plan = create_plan(body=body, actor=secretary.user, period="quarter", year=today.year, quarter=quarter)
    add_plan_item(
        plan,
        actor=secretary.user,
        activity_ru="Посещение изоляторов временного содержания районных управлений полиции",
        due_date=period_bounds("quarter", today.year, quarter)[1],
        executors=[PlanExecutor(member_id=member.pk), PlanExecutor(unit_id=police_unit.pk)],
    )
    return body, meeting


def main_pages(body, meeting, member):
    return [
        ("body", f"/bodies/{body.pk}/"),
        ("members", f"/bodies/{body.pk}/members/"),
        ("member", f"/members/{member.pk}/"),
        ("units", f"/bodies/{body.pk}/units/"),
        ("participants", f"/bodies/{body.pk}/participants/"),
        ("meetings", f"/bodies/{body.pk}/meetings/"),
        ("meeting", f"/meetings/{meeting.pk}/"),
        ("proposals", f"/bodies/{body.pk}/proposals/"),
        ("policy", f"/bodies/{body.pk}/policy/"),
        ("audit trail", f"/bodies/{body.pk}/audit/"),
        ("working days", "/workdays/?start=2025-12-30&days=5"),
        ("calendar", f"/workdays/calendar/?year={date.today().year}"),
        ("profile", "/profile/"),
        ("execution control", f"/bodies/{body.pk}/control/"),
        ("compliance remarks", f"/bodies/{body.pk}/remarks/"),
        ("work plans", f"/bodies/{body.pk}/plans/"),
        ("visits", f"/bodies/{body.pk}/oversight/"),
        ("requests", f"/bodies/{body.pk}/requests/"),
        ("urgent contacts", f"/bodies/{body.pk}/urgent-contacts/"),
        ("legislative proposals", f"/bodies/{body.pk}/legislation/"),
        ("publications", f"/bodies/{body.pk}/publications/"),
        ("complaints", f"/bodies/{body.pk}/complaints/"),
        ("classifier of complaint subjects", f"/bodies/{body.pk}/complaints/subjects/"),
        ("protocol search", f"/bodies/{body.pk}/protocols/search/?q=доступ"),
    ]


def page_width(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


WIDE_ELEMENTS = """() => Array.from(document.querySelectorAll("body *"))
  .filter(e => e.checkVisibility() && e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !Array.from(e.children).some(c => c.checkVisibility() && c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 4)
  .map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "")
    + " " + Math.round(e.getBoundingClientRect().right) + "px «" + e.textContent.trim().slice(0, 30) + "»")"""


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_main_pages_fit_a_phone_and_a_screen(new_page, full_body, secretary, member, language):
    body, meeting = full_body
    update_profile(secretary.user, actor=secretary.user, changes={"language": language})
    page = new_page(locale=f"{language}-KZ")
    page.set_viewport_size(PHONE)
    sign_in(page, "secretary@alqa.test", PASSWORD)
    expect(page).to_have_url(re.compile(rf"/bodies/{body.pk}/$"))
    overflow: dict[str, str] = {}
    found: dict[str, str] = {}
    for name, url in main_pages(body, meeting, member):
        page.set_viewport_size(PHONE)
        response = page.goto(url)
        assert response is not None and response.status == 200, (url, response and response.status)
        expect(page.locator("html")).to_have_attribute("lang", language)
        for label, size in (("390 px", PHONE), ("1280 px", SCREEN)):
            page.set_viewport_size(size)
            scroll, inner = page_width(page)
            if scroll > inner:
                wide = ", ".join(page.evaluate(WIDE_ELEMENTS))
                overflow[f"{name} at {label}"] = f"page {scroll} px wide in a {inner} px window: {wide}"
            violations = axe_violations(page)
            if violations:
                found[f"{name} at {label}"] = describe(violations)
    assert not overflow, overflow
    assert not found, "\n\n".join(f"{k}:\n{v}" for k, v in found.items())


def test_the_menu_folds_on_a_phone_and_opens_by_keyboard(new_page, full_body, secretary):
    body, _meeting = full_body
    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, "secretary@alqa.test", PASSWORD)
    expect(page).to_have_url(re.compile(rf"/bodies/{body.pk}/$"))
    menu = page.locator("#site-menu")
    members = page.locator("header nav a[href$='/members/']")
    expect(menu).not_to_have_attribute("open", "")
    expect(members).to_be_hidden()
    summary = menu.locator("summary")
    expect(summary).to_have_text("Меню")
    summary.focus()
    page.keyboard.press("Enter")
    expect(members).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator("header nav a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(members).to_be_hidden()
    expect(summary).to_be_focused()

    # a wide screen shows the menu as a row, without the button
    page.set_viewport_size(SCREEN)
    expect(members).to_be_visible()
    expect(summary).to_be_hidden()
    with page.expect_navigation():
        members.click()
    expect(page).to_have_url(re.compile(rf"/bodies/{body.pk}/members/$"))


def test_a_wide_table_scrolls_in_its_own_box_reachable_by_keyboard(new_page, full_body, secretary):
    """Any table wider than a phone (here one of twelve columns, added to the register's page as a
    page of another engineer might add one) scrolls inside its box: the page itself does not."""
    body, _meeting = full_body
    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, "secretary@alqa.test", PASSWORD)
    page.goto(f"/bodies/{body.pk}/members/")
    page.evaluate(
        """() => {
        const cells = Array.from({length: 12}, (_, i) => `<td>Председательствующий ${i}</td>`).join("");
        document.querySelector("main").insertAdjacentHTML("beforeend",
          `<table class="table" id="wide"><caption>Wide</caption><tr>${cells}</tr></table>`);
        window.dispatchEvent(new Event("resize"));
    }"""
    )
    table = page.locator("#wide")
    assert table.evaluate("t => t.scrollWidth > t.clientWidth + 100")
    expect(table).to_have_attribute("tabindex", "0")
    scroll, inner = page_width(page)
    assert scroll <= inner, f"page {scroll} px wide in a {inner} px window"
    table.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    for _ in range(50):  # wait_for_function would evaluate a string, which the CSP forbids
        if table.evaluate("t => t.scrollLeft") > 0:
            break
        page.wait_for_timeout(100)
    assert table.evaluate("t => t.scrollLeft") > 0, "the key did not scroll the table's box"
    # on a wide screen the same table is no box of its own
    page.set_viewport_size(SCREEN)
    expect(table).not_to_have_attribute("tabindex", "0")
