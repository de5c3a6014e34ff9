"""The calendar files, parsed back with icalendar: stable UID, growing SEQUENCE, CANCEL, time zone."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from alqa.documents.ics import feed_ics, meeting_ics
from alqa.domain.bodies import add_guest
from alqa.domain.meetings import add_agenda_item, approve_agenda, cancel_meeting, invite_guest, update_meeting
from alqa.enums import Role
from alqa.models import OutboxMessage
from alqa.permissions import feed_meetings_for_user
from tests.conftest import make_member
from tests.documents.helpers import ALMATY, FUTURE, schedule


def _event(data: bytes):
    cal = Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return cal, events[0]


@pytest.fixture
def approved(body, chair, secretary, member):
    meeting = schedule(body, actor=secretary.user, presiding=chair)
    add_agenda_item(
        meeting,
        actor=secretary.user,
        title_ru="О доступе адвокатов в ИВС",
        title_kk="Адвокаттардың ИВС-ке кіруі туралы",
    )
    approve_agenda(meeting, actor=chair.user)
    return meeting


def test_invitation_in_almaty_time_written_as_utc(approved):
    cal, event = _event(meeting_ics(approved, attendee="member@alqa.test", language="ru"))
    assert cal["METHOD"] == "REQUEST" and cal["VERSION"] == "2.0"
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    assert start.utcoffset() == timedelta(0) and "TZID" not in event["DTSTART"].params
    assert start == FUTURE and start.astimezone(ALMATY).strftime("%H:%M") == "10:00"
    assert start == datetime(2030, 3, 12, 5, 0, tzinfo=UTC)  # Almaty is UTC+5 since 1 March 2024
    assert end - start == timedelta(minutes=approved.duration_minutes)
    assert event["STATUS"] == "CONFIRMED" and int(event["SEQUENCE"]) == 0
    assert str(event["LOCATION"]) == "ДП г. Алматы, зал 3"
    assert "12.03.2030" in str(event["DESCRIPTION"]) and "10:00" in str(event["DESCRIPTION"])
    assert "1. О доступе адвокатов в ИВС" in str(event["DESCRIPTION"])
    assert str(event["ATTENDEE"]) == "mailto:member@alqa.test"
    assert str(event["SUMMARY"]).endswith("Группа Алматы")


def test_kazakh_file_names_the_body_and_item_in_kazakh(approved):
    _cal, event = _event(meeting_ics(approved, language="kk"))
    assert "Алматы тобы" in str(event["SUMMARY"])
    assert "Адвокаттардың ИВС-ке кіруі туралы" in str(event["DESCRIPTION"])
    assert "ATTENDEE" not in event


def test_uid_stays_sequence_grows_and_cancel_replaces(approved, secretary):
    mailed = OutboxMessage.objects.filter(to="member@alqa.test").latest("pk")
    _cal, first = _event(base64.b64decode(mailed.attachments[0]["content"]))
    uid = str(first["UID"])
    assert uid == f"{approved.uid}@alqa"

    update_meeting(approved, actor=secretary.user, changes={"starts_at": FUTURE + timedelta(hours=2)})
    _cal, updated = _event(meeting_ics(approved))
    assert str(updated["UID"]) == uid
    assert int(updated["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert updated["DTSTART"].dt.astimezone(ALMATY).strftime("%H:%M") == "12:00"

    cancel_meeting(approved, actor=secretary.user, reason="Председатель в командировке")
    cal, cancelled = _event(meeting_ics(approved))
    assert cal["METHOD"] == "CANCEL"
    assert cancelled["STATUS"] == "CANCELLED" and str(cancelled["UID"]) == uid
    assert int(cancelled["SEQUENCE"]) == int(updated["SEQUENCE"]) + 1
    # The cancellation mailed to the invited carries the same file.
    mail = OutboxMessage.objects.filter(to="member@alqa.test").latest("pk")
    cal, mailed_cancel = _event(base64.b64decode(mail.attachments[0]["content"]))
    assert cal["METHOD"] == "CANCEL" and str(mailed_cancel["UID"]) == uid
    assert "method=CANCEL" in mail.attachments[0]["content_type"]


def test_online_meeting_carries_its_conference_link_and_its_ground(body, chair, secretary):
    link = "https://meet.example.kz/alqa-2030"
    meeting = schedule(
        body,
        actor=secretary.user,
        presiding=chair,
        format="online",
        place="",
        conference_url=link,
        online_ground="quarantine",
        online_ground_note="Постановление санврача № 5",
    )
    _cal, event = _event(meeting_ics(meeting, language="en"))
    assert str(event["LOCATION"]) == link and str(event["URL"]) == link
    assert f"Conference link: {link}" in str(event["DESCRIPTION"])
    assert "Ground for meeting online (clause 3.3): Quarantine measures — Постановление санврача № 5" in str(
        event["DESCRIPTION"]
    )
    _cal, event = _event(meeting_ics(meeting, language="ru"))
    assert "Основание для онлайн-заседания (п. 3.3): Карантинные меры" in str(event["DESCRIPTION"])


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_a_stored_address_that_is_not_http_never_becomes_the_events_url(body, chair, secretary):
    from alqa.models import Meeting

    meeting = schedule(
        body,
        actor=secretary.user,
        presiding=chair,
        format="online",
        place="",
        conference_url="https://meet.example.kz/x",
        online_ground="urgent",
    )
    # as an address stored before links were checked would be
    Meeting.objects.filter(pk=meeting.pk).update(conference_url="javascript:alert(1)")
    meeting.refresh_from_db()
    _cal, event = _event(meeting_ics(meeting, language="en"))
    assert "URL" not in event and str(event["LOCATION"]) == "javascript:alert(1)"


def test_feed_holds_the_bodies_meetings_and_guest_invitations_only(
    body, other_body, admin_user, chair, secretary, member, outsider
):
    kept = schedule(body, actor=secretary.user, presiding=chair)
    dropped = schedule(body, actor=secretary.user, presiding=chair, starts_at=FUTURE + timedelta(days=30))
    cancel_meeting(dropped, actor=secretary.user, reason="Перенос")
    other_chair = make_member(other_body, admin_user, email="ochair@alqa.test", role=Role.CHAIR)
    elsewhere = schedule(other_body, actor=other_chair.user, presiding=other_chair)

    # A member of the body: both meetings of the body, the cancelled one marked; nothing else.
    cal = Calendar.from_ical(feed_ics(feed_meetings_for_user(member.user), language="ru", name="Alqa"))
    assert "METHOD" not in cal and str(cal["X-WR-CALNAME"]) == "Alqa"
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"{kept.uid}@alqa", f"{dropped.uid}@alqa"}
    assert events[f"{dropped.uid}@alqa"]["STATUS"] == "CANCELLED"
    assert events[f"{kept.uid}@alqa"]["STATUS"] == "CONFIRMED"

    # A guest of the other body: only the meeting they are invited to.
    guest = add_guest(body=other_body, actor=other_chair.user, full_name="Эксперт", email="guest@alqa.test")
    invite_guest(elsewhere, guest=guest, actor=other_chair.user)
    guest.refresh_from_db()
    uids = [
        str(e["UID"])
        for e in Calendar.from_ical(
            feed_ics(feed_meetings_for_user(guest.user), language="kk", name="x")
        ).walk("VEVENT")
    ]
    assert uids == [f"{elsewhere.uid}@alqa"]
    assert list(feed_meetings_for_user(outsider.user)) == [elsewhere]


def test_the_pages_download_is_published_the_mail_is_a_request(approved, client, member):
    """The file offered on the meeting's page is one to add (PUBLISH, nobody to answer); the
    invitation mailed to the same member stays a REQUEST with them as attendee; both are one event."""
    client.force_login(member.user)
    response = client.get(f"/meetings/{approved.pk}/meeting.ics", HTTP_ACCEPT_LANGUAGE="ru")
    assert response["Content-Type"].startswith("text/calendar; method=PUBLISH")
    published, event = _event(response.content)
    assert published["METHOD"] == "PUBLISH" and "ATTENDEE" not in event and "ORGANIZER" in event
    mail = OutboxMessage.objects.filter(to="member@alqa.test").latest("pk")
    requested, mailed = _event(base64.b64decode(mail.attachments[0]["content"]))
    assert requested["METHOD"] == "REQUEST" and str(mailed["ATTENDEE"]) == "mailto:member@alqa.test"
    assert str(event["UID"]) == str(mailed["UID"]) and event["SEQUENCE"] == mailed["SEQUENCE"]


def test_feed_titles_name_the_kind_of_meeting_and_the_body(body, chair, secretary, member, police_unit):
    schedule(body, actor=secretary.user, presiding=chair)
    schedule(
        body,
        actor=secretary.user,
        presiding=chair,
        kind="extraordinary",
        initiator_kind="police_unit_head",
        initiator_unit=police_unit,
        decided_by=chair,
        starts_at=FUTURE + timedelta(days=2),
    )
    titles = {
        language: sorted(
            str(e["SUMMARY"])
            for e in Calendar.from_ical(
                feed_ics(feed_meetings_for_user(member.user), language=language, name="Alqa")
            ).walk("VEVENT")
        )
        for language in ("ru", "kk")
    }
    assert titles["ru"] == ["Внеочередное заседание · Группа Алматы", "Очередное заседание · Группа Алматы"]
    assert titles["kk"] == ["Кезектен тыс отырыс · Алматы тобы", "Кезекті отырыс · Алматы тобы"]
