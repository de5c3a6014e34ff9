"""Clause 3.3, the cadence of regular meetings, at its edges: the due date itself, the first day of
the 14-day warning, a body that never met, and months that cross the end of a year.

Found missing by mutation testing (docs/quality.md)."""

from datetime import date

import pytest

from alqa.domain.cadence import WARNING_DAYS, Breach, Cadence, add_months, cadence


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2025-10-31", 2, "2025-12-31"),  # the last month of the same year
        ("2025-11-15", 2, "2026-01-15"),  # November: into the next year
        ("2025-11-30", 2, "2026-01-30"),
        ("2025-12-31", 2, "2026-02-28"),  # the shorter month's last day
        ("2027-12-31", 2, "2028-02-29"),  # ... in a leap year
        ("2026-03-31", 1, "2026-04-30"),
        ("2026-01-15", 1, "2026-02-15"),
        ("2025-12-15", 12, "2026-12-15"),  # the longest interval a policy allows
        ("2026-01-31", 12, "2027-01-31"),
        ("2025-02-28", 12, "2026-02-28"),
    ],
)
def test_months_are_added_to_the_calendar(day, months, expected):
    assert add_months(date.fromisoformat(day), months) == date.fromisoformat(expected)


def test_a_body_that_never_met_has_no_due_date_and_no_warning():
    assert cadence(held=[], interval_months=2, today=date(2026, 7, 20)) == Cadence(
        None, None, None, False, False, ()
    )


def test_meetings_only_in_the_future_start_no_count_yet():
    c = cadence(held=[date(2026, 8, 1), date(2026, 12, 1)], interval_months=2, today=date(2026, 7, 20))
    assert (c.last, c.next_due, c.warning, c.overdue) == (None, None, False, False)
    # the planned gap is already too long: shown, though the first meeting is still to come
    assert c.breaches == (Breach(date(2026, 8, 1), date(2026, 10, 1), date(2026, 12, 1)),)


def test_a_meeting_held_today_is_the_last_one():
    c = cadence(held=[date(2026, 5, 25), date(2026, 7, 20)], interval_months=2, today=date(2026, 7, 20))
    assert (c.last, c.next_due) == (date(2026, 7, 20), date(2026, 9, 20))
    assert not c.warning and not c.overdue and c.breaches == ()


def test_a_meeting_held_on_the_due_date_is_in_time():
    c = cadence(held=[date(2026, 1, 15), date(2026, 3, 15)], interval_months=2, today=date(2026, 3, 20))
    assert c.breaches == () and c.last == date(2026, 3, 15)
    late = cadence(held=[date(2026, 1, 15), date(2026, 3, 16)], interval_months=2, today=date(2026, 3, 20))
    assert late.breaches == (Breach(date(2026, 1, 15), date(2026, 3, 15), date(2026, 3, 16)),)


def test_the_due_date_itself_is_not_overdue_and_the_day_after_is():
    held = [date(2026, 6, 1)]
    on_due = cadence(held=held, interval_months=2, today=date(2026, 8, 1))
    assert on_due.next_due == date(2026, 8, 1)
    assert on_due.warning and not on_due.overdue and on_due.breaches == ()
    after = cadence(held=held, interval_months=2, today=date(2026, 8, 2))
    assert after.warning and after.overdue
    assert after.breaches == (Breach(date(2026, 6, 1), date(2026, 8, 1), None),)


def test_the_warning_starts_14_days_before_the_due_date():
    held = [date(2026, 6, 1)]
    assert WARNING_DAYS == 14
    first = cadence(held=held, interval_months=2, today=date(2026, 7, 18))
    assert first.warn_from == date(2026, 7, 18) and first.warning
    before = cadence(held=held, interval_months=2, today=date(2026, 7, 17))
    assert before.warn_from == date(2026, 7, 18) and not before.warning


def test_a_meeting_scheduled_for_the_due_date_silences_the_warning_and_one_after_it_does_not():
    held = [date(2026, 6, 1)]
    today = date(2026, 7, 25)
    assert not cadence(held=held + [date(2026, 8, 1)], interval_months=2, today=today).warning
    assert cadence(held=held + [date(2026, 8, 2)], interval_months=2, today=today).warning
    # a meeting scheduled too late does not stop the count from going overdue either
    late = cadence(held=held + [date(2026, 8, 10)], interval_months=2, today=date(2026, 8, 5))
    assert late.overdue and late.warning and late.last == date(2026, 6, 1)


def test_the_warning_holds_until_a_meeting_is_held_not_merely_until_the_due_date():
    c = cadence(held=[date(2026, 1, 10)], interval_months=1, today=date(2026, 4, 1))
    assert (c.next_due, c.warn_from) == (date(2026, 2, 10), date(2026, 1, 27))
    assert c.warning and c.overdue


def test_repeated_and_unordered_dates_count_once_in_order():
    held = [date(2026, 5, 1), date(2026, 1, 10), date(2026, 5, 1), date(2026, 2, 1), date(2026, 1, 10)]
    c = cadence(held=held, interval_months=2, today=date(2026, 5, 10))
    assert c.last == date(2026, 5, 1)
    assert c.breaches == (Breach(date(2026, 2, 1), date(2026, 4, 1), date(2026, 5, 1)),)


def test_every_exceeded_interval_is_listed_in_order_with_the_current_one_last():
    held = [date(2025, 1, 10), date(2025, 4, 1), date(2025, 5, 1), date(2025, 9, 1)]
    c = cadence(held=held, interval_months=2, today=date(2026, 1, 5))
    assert c.breaches == (
        Breach(date(2025, 1, 10), date(2025, 3, 10), date(2025, 4, 1)),
        Breach(date(2025, 5, 1), date(2025, 7, 1), date(2025, 9, 1)),
        Breach(date(2025, 9, 1), date(2025, 11, 1), None),
    )
