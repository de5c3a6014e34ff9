"""The cadence of meetings (clause 3.3: at least once every two months). Pure.

A meeting counts as held only when it took place with a quorum (clause 3.4): one without a
quorum, or one whose attendance was never recorded, is listed as not held and leaves the
interval open.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

WARNING_DAYS = 14
# Why a meeting that took place does not count as held.
NO_QUORUM = "no_quorum"
NO_ATTENDANCE = "no_attendance"


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the last day of the month when that month is shorter."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Breach:
    previous: date
    due: date
    held: date | None  # None: still not held


@dataclass(frozen=True)
class NotHeld:
    """A meeting that took place (not cancelled, its time passed) but does not count as held."""

    day: date
    meeting_id: int
    reason: str  # NO_QUORUM or NO_ATTENDANCE

    @property
    def no_quorum(self) -> bool:
        return self.reason == NO_QUORUM


@dataclass(frozen=True)
class Cadence:
    last: date | None
    next_due: date | None
    warn_from: date | None
    warning: bool
    overdue: bool
    breaches: tuple[Breach, ...]
    not_held: tuple[NotHeld, ...] = ()


def cadence(
    *,
    held: list[date],
    interval_months: int,
    today: date,
    scheduled: Iterable[date] = (),
    not_held: Iterable[NotHeld] = (),
) -> Cadence:
    """Given the dates of meetings held (with a quorum) and of those still to come (`scheduled`),
    the date by which the next must be held, whether to warn (from 14 days before), and every
    past interval that was exceeded. A date in `held` after today counts as scheduled; a meeting
    in `scheduled` on `today` itself (later in the day) keeps the interval in time."""
    dates = sorted(set(held))
    breaches: list[Breach] = []
    for previous, following in zip(dates, dates[1:], strict=False):
        due = add_months(previous, interval_months)
        if following > due:
            breaches.append(Breach(previous, due, following))
    not_held = tuple(sorted(not_held, key=lambda n: (n.day, n.meeting_id)))
    past = [d for d in dates if d <= today]
    if not past:
        return Cadence(None, None, None, False, False, tuple(breaches), not_held)
    last = past[-1]
    next_due = add_months(last, interval_months)
    upcoming = [d for d in dates if d > today] + [d for d in scheduled if d >= today]
    scheduled_in_time = any(d <= next_due for d in upcoming)
    overdue = today > next_due
    if overdue:
        breaches.append(Breach(last, next_due, None))
    warn_from = next_due - timedelta(days=WARNING_DAYS)
    warning = today >= warn_from and not scheduled_in_time
    return Cadence(last, next_due, warn_from, warning, overdue, tuple(breaches), not_held)
