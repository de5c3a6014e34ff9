"""The print pack, the meeting's .ics and the personal feed as pages: who gets what."""

import io

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from alqa.domain.bodies import add_guest
from alqa.domain.meetings import add_agenda_item, approve_agenda, cancel_meeting, invite_guest
from alqa.domain.proposals import accept_proposal, submit_proposal
from alqa.models import AuditEvent, User
from tests.documents.helpers import FUTURE, schedule

pytestmark = pytest.mark.usefixtures("waive_mfa")


@pytest.fixture
def meeting(body, chair, secretary, member):
    meeting = schedule(body, actor=secretary.user, presiding=chair)
    proposal = submit_proposal(
        body=body,
        author=member,
        actor=member.user,
        title_ru="О доступе в ИВС",
        title_kk="ИВС-ке кіру туралы",
        memo_ru="Справка на русском.",
        memo_kk="Қазақ тіліндегі анықтама: әғқңөұүһі.",
    )
    accept_proposal(proposal, meeting=meeting, actor=secretary.user, decider=secretary)
    approve_agenda(meeting, actor=chair.user)
    return meeting


@pytest.fixture
def guest_user(body, secretary, meeting):
    guest = add_guest(body=body, actor=secretary.user, full_name="Ермекова Лаура", email="expert@alqa.test")
    invite_guest(meeting, guest=guest, actor=secretary.user)
    return User.objects.get(email="expert@alqa.test")


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_member_downloads_the_print_pack_in_their_language(client, meeting, member):
    member.user.language = "kk"
    member.user.save()
    client.force_login(member.user)
    response = client.get(f"/meetings/{meeting.pk}/print-pack.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Қазақ тіліндегі анықтама: әғқңөұүһі." in text and "Справка на русском." not in text
    assert len(reader.outline) == meeting.invitations.count() == 3


def test_print_pack_and_calendar_file_are_not_for_other_bodies(client, meeting, outsider):
    client.force_login(outsider.user)
    assert client.get(f"/meetings/{meeting.pk}/print-pack.pdf").status_code == 404
    assert client.get(f"/meetings/{meeting.pk}/meeting.ics").status_code == 404
    assert client.get("/meetings/999999/print-pack.pdf").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, meeting):
    for url in (f"/meetings/{meeting.pk}/print-pack.pdf", f"/meetings/{meeting.pk}/meeting.ics"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_guest_gets_the_calendar_file_of_their_meeting_only(
    client, body, chair, secretary, meeting, guest_user
):
    other = schedule(body, actor=secretary.user, presiding=chair, starts_at=FUTURE.replace(day=20))
    add_agenda_item(other, actor=secretary.user, title_ru="Другой вопрос")
    client.force_login(guest_user)
    response = client.get(f"/meetings/{meeting.pk}/meeting.ics", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "text/calendar; method=PUBLISH"
    )
    cal = Calendar.from_ical(response.content)
    event = cal.walk("VEVENT")[0]
    # a file to add, not an invitation to answer: no attendee, nothing asks for a reply
    assert cal["METHOD"] == "PUBLISH" and "ATTENDEE" not in event
    assert str(event["UID"]) == f"{meeting.uid}@alqa"
    assert client.get(f"/meetings/{other.pk}/meeting.ics").status_code == 404
    # The printed memos are the members' papers: an invited participant does not download them.
    assert client.get(f"/meetings/{meeting.pk}/print-pack.pdf").status_code == 404


def test_member_gets_the_cancelled_meeting_as_a_published_file(client, meeting, member, secretary):
    cancel_meeting(meeting, actor=secretary.user, reason="Перенос")
    client.force_login(member.user)
    response = client.get(f"/meetings/{meeting.pk}/meeting.ics")
    assert response["Content-Type"].startswith("text/calendar; method=PUBLISH")
    cal = Calendar.from_ical(response.content)
    assert cal["METHOD"] == "PUBLISH" and cal.walk("VEVENT")[0]["STATUS"] == "CANCELLED"


def test_feed_works_without_sign_in_and_a_reset_address_stops_working(client, settings, meeting, member):
    settings.SITE_URL = "https://alqa.example.kz"
    old = member.user.calendar_token
    feed = client.get(f"/calendar/{old}.ics")
    assert feed.status_code == 200 and feed["Content-Type"] == "text/calendar; charset=utf-8"
    uids = [str(e["UID"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert uids == [f"{meeting.uid}@alqa"]

    client.force_login(member.user)
    profile = client.get("/profile/").content.decode()
    assert f"https://alqa.example.kz/calendar/{old}.ics" in profile
    response = client.post("/calendar/reset/", follow=True)
    assert response.status_code == 200
    member.user.refresh_from_db()
    new = member.user.calendar_token
    assert new != old and f"https://alqa.example.kz/calendar/{new}.ics" in response.content.decode()
    event = AuditEvent.objects.get(action="user.calendar_token_reset", object_id=str(member.user.pk))
    assert event.actor == member.user and old not in str(event.data) and new not in str(event.data)

    client.logout()
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert client.get("/calendar/reset/").status_code == 302  # reset only signed in, and only by POST
    client.force_login(member.user)
    assert client.get("/calendar/reset/").status_code == 405


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_feed_of_an_inactive_user_is_gone(client, member):
    member.user.is_active = False
    member.user.save()
    assert client.get(f"/calendar/{member.user.calendar_token}.ics").status_code == 404
