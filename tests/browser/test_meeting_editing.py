"""The secretary's meeting page in the browser (issue 9, points 4, 5 and 8), in Russian and Kazakh,
on a 390 px phone and a 1280 px screen, axe-clean: questions edited, moved and removed, with the
approval's withdrawal said beforehand; a member's reply in the app; the actions of a held meeting."""

import re

import pytest
from playwright.sync_api import expect

from alqa.domain.meetings import (
    AttendanceRow,
    add_agenda_item,
    approve_agenda,
    record_attendance,
    record_decision,
)
from alqa.domain.users import update_profile
from tests.browser.helpers import axe_violations, describe, sign_in
from tests.browser.test_phone_layout import PHONE, SCREEN, page_width
from tests.conftest import PASSWORD, meeting_on
from tests.helpers import meeting_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("waive_mfa")]

WORDS = {
    "ru": {
        "down": "Вниз",
        "up": "Вверх",
        "withdraws": "снимает утверждение",
        "move": "Переместить",
        "remove": "Исключить",
        "not approved": "Не утверждена",
        "attend": "Приму участие",
        "attending": "Примет участие",
        "reply": "Ответить",
    },
    "kk": {
        "down": "Төмен",
        "up": "Жоғары",
        "withdraws": "бекітудің күші жойылады",
        "move": "Орнын ауыстыру",
        "remove": "Алып тастау",
        "not approved": "",
        "attend": "Қатысамын",
        "attending": "Қатысады",
        "reply": "Жауап беру",
    },
}


def _check(page, where: str, problems: dict[str, str]) -> None:
    """At 390 px and at 1280 px: no sideways scroll of the page, nothing axe objects to."""
    for label, size in (("390 px", PHONE), ("1280 px", SCREEN)):
        page.set_viewport_size(size)
        scroll, inner = page_width(page)
        if scroll > inner:
            problems[f"{where} at {label}"] = f"page {scroll} px wide in a {inner} px window"
        violations = axe_violations(page)
        if violations:
            problems[f"{where} at {label} (axe)"] = describe(violations)
    page.set_viewport_size(PHONE)


def _titles(page) -> list[str]:
    return [t.strip() for t in page.locator("#agenda tbody th[scope=row] > [lang=ru]").all_inner_texts()]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_secretary_edits_moves_and_removes_questions(new_page, body, secretary, chair, language):
    meeting, _first = meeting_on(body, secretary, chair, days=14, title="Первый вопрос")
    add_agenda_item(meeting, actor=secretary.user, title_ru="Второй вопрос")
    add_agenda_item(meeting, actor=secretary.user, title_ru="Третий вопрос")
    approve_agenda(meeting, actor=chair.user)
    update_profile(secretary.user, actor=secretary.user, changes={"language": language})
    words = WORDS[language]
    problems: dict[str, str] = {}
    page = new_page(locale=f"{language}-KZ")
    page.set_viewport_size(PHONE)
    sign_in(page, "secretary@alqa.test", PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/")
    _check(page, "meeting page", problems)

    # on the approved agenda a move goes through the page that says the approval goes
    page.locator("#agenda tbody tr").first.get_by_role("link", name=re.compile(words["down"])).click()
    expect(page.get_by_text(words["withdraws"]).first).to_be_visible()
    _check(page, "move confirmation", problems)
    page.get_by_role("button", name=words["move"]).click()
    expect(page.locator(".errors").first).to_be_visible()  # not confirmed: nothing moved
    assert _titles_of(meeting) == ["Первый вопрос", "Второй вопрос", "Третий вопрос"]
    page.get_by_label(re.compile(words["withdraws"])).check()
    page.get_by_role("button", name=words["move"]).click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/#item-"))
    expect(page.locator("#agenda .badge.warn").first).to_be_visible()
    assert _titles(page) == ["Второй вопрос", "Первый вопрос", "Третий вопрос"]

    # the draft agenda: a plain button, by keyboard
    last_up = page.locator("#agenda tbody tr").nth(2).get_by_role("button", name=re.compile(words["up"]))
    last_up.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _titles(page) == ["Второй вопрос", "Третий вопрос", "Первый вопрос"]

    # removed after a confirmation page, no checkbox on a draft
    page.locator("#agenda tbody tr").first.get_by_role("link", name=re.compile(words["remove"])).click()
    expect(page.locator("input[type=checkbox][name=withdraw_approval]")).to_have_count(0)
    _check(page, "remove confirmation", problems)
    page.get_by_role("button", name=words["remove"]).click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/#agenda"))
    assert _titles(page) == ["Третий вопрос", "Первый вопрос"]
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


def _titles_of(meeting) -> list[str]:
    return list(meeting.items.order_by("order").values_list("title_ru", flat=True))


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_member_replies_in_the_app(new_page, body, secretary, chair, member, language):
    meeting, _item = meeting_on(body, secretary, chair, days=14, approved=True)
    update_profile(member.user, actor=member.user, changes={"language": language})
    words = WORDS[language]
    problems: dict[str, str] = {}
    page = new_page(locale=f"{language}-KZ")
    page.set_viewport_size(PHONE)
    sign_in(page, "member@alqa.test", PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/")
    page.locator("#my-invitation").get_by_role("link", name=words["reply"]).click()
    _check(page, "reply page", problems)
    page.get_by_role("button", name=words["attend"]).click()
    expect(page.locator("#my-invitation")).to_contain_text(words["attending"])
    _check(page, "meeting page after the reply", problems)
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_held_meeting_offers_only_what_its_state_allows(
    new_page, body, secretary, chair, member, deputy, language
):
    held = meeting_in(body, secretary, chair, days=-1)
    item = add_agenda_item(held, actor=secretary.user, title_ru="Вопрос")
    approve_agenda(held, actor=chair.user)
    record_attendance(
        held,
        actor=secretary.user,
        members=[AttendanceRow(m.pk, True) for m in (chair, secretary, member, deputy)],
    )
    record_decision(held, actor=secretary.user, agenda_item=item, text_ru="Решение")
    update_profile(secretary.user, actor=secretary.user, changes={"language": language})
    problems: dict[str, str] = {}
    page = new_page(locale=f"{language}-KZ")
    page.set_viewport_size(PHONE)
    sign_in(page, "secretary@alqa.test", PASSWORD)
    page.goto(f"/meetings/{held.pk}/")
    expect(page.locator(f"a[href='/meetings/{held.pk}/cancel/']")).to_have_count(0)
    expect(page.locator(f"a[href='/meetings/{held.pk}/edit/']")).to_have_count(0)
    expect(page.locator(f"a[href='/meetings/{held.pk}/items/new/']")).to_have_count(0)
    expect(page.locator(f"a[href='/meetings/{held.pk}/items/{item.pk}/decision/']")).to_have_count(1)
    _check(page, "held meeting", problems)
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
