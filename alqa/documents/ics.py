"""iCalendar invitations, updates, cancellations and per-user feeds (RFC 5545)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alqa.enums import MeetingFormat, MeetingStatus
from alqa.models import Meeting


def _event(meeting: Meeting, *, attendee: str | None, cancelled: bool):
    from icalendar import Event, vCalAddress, vText

    event = Event()
    event.add("uid", f"{meeting.uid}@alqa")
    event.add("sequence", meeting.ical_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + timedelta(minutes=meeting.duration_minutes))
    event.add("summary", _("Meeting of %(body)s") % {"body": meeting.body.name})
    if meeting.format == MeetingFormat.ONLINE:
        event.add("location", meeting.conference_url)
        event.add("url", meeting.conference_url)
    else:
        event.add("location", meeting.place)
    lines = [meeting.get_kind_display() + ", " + meeting.get_format_display()]
    if meeting.format == MeetingFormat.ONLINE:
        lines.append(_("Conference link: %(url)s") % {"url": meeting.conference_url})
    for item in meeting.items.all():
        lines.append(f"{item.order}. {item.title}")
    lines.append(f"{settings.SITE_URL}/meetings/{meeting.pk}/")
    event.add("description", "\n".join(lines))
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organizer.params["cn"] = vText(meeting.body.name)
    event.add("organizer", organizer)
    if attendee:
        address = vCalAddress(f"mailto:{attendee}")
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def meeting_ics(meeting: Meeting, *, attendee: str | None = None, language: str = "ru") -> bytes:
    """One meeting: METHOD:REQUEST for an invitation or update, METHOD:CANCEL once cancelled.
    The SEQUENCE grows with every change, so calendars apply updates."""
    from icalendar import Calendar

    cancelled = meeting.status == MeetingStatus.CANCELLED
    with translation.override(language):
        cal = Calendar()
        cal.add("prodid", "-//Alqa//Monitoring group meetings//RU")
        cal.add("version", "2.0")
        cal.add("method", "CANCEL" if cancelled else "REQUEST")
        cal.add_component(_event(meeting, attendee=attendee, cancelled=cancelled))
        return cal.to_ical()


def feed_ics(meetings: Iterable[Meeting], *, language: str, name: str) -> bytes:
    """A subscription feed (no METHOD): every meeting of the user, cancelled ones marked so."""
    from icalendar import Calendar

    with translation.override(language):
        cal = Calendar()
        cal.add("prodid", "-//Alqa//Monitoring group meetings//RU")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", name)
        for meeting in meetings:
            cal.add_component(_event(meeting, attendee=None, cancelled=meeting.status == MeetingStatus.CANCELLED))
        return cal.to_ical()
