"""The cadence of regular meetings (clause 3.3: at least once every two months). Pure."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

WARNING_DAYS = 14


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
class Cadence:
    last: date | None
    next_due: date | None
    warn_from: date | None
    warning: bool
    overdue: bool
    breaches: tuple[Breach, ...]


def cadence(*, held: list[date], interval_months: int, today: date) -> Cadence:
    """Given the dates of meetings held (not cancelled), the date by which the next must be held,
    whether to warn (from 14 days before), and every past interval that was exceeded."""
    dates = sorted(set(held))
    breaches: list[Breach] = []
    for previous, following in zip(dates, dates[1:], strict=False):
        due = add_months(previous, interval_months)
        if following > due:
            breaches.append(Breach(previous, due, following))
    past = [d for d in dates if d <= today]
    if not past:
        return Cadence(None, None, None, False, False, tuple(breaches))
    last = past[-1]
    next_due = add_months(last, interval_months)
    scheduled_in_time = any(today < d <= next_due for d in dates)
    overdue = today > next_due
    if overdue:
        breaches.append(Breach(last, next_due, None))
    warn_from = next_due - timedelta(days=WARNING_DAYS)
    warning = today >= warn_from and not scheduled_in_time
    return Cadence(last, next_due, warn_from, warning, overdue, tuple(breaches))
