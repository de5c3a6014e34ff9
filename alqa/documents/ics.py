"""iCalendar invitations, updates, cancellations and per-user feeds (RFC 5545, RFC 5546).

Times are written in UTC (`DTSTART:20260310T050000Z`): the instant is exact whatever the calendar
application's own time-zone data says — Kazakhstan moved to UTC+5 on 1 March 2024, and a client
with older data would misplace a meeting written as «10:00 Asia/Almaty» by an hour. Calendars
show the time in the reader's zone; the description also gives it in Almaty time.

One meeting keeps one UID for its whole life; its SEQUENCE grows with every change sent to the
invited (`alqa.domain.meetings`), so calendars replace the earlier version instead of adding one.

This module only writes documents: whose feed an address opens and which meetings it holds are
decided in alqa/permissions.py (calendar_feed_user, feed_meetings_for_user), and a new address is
given by alqa.domain.users.reset_calendar_token.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alqa.enums import MeetingFormat, MeetingKind, MeetingStatus
from alqa.models import Meeting

ALMATY = ZoneInfo("Asia/Almaty")
PRODID = "-//Alqa//Monitoring group meetings//RU"


def _organizer_address() -> str:
    return settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">").strip()


def _meeting_kind(meeting: Meeting) -> str:
    """The meeting named with its kind, as the title of the event: «Очередное заседание»."""
    if meeting.kind == MeetingKind.EXTRAORDINARY:
        return _("Extraordinary meeting")
    return _("Regular meeting")


def _event(meeting: Meeting, *, attendee: str | None, cancelled: bool):
    from icalendar import Event, vCalAddress, vText

    starts = meeting.starts_at.astimezone(UTC)
    local = timezone.localtime(meeting.starts_at, ALMATY)
    event = Event()
    event.add("uid", f"{meeting.uid}@alqa")
    event.add("sequence", meeting.ical_sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("created", meeting.created_at.astimezone(UTC))
    event.add("dtstart", starts)
    event.add("dtend", starts + timedelta(minutes=meeting.duration_minutes))
    summary = _("%(meeting)s · %(body)s") % {"meeting": _meeting_kind(meeting), "body": meeting.body.name}
    event.add("summary", _("Cancelled: %(summary)s") % {"summary": summary} if cancelled else summary)
    if meeting.format == MeetingFormat.ONLINE:
        event.add("location", meeting.conference_url)
        if meeting.conference_link:  # never a javascript: or data: address as the event's URL
            event.add("url", meeting.conference_link)
    else:
        event.add("location", meeting.place)
    lines = [meeting.get_kind_display() + ", " + meeting.get_format_display()]
    lines.append(
        _("%(day)s at %(time)s, Almaty time")
        % {"day": local.strftime("%d.%m.%Y"), "time": local.strftime("%H:%M")}
    )
    if meeting.format == MeetingFormat.ONLINE:
        if meeting.online_ground:
            ground = _("Ground for meeting online (clause 3.3): %(ground)s") % {
                "ground": meeting.get_online_ground_display()
            }
            lines.append(f"{ground} — {meeting.online_ground_note}" if meeting.online_ground_note else ground)
        lines.append(_("Conference link: %(url)s") % {"url": meeting.conference_url})
    for item in meeting.items.all():
        lines.append(f"{item.order}. {item.title}")
    lines.append(f"{settings.SITE_URL}/meetings/{meeting.pk}/")
    event.add("description", "\n".join(lines))
    organizer = vCalAddress(f"mailto:{_organizer_address()}")
    organizer.params["cn"] = vText(meeting.body.name)
    event.add("organizer", organizer)
    if attendee:
        address = vCalAddress(f"mailto:{attendee}")
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _calendar(**properties):
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    for name, value in properties.items():
        cal.add(name.replace("_", "-"), value)
    return cal


def meeting_ics(meeting: Meeting, *, attendee: str | None = None, language: str = "ru") -> bytes:
    """One meeting as mailed to the invited `attendee`: METHOD:REQUEST for an invitation or
    update, METHOD:CANCEL once cancelled. The SEQUENCE grows with every change, so calendars
    apply updates."""
    cancelled = meeting.status == MeetingStatus.CANCELLED
    with translation.override(language):
        cal = _calendar(method="CANCEL" if cancelled else "REQUEST")
        cal.add_component(_event(meeting, attendee=attendee, cancelled=cancelled))
        return cal.to_ical()


def meeting_file_ics(meeting: Meeting, *, language: str = "ru") -> bytes:
    """One meeting as a file to add to a calendar (the page's download): METHOD:PUBLISH, without
    attendees — nothing to answer, since the organiser is a no-reply address; the replies are
    given on the page. The same UID and SEQUENCE as the mailed invitations, so a calendar that
    holds both keeps one event; a cancelled meeting is published with STATUS:CANCELLED."""
    cancelled = meeting.status == MeetingStatus.CANCELLED
    with translation.override(language):
        cal = _calendar(method="PUBLISH")
        cal.add_component(_event(meeting, attendee=None, cancelled=cancelled))
        return cal.to_ical()


def feed_ics(meetings: Iterable[Meeting], *, language: str, name: str) -> bytes:
    """A subscription feed (no METHOD): every meeting of the user, cancelled ones marked so."""
    with translation.override(language):
        cal = _calendar(x_wr_calname=name, x_wr_timezone="Asia/Almaty")
        cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
        for meeting in meetings:
            cal.add_component(
                _event(meeting, attendee=None, cancelled=meeting.status == MeetingStatus.CANCELLED)
            )
        return cal.to_ical()
