"""Builders shared by the test files: times in Almaty and meetings scheduled through the domain.

Each builds its data through a domain function, so a test body that calls one writes nothing
unaudited (tests/audit_guard.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from alqa.domain.meetings import schedule_meeting
from alqa.models import Meeting

ALMATY = ZoneInfo("Asia/Almaty")
PLACE = "ДП г. Алматы, зал 3"


def local(days: int, hour: int = 10, minute: int = 0) -> datetime:
    """`hour`:`minute` in Almaty, `days` from today."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ALMATY)


def schedule(body, *, actor, presiding, starts_at: datetime, **extra) -> Meeting:
    """A regular in-person meeting at PLACE, scheduled by `actor` (schedule_meeting): `extra`
    overrides any field, and passes `retrospective`, `now` …"""
    fields = {"kind": "regular", "format": "in_person", "place": PLACE, "presiding": presiding} | extra
    return schedule_meeting(body=body, actor=actor, starts_at=starts_at, **fields)


def meeting_in(body, secretary, chair, days: int = 10, **extra) -> Meeting:
    """A meeting at 10:00 in Almaty `days` from today, scheduled by the secretary with the chair
    presiding; entered after the fact (retrospective) when it is in the past."""
    fields = {"presiding": chair, "starts_at": local(days), "retrospective": days < 0} | extra
    return schedule(body, actor=secretary.user, **fields)
