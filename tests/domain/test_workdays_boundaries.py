"""Working days at their edges: the first and the last year the calendar knows, the largest count
allowed, the first and last day of a year, and the language of a day's name.

Found missing by mutation testing (docs/quality.md)."""

from datetime import date, timedelta

import pytest

from alqa.domain import workdays
from alqa.domain.workdays import (
    DAY_OFF,
    FIRST_YEAR,
    HOLIDAY_ADDED,
    LAST_YEAR,
    MAX_DAYS,
    WORKING_DAY,
    CalendarRangeError,
    DayCountError,
    DayException,
    DayName,
    add_calendar_days,
    add_working_days,
    calendar_with,
    count_working_days,
    days_off,
    library_year,
    working_weekends,
)

PLAIN = calendar_with()
NAME = DayName(ru="Тестовый день", kk="Сынақ күні", en="Test day")


def test_the_calendar_knows_kazakhstan_from_1991_to_2100():
    assert (FIRST_YEAR, LAST_YEAR) == (1991, 2100)


def test_the_first_day_of_the_first_year_is_known_and_the_day_before_is_refused():
    assert PLAIN.off_reason(date(FIRST_YEAR, 1, 1)).en == "New Year's Day"
    result = add_working_days(PLAIN, start=date(FIRST_YEAR, 1, 1), days=1)
    assert result.due == date(FIRST_YEAR, 1, 3)
    assert [s.day for s in result.skipped] == [date(FIRST_YEAR, 1, 2)]
    with pytest.raises(CalendarRangeError) as refused:
        PLAIN.is_working(date(FIRST_YEAR - 1, 12, 31))
    assert refused.value.day == date(FIRST_YEAR - 1, 12, 31)
    with pytest.raises(CalendarRangeError):
        add_working_days(PLAIN, start=date(FIRST_YEAR - 1, 12, 31), days=1)


def test_the_last_day_of_the_last_year_is_counted_and_a_count_beyond_it_is_refused():
    assert PLAIN.is_working(date(LAST_YEAR, 12, 31))  # a Friday
    assert add_working_days(PLAIN, start=date(LAST_YEAR, 12, 30), days=1).due == date(LAST_YEAR, 12, 31)
    with pytest.raises(CalendarRangeError) as refused:
        add_working_days(PLAIN, start=date(LAST_YEAR, 12, 31), days=1)
    assert refused.value.day == date(LAST_YEAR + 1, 1, 1)
    with pytest.raises(CalendarRangeError) as refused:
        add_working_days(PLAIN, start=date(LAST_YEAR, 12, 29), days=3)
    assert refused.value.day == date(LAST_YEAR + 1, 1, 1)
    with pytest.raises(CalendarRangeError) as refused:
        PLAIN.off_reason(date(LAST_YEAR + 1, 1, 1))
    assert refused.value.day == date(LAST_YEAR + 1, 1, 1)


def test_a_count_does_not_leave_the_known_years_even_through_an_exception_beyond_them():
    # (administrators cannot enter such a date; the count holds its limit by itself all the same)
    beyond = calendar_with([DayException(date(LAST_YEAR + 1, 1, 1), WORKING_DAY, NAME)])
    with pytest.raises(CalendarRangeError) as refused:
        add_working_days(beyond, start=date(LAST_YEAR, 12, 31), days=1)
    assert refused.value.day == date(LAST_YEAR + 1, 1, 1)


def test_the_largest_count_allowed_is_counted_and_one_more_is_refused():
    result = add_working_days(PLAIN, start=date(2000, 1, 1), days=MAX_DAYS)
    assert result.due == date(2003, 12, 12)
    assert count_working_days(PLAIN, start=date(2000, 1, 1), end=result.due) == MAX_DAYS == 1000
    with pytest.raises(DayCountError) as refused:
        add_working_days(PLAIN, start=date(2000, 1, 1), days=MAX_DAYS + 1)
    assert (refused.value.days, refused.value.limit) == (MAX_DAYS + 1, MAX_DAYS)
    assert add_working_days(PLAIN, start=date(2026, 1, 9), days=1).due == date(2026, 1, 12)  # Fri → Mon


def test_calendar_days_from_one_to_twice_the_working_limit():
    start = date(2026, 1, 9)
    assert add_calendar_days(start=start, days=1) == date(2026, 1, 10)
    assert add_calendar_days(start=start, days=2 * MAX_DAYS) == start + timedelta(days=2000)
    for days in (0, 2 * MAX_DAYS + 1):
        with pytest.raises(DayCountError) as refused:
            add_calendar_days(start=start, days=days)
        assert (refused.value.days, refused.value.limit) == (days, 2000)
    with pytest.raises(CalendarRangeError) as refused:
        add_calendar_days(start=date.max - timedelta(days=5), days=10)
    assert refused.value.day == date.max


def test_working_days_are_counted_up_to_and_including_the_end():
    assert count_working_days(PLAIN, start=date(2026, 1, 8), end=date(2026, 1, 9)) == 1
    assert count_working_days(PLAIN, start=date(2026, 1, 9), end=date(2026, 1, 12)) == 1  # over a weekend
    assert count_working_days(PLAIN, start=date(2026, 1, 9), end=date(2026, 1, 13)) == 2


def test_days_off_and_working_weekends_run_from_1_january_to_31_december():
    changed = calendar_with(
        [
            DayException(date(2028, 1, 1), WORKING_DAY, NAME),  # New Year's Day on a Saturday, made working
            DayException(date(2028, 12, 31), WORKING_DAY, NAME),  # a Sunday made working
            DayException(date(2027, 12, 31), DAY_OFF, NAME),  # a Friday made off
            DayException(date(2028, 1, 3), HOLIDAY_ADDED, NAME),  # already off in the library: the name wins
        ]
    )
    assert [(s.day, s.reason) for s in working_weekends(changed, year=2028)] == [
        (date(2028, 1, 1), NAME),
        (date(2028, 12, 31), NAME),
    ]
    assert [(s.day, s.reason) for s in days_off(changed, year=2027)][-1] == (date(2027, 12, 31), NAME)
    listed = [(s.day, s.reason.en) for s in days_off(changed, year=2028)]
    assert listed[:2] == [(date(2028, 1, 2), "New Year's Day"), (date(2028, 1, 3), "Test day")]


def test_a_weekday_made_working_is_an_ordinary_working_day():
    changed = calendar_with([DayException(date(2026, 1, 7), WORKING_DAY, NAME)])  # Christmas, a Wednesday
    assert changed.is_working(date(2026, 1, 7)) and changed.off_reason(date(2026, 1, 7)) is None
    assert date(2026, 1, 7) not in [s.day for s in working_weekends(changed, year=2026)]
    assert date(2026, 1, 7) not in [s.day for s in days_off(changed, year=2026)]


def test_a_holiday_added_on_a_sunday_is_listed_under_its_own_name():
    changed = calendar_with([DayException(date(2026, 6, 14), HOLIDAY_ADDED, NAME)])
    assert changed.off_reason(date(2026, 6, 14)) == NAME
    assert (date(2026, 6, 14), NAME) in [(s.day, s.reason) for s in days_off(changed, year=2026)]


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("kk", "Сынақ күні"),
        ("kk-KZ", "Сынақ күні"),
        ("EN-us", "Test day"),
        ("en", "Test day"),
        ("ru", "Тестовый день"),
        ("de", "Тестовый день"),  # a language we do not speak: Russian
        (None, "Тестовый день"),
        ("", "Тестовый день"),
    ],
)
def test_a_name_in_the_readers_language(language, name):
    assert NAME.get(language) == name


def test_a_name_without_its_kazakh_is_shown_in_russian():
    assert DayName(ru="Выходной", kk="", en="Day off").get("kk") == "Выходной"


@pytest.fixture
def library_read_afresh():
    library_year.cache_clear()
    yield
    library_year.cache_clear()


def test_an_announced_kurban_ait_drops_the_estimate_only_where_the_library_has_that_date(
    monkeypatch, library_read_afresh
):
    # The library estimates 16 May 2027. Announced as the 17th, the 16th stays an estimate ...
    monkeypatch.setattr(workdays, "_CONFIRMED_KURBAN_AIT", {2027: date(2027, 5, 17)})
    assert PLAIN.off_reason(date(2027, 5, 16)).ru == "Курбан айт (ориентировочная дата)"
    assert PLAIN.is_working(date(2027, 5, 17))
    # ... announced as the 16th, it is no longer one.
    monkeypatch.setattr(workdays, "_CONFIRMED_KURBAN_AIT", {2027: date(2027, 5, 16)})
    library_year.cache_clear()
    assert PLAIN.off_reason(date(2027, 5, 16)).ru == "Курбан айт"
