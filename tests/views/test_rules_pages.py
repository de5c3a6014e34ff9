"""The regulation's rules as people meet them on the pages: refusals on the form fields in their
language, the register's appointment basis, the policy's flags, the ground of an online meeting,
conference links, and meetings the cadence does not count as held."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from alqa.dates import human_date
from alqa.domain.meetings import AttendanceRow, add_agenda_item, record_attendance
from alqa.models import BodyPolicy, Decision, Meeting, Member
from tests.conftest import login
from tests.helpers import meeting_in

pytestmark = pytest.mark.usefixtures("waive_mfa")
ALMATY = ZoneInfo("Asia/Almaty")


def said(message: str, language: str, **params) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    return text % params if params else text


def page_text(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def member_form(**changes) -> dict:
    return {
        "full_name": "Новый Адвокат",
        "email": "",
        "side": "bar",
        "role": "member",
        "basis_kind": "",
        "basis_number": "",
        "basis_date": "",
        "active_from": "2025-02-01",
        "language": "ru",
    } | changes


# --- the register ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_member_form_asks_a_bar_side_member_for_the_presidiums_resolution(
    client, body, secretary, language
):
    login(client, secretary, language)
    response = client.post(f"/bodies/{body.pk}/members/new/", member_form())
    assert response.status_code == 200
    errors = response.context["form"].errors
    message = (
        "A bar-side member is appointed by a resolution of the Bar's Presidium (clause 1.3): choose it and "
        "give its number and date."
    )
    assert errors["basis_kind"] == [said(message, language)]
    assert errors["basis_date"] == [said("Give the date of the appointing document.", language)]
    assert said(message, language) in page_text(response)
    assert not Member.objects.filter(full_name="Новый Адвокат").exists()


def test_the_member_form_keeps_the_leaders_sides(client, body, secretary):
    login(client, secretary, "ru")
    response = client.post(f"/bodies/{body.pk}/members/new/", member_form(side="police", role="deputy_chair"))
    message = said("Under clause 3.1 the deputy chair is on the bar side: the deputy chair of the Bar.", "ru")
    assert response.context["form"].errors["side"] == [message] and message in page_text(response)
    assert "Under clause 3.1 the chair is of the police side" not in page_text(response)  # said in Russian
    assert not Member.objects.filter(full_name="Новый Адвокат").exists()


def test_the_register_shows_the_appointment_basis(client, body, secretary, member):
    login(client, secretary, "ru")
    response = client.post(
        f"/bodies/{body.pk}/members/new/",
        member_form(basis_kind="presidium_resolution", basis_number="14", basis_date="2025-01-20"),
    )
    assert response.status_code == 302
    register = page_text(client.get(f"/bodies/{body.pk}/members/"))
    assert "Основание назначения" in register
    assert "Постановление Президиума № 14 от 20.01.2025" in register
    assert "Постановление Президиума № 12 от 20.12.2024" in register  # the fixture's member
    stored = Member.objects.get(full_name="Новый Адвокат")
    detail = page_text(client.get(f"/members/{stored.pk}/"))
    assert "Постановление Президиума № 14" in detail


# --- the policy --------------------------------------------------------------------------------------


def test_the_policy_page_shows_and_changes_the_two_flags(client, body, chair, member):
    login(client, member, "en")
    page = page_text(client.get(f"/bodies/{body.pk}/policy/"))
    assert "The chair is of the police side, the deputy chair of the bar side." in page
    assert "https:// only" in page
    login(client, chair, "en")
    data = {
        "meeting_interval_months": 2,
        "quorum_rule": "each_side_majority",
        "protocol_signing_days": 5,
        "distribution_days": 2,
        "executor_information_days": 5,
        "protocol_retention_years": 3,
        "extension_limit": 2,
        "reminder_before_days": 2,
        "reminder_every_days": 2,
        "chair_overdue_days": 5,
        "allow_http_links": "on",
    }
    form = page_text(client.get(f"/bodies/{body.pk}/policy/"))
    assert 'name="leaders_sides_enforced"' in form and 'name="allow_http_links"' in form
    assert client.post(f"/bodies/{body.pk}/policy/", data).status_code == 302
    policy = BodyPolicy.objects.get(body=body)
    assert (policy.leaders_sides_enforced, policy.allow_http_links) == (False, True)
    login(client, member, "en")
    page = page_text(client.get(f"/bodies/{body.pk}/policy/"))
    assert "Either side, as the body's own regulation provides." in page and "https:// and http://" in page


# --- meetings --------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_decision_page_says_who_must_approve_the_agenda(
    client, body, chair, secretary, member, deputy, language
):
    meeting = meeting_in(body, secretary, chair, -1)
    item = add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    record_attendance(
        meeting,
        actor=secretary.user,
        members=[AttendanceRow(m.pk, True) for m in (chair, secretary, member, deputy)],
    )
    login(client, secretary, language)
    response = client.post(
        f"/meetings/{meeting.pk}/items/{item.pk}/decision/",
        {"text_ru": "Решение", "executors-TOTAL_FORMS": "0", "executors-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    message = said(
        "The agenda is not approved: decisions are recorded only on an agenda approved by the presiding "
        "person, %(name)s (clause 3.2).",
        language,
        name=chair.full_name,
    )
    assert message in page_text(response)
    assert not Decision.objects.exists()


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_the_meeting_page_shows_the_ground_and_never_links_a_stored_script(
    client, body, chair, secretary, member
):
    meeting = meeting_in(
        body,
        secretary,
        chair,
        5,
        format="online",
        place="",
        conference_url="https://meet.example.kz/room",
        online_ground="urgent",
        online_ground_note="Жалобы из ИВС",
    )
    login(client, member, "ru")
    page = page_text(client.get(f"/meetings/{meeting.pk}/"))
    assert (
        "Основание для онлайн-заседания" in page
        and "Случай, не терпящий отлагательств: Жалобы из ИВС" in page
    )
    assert '<a href="https://meet.example.kz/room" rel="noopener noreferrer">' in page
    # an address stored before the check: shown as text, not as a link
    Meeting.objects.filter(pk=meeting.pk).update(conference_url="javascript:alert(1)", online_ground="")
    cache.clear()  # a change behind the domain's back leaves no audit event to renew the cached page
    page = page_text(client.get(f"/meetings/{meeting.pk}/"))
    assert "javascript:alert(1)" in page and 'href="javascript:' not in page
    assert "Основание для онлайн-заседания" in page and "не указано" in page
    invitation = meeting.invitations.create(member=member, email=member.email)
    page = page_text(client.get(f"/invitations/{invitation.token}/"))
    assert "javascript:alert(1)" in page and 'href="javascript:' not in page


def test_the_meeting_form_asks_for_the_ground_of_an_online_meeting(client, body, chair, secretary):
    login(client, secretary, "kk")
    day = timezone.localdate() + timedelta(days=10)
    data = {
        "kind": "regular",
        "format": "online",
        "starts_at": f"{day.isoformat()}T10:00",
        "duration_minutes": "120",
        "place": "",
        "conference_url": "https://meet.example.kz/r",
        "online_ground": "",
        "presiding": str(chair.pk),
    }
    response = client.post(f"/bodies/{body.pk}/meetings/new/", data)
    message = said(
        "Meetings are held in person (clause 3.4). Give the ground for holding this one online: a case that "
        "cannot wait, or quarantine measures (clause 3.3).",
        "kk",
    )
    assert response.context["form"].errors["online_ground"] == [message] and message in page_text(response)
    assert not Meeting.objects.exists()
    response = client.post(f"/bodies/{body.pk}/meetings/new/", data | {"online_ground": "urgent"})
    assert response.status_code == 302
    assert Meeting.objects.get().online_ground == "urgent"


@pytest.mark.parametrize(
    ("language", "no_quorum", "no_attendance", "heading"),
    [
        ("en", "not held: no quorum", "attendance not recorded", "Meetings not counted as held"),
        (
            "ru",
            "не состоялось: нет кворума",
            "присутствие не отмечено",
            "Заседания, не засчитанные как проведённые",
        ),
    ],
)
def test_the_cadence_card_counts_only_meetings_held_with_a_quorum(
    client, body, chair, secretary, member, deputy, language, no_quorum, no_attendance, heading
):
    everyone = (chair, secretary, member, deputy)
    held = meeting_in(body, secretary, chair, -40)
    record_attendance(held, actor=secretary.user, members=[AttendanceRow(m.pk, True) for m in everyone])
    short = meeting_in(body, secretary, chair, -20)
    record_attendance(
        short, actor=secretary.user, members=[AttendanceRow(m.pk, m != deputy) for m in everyone]
    )  # bar: 1 of 2
    unrecorded = meeting_in(body, secretary, chair, -10)
    login(client, member, language)
    page = page_text(client.get(f"/bodies/{body.pk}/"))
    with translation.override(language):
        last = human_date(held.starts_at.astimezone(ALMATY).date())
        short_day = human_date(short.starts_at.astimezone(ALMATY).date())
        unrecorded_day = human_date(unrecorded.starts_at.astimezone(ALMATY).date())
    card = page.split('id="cadence"')[1].split("</div>")[0]
    assert said("Last meeting: %(day)s", language, day=last) in card and heading in card
    assert f'<a href="/meetings/{short.pk}/">{short_day}</a>: {no_quorum}' in card
    assert f'<a href="/meetings/{unrecorded.pk}/">{unrecorded_day}</a>: {no_attendance}' in card
    assert f'/meetings/{held.pk}/"' not in card
    # with the deputy chair marked present the meeting is held, and the list shrinks
    record_attendance(short, actor=secretary.user, members=[AttendanceRow(deputy.pk, True)])
    card = page_text(client.get(f"/bodies/{body.pk}/meetings/")).split('id="cadence"')[1].split("</div>")[0]
    assert f'/meetings/{short.pk}/"' not in card and f'/meetings/{unrecorded.pk}/"' in card
