"""The meeting page and the page header are served from the cache (alqa/fragments.py) while
nothing has changed. These tests hold the three promises that make that safe: any change shows
at once, each kind of reader gets its own copy, and a cached form carries the reader's own CSRF
token."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alqa.domain.bodies import add_guest, create_body
from alqa.domain.meetings import (
    AttendanceRow,
    add_agenda_item,
    approve_agenda,
    invite_guest,
    record_attendance,
    record_decision,
)
from alqa.domain.members import update_member
from alqa.domain.users import update_profile
from alqa.enums import Side
from alqa.fragments import csrf_placeholder
from alqa.models import Attendance, Invitation
from tests.conftest import login, make_member, meeting_on

pytestmark = pytest.mark.usefixtures("waive_mfa")

ALMATY = ZoneInfo("Asia/Almaty")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _content(page: str) -> str:
    """The page's main part, every CSRF token blanked (each response masks its token anew)."""
    main = page.split('<main id="main">')[1].split("</main>")[0]
    return TOKEN.sub("", main)


def _page(client, meeting) -> str:
    response = client.get(f"/meetings/{meeting.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert csrf_placeholder() not in page
    return page


def test_a_change_shows_at_once_on_a_cached_meeting_page(client, body, chair, secretary, member, deputy):
    meeting, item = meeting_on(body, secretary, chair, title="О доступе в ИВС", days=-1)
    login(client, member)
    first = _page(client, meeting)
    assert "О доступе в ИВС" in first and "No decisions recorded yet." in first
    with CaptureQueriesContext(connection) as served:
        again = _page(client, meeting)
    # the audit head and the user: the session (cached_db), the reader's memberships, the meeting
    # and its content come from the cache
    assert len(served.captured_queries) == 2, "\n".join(q["sql"] for q in served.captured_queries)
    assert _content(again) == _content(first)

    add_agenda_item(meeting, actor=secretary.user, title_ru="Второй вопрос")
    assert "Второй вопрос" in _page(client, meeting)
    approve_agenda(meeting, actor=chair.user)
    assert "Approved on" in _page(client, meeting)

    record_attendance(
        meeting,
        actor=secretary.user,
        members=[AttendanceRow(m.pk, True) for m in (chair, secretary, member, deputy)],
    )
    page = _page(client, meeting)
    assert "Quorum is met." in page and f"<li>{deputy.full_name} (Bar)</li>" in page

    record_decision(meeting, actor=secretary.user, agenda_item=item, text_ru="Обеспечить доступ адвокатов")
    page = _page(client, meeting)
    assert "Обеспечить доступ адвокатов" in page and "No decisions recorded yet." not in page

    update_member(chair, actor=secretary.user, changes={"full_name": "Серикбаев Арман Болатович"})
    assert "Серикбаев Арман Болатович" in _page(client, meeting)  # the presiding person's new name


def test_a_reply_by_the_public_link_shows_on_the_cached_page(client, body, chair, secretary, member, deputy):
    meeting, _ = meeting_on(body, secretary, chair, title="О доступе в ИВС", days=7)
    approve_agenda(meeting, actor=chair.user)
    login(client, member)
    assert _page(client, meeting).count("No reply yet") == 4
    invitation = Invitation.objects.get(meeting=meeting, member=deputy)
    Client().post(f"/invitations/{invitation.token}/", {"reply": "attend"})
    page = _page(client, meeting)
    assert page.count("No reply yet") == 3 and "Will attend" in page


def test_each_kind_of_reader_gets_its_own_copy(client, body, chair, secretary, member, admin_user):
    meeting, _ = meeting_on(body, secretary, chair, title="О доступе в ИВС", days=-1)
    expert = add_guest(body=body, actor=admin_user, full_name="Эксперт Нурланов", email="expert@alqa.test")
    invite_guest(meeting, guest=expert, actor=secretary.user)
    expert.refresh_from_db()

    login(client, chair)  # presiding: approves the agenda, keeps the attendance
    page = _page(client, meeting)
    assert "Approve the agenda" in page and "Save the attendance" in page and "Add a question" in page

    login(client, member)  # a plain member: reads only
    page = _page(client, meeting)
    assert "О доступе в ИВС" in page and "Attendance and quorum" in page
    for button in ("Approve the agenda", "Save the attendance", "Add a question", "Cancel the meeting"):
        assert button not in page, button

    login(client, secretary)  # keeps the register, does not preside
    page = _page(client, meeting)
    assert "Save the attendance" in page and "Approve the agenda" not in page

    login(client, expert)  # an invited participant: their invitation, not the group's business
    page = _page(client, meeting)
    assert "Your invitation" in page and "Attendance and quorum" not in page and "Invitations" not in page

    login(client, member, language="kk")  # the same reader in Kazakh
    page = _page(client, meeting)
    assert "Күн тәртібі" in page and ">Agenda<" not in page


def test_a_cached_form_carries_the_readers_own_csrf_token(body, chair, secretary, member, deputy):
    meeting, _ = meeting_on(body, secretary, chair, title="О доступе в ИВС", days=-1)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    login(first, secretary)
    login(second, deputy)  # the same kind of reader as the secretary: served the same copy
    secretary_page, deputy_page = _page(first, meeting), _page(second, meeting)
    assert _content(secretary_page) == _content(deputy_page)
    token = TOKEN.search(deputy_page.split('id="attendance"')[1]).group(1)
    people = [chair, secretary, member, deputy]
    response = second.post(
        f"/meetings/{meeting.pk}/attendance/",
        {
            "member": [str(m.pk) for m in people],
            "present": [str(m.pk) for m in people],
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code in (200, 302)
    assert Attendance.objects.filter(meeting=meeting, present=True).count() == 4
    # the secretary's token is not the deputy's: a stranger's copy would be refused
    response = second.post(
        f"/meetings/{meeting.pk}/attendance/",
        {"member": [str(chair.pk)], "present": [], "csrfmiddlewaretoken": "x" * 64},
    )
    assert response.status_code == 403
    assert Attendance.objects.filter(meeting=meeting, present=True).count() == 4


def test_the_header_follows_the_readers_name_and_bodies(client, body, member, admin_user):
    login(client, member)
    page = client.get("/workdays/").content.decode()
    assert member.full_name in page and 'id="body-switch"' not in page

    update_profile(member.user, actor=member.user, changes={"full_name": "Ахметова Дина Серiковна"})
    assert "Ахметова Дина Серiковна" in client.get("/workdays/").content.decode()

    second = create_body(actor=admin_user, name_ru="Мониторинговая группа Жетысу", city="Талдыкорган")
    make_member(second, admin_user, email=member.user.email, side=Side.BAR, password=None)
    page = client.get("/workdays/").content.decode()
    assert 'id="body-switch"' in page and "Мониторинговая группа Жетысу" in page


def test_signed_out_pages_leave_nothing_in_the_cache_and_their_forms_work(body):
    from django.core.cache import cache

    browser = Client(enforce_csrf_checks=True)
    for i in range(3):  # addresses anyone can make up
        page = browser.get(f"/accounts/login/?next=/made-up-{i}/").content.decode()
        assert "/made-up-" in page and csrf_placeholder() not in page
    assert not cache._cache  # the in-memory cache holds nothing (no header copies per address)
    token = TOKEN.search(page.split('id="language-form"')[1]).group(1)
    response = browser.post("/lang/", {"language": "kk", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response.cookies["alqa_language"].value == "kk"


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_a_text_cannot_catch_the_readers_token(client, body, chair, secretary, member):
    """The placeholder for the token in a stored fragment comes from the SECRET_KEY: a conference
    link or a title a manager types cannot be made to carry each reader's token."""
    meeting, _ = meeting_on(body, secretary, chair, days=5, title="alqa-fragment-csrf-token alqa-csrf-")
    meeting.conference_url = "https://meet.example.kz/room?t=alqa-fragment-csrf-token"
    meeting.save(update_fields=["conference_url"])
    cache.clear()
    login(client, member)
    page = _page(client, meeting)
    assert "https://meet.example.kz/room?t=alqa-fragment-csrf-token" in page
    assert "alqa-fragment-csrf-token alqa-csrf-" in page
    assert csrf_placeholder().startswith("alqa-csrf-") and len(csrf_placeholder()) == 42


@pytest.mark.django_db(transaction=True)
def test_data_read_before_a_change_is_never_stored_under_the_new_head(admin_user, body, member):
    """The head is read when the request starts (fragments.AuditHeadMiddleware), before the data:
    a change committed by another request between the data's read and the render moves the head,
    and the part rendered from the older data is stored under the older head, never the new one."""
    import threading

    from django.conf import settings
    from django.test import RequestFactory

    from alqa.fragments import AuditHeadMiddleware, cached_fragment
    from alqa.models import Member
    from alqa.request_memo import RequestMemoMiddleware

    def elsewhere():
        update_member(member, actor=admin_user, changes={"full_name": "Новое Имя"})
        connection.close()

    def view(request, *, change: bool):
        label = Member.objects.get(pk=member.pk).full_name  # the data, read before the change
        if change:
            thread = threading.Thread(target=elsewhere)
            thread.start()
            thread.join()
        data = {
            "authenticated": True,
            "current_body": None,
            "my_bodies": [],
            "is_installation_admin": False,
            "LANG": "en",
            "LANGUAGES": settings.LANGUAGES,
            "next_path": "/",
            "user_label": label,
        }
        return cached_fragment(request, "alqa/partials/header.html", data, parts=("test", member.pk))

    def page(change=False):
        request = RequestFactory().get("/")
        request.user = member.user  # a signed-in reader, as AuthenticationMiddleware leaves it
        return RequestMemoMiddleware(AuditHeadMiddleware(lambda r: view(r, change=change)))(request)

    assert member.full_name in page(change=True)
    assert "Новое Имя" in page()
