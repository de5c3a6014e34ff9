"""The secretary's working day (issue 9) where the other browser tests leave a point out, in
Russian and Kazakh, each page at 390 px and 1280 px and axe-clean: the meeting page with both
languages side by side and the Kazakh date inflected before its noun, its calendar file (PUBLISH,
where the mailed invitation is a REQUEST), its print pack and the favicon; the audit trail as
sentences; a member's materials page and the error pages (404, 403) in the reader's language.

Which test covers which point of the issue: docs/browser-tests.md."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from alqa.dates import date_of, human_date
from alqa.domain.meetings import add_agenda_item, approve_agenda, meeting_day
from alqa.domain.users import update_profile
from tests.browser.helpers import sign_in
from tests.browser.test_meeting_editing import _check
from tests.browser.test_phone_layout import PHONE
from tests.conftest import PASSWORD, meeting_on

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("waive_mfa")]

WORDS = {
    "ru": {
        "meeting": "заседание {day}",
        "scheduled": "назначила заседание {day}",
        "ics": "Добавить в календарь (.ics)",
        "pack": "Комплект для печати (PDF)",
        "summary": "Очередное заседание",
        "not found": "Страница не найдена",
        "not allowed": "Нет доступа",
        "files help": "PDF, DOCX, PNG или JPEG; размер каждого файла",
    },
    "kk": {
        "meeting": "{day} отырыс",
        "scheduled": "{day} отырысты тағайындады",
        "ics": "Күнтізбеге қосу (.ics)",
        "pack": "Басып шығаруға арналған жиынтық (PDF)",
        "summary": "Кезекті отырыс",
        "not found": "Бет табылмады",
        "not allowed": "Рұқсат жоқ",
        "files help": "PDF, DOCX, PNG немесе JPEG; әр файлдың көлемі",
    },
}
TITLES = {"ru": "О допуске адвокатов в ИВС", "kk": "Адвокаттардың УҰИ-ға кіруі туралы"}


@pytest.fixture
def approved(body, secretary, chair, member, deputy):
    """A meeting in a fortnight with one question in both languages, its agenda approved (the
    members are invited)."""
    meeting, _none = meeting_on(body, secretary, chair, days=14, title=None)
    add_agenda_item(meeting, actor=secretary.user, title_ru=TITLES["ru"], title_kk=TITLES["kk"])
    approve_agenda(meeting, actor=chair.user)
    return meeting


def _day(meeting, language: str) -> str:
    with translation.override(language):
        return (date_of if language == "kk" else human_date)(meeting_day(meeting))


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_secretarys_meeting_page_its_files_and_the_audit_trail(
    new_page, body, secretary, approved, language
):
    words, other = WORDS[language], "kk" if language == "ru" else "ru"
    day = _day(approved, language)
    update_profile(secretary.user, actor=secretary.user, changes={"language": language})
    problems: dict[str, str] = {}
    page = new_page(locale=f"{language}-KZ")
    page.set_viewport_size(PHONE)
    sign_in(page, "secretary@alqa.test", PASSWORD)

    page.goto(f"/meetings/{approved.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    # the date names the meeting as the language says it: «1 желтоқсандағы отырыс»
    expect(page.locator("h1")).to_contain_text(words["meeting"].format(day=day))
    # the question in the reader's language first and in bold, the other one beneath it
    question = page.locator("#agenda tbody th[scope=row]").first
    expect(question.locator(f"strong[lang={language}]")).to_have_text(TITLES[language])
    expect(question.locator(f"[lang={other}]")).to_have_text(TITLES[other])
    _check(page, "meeting page", problems)

    # the calendar file offered on the page is one to add (PUBLISH), in the reader's language
    ics_link = page.get_by_role("link", name=words["ics"])
    calendar = page.request.get(ics_link.get_attribute("href"))
    assert calendar.status == 200
    assert calendar.headers["content-type"].startswith("text/calendar; method=PUBLISH")
    text = calendar.text().replace("\r\n ", "")
    assert "METHOD:PUBLISH" in text and "ATTENDEE" not in text and words["summary"] in text

    # the print pack, a PDF
    pack = page.request.get(page.get_by_role("link", name=words["pack"]).get_attribute("href"))
    assert pack.status == 200 and pack.headers["content-type"] == "application/pdf"
    assert pack.body().startswith(b"%PDF")

    # the favicon the page names, and the address browsers ask for without reading the page
    icon = page.request.get(page.locator("link[rel=icon]").get_attribute("href"))
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert page.request.get("/favicon.ico").status == 200  # redirected to the same file

    # the audit trail in sentences: who scheduled which meeting, the date in its form
    page.goto(f"/bodies/{body.pk}/audit/")
    expect(page.locator("main")).to_contain_text(words["scheduled"].format(day=day))
    _check(page, "audit trail", problems)
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_members_materials_page_and_the_error_pages(new_page, body, member, approved, language):
    words = WORDS[language]
    update_profile(member.user, actor=member.user, changes={"language": language})
    problems: dict[str, str] = {}
    page = new_page(locale=f"{language}-KZ")
    page.set_viewport_size(PHONE)
    sign_in(page, "member@alqa.test", PASSWORD)

    page.goto(f"/meetings/{approved.pk}/materials/")
    expect(page.locator("select[name=item] option").first).to_contain_text(TITLES[language])
    expect(page.locator("main")).to_contain_text(words["files help"])  # not the language of start-up
    _check(page, "materials page", problems)

    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text(words["not found"])
    expect(page.locator("main a[href='/']")).to_be_visible()
    _check(page, "404 page", problems)

    response = page.goto(f"/bodies/{body.pk}/audit/")  # the trail is for the secretary and the chair
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text(words["not allowed"])
    expect(page.locator("main")).not_to_contain_text("Forbidden")
    _check(page, "403 page", problems)
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
