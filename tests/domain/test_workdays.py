"""Working days of Kazakhstan, checked against the official production calendars for 2025 and 2026
(egov.kz; Government resolution on the transfer of days off in 2025; the 2026 abolition of
30 August as Constitution Day after the referendum of 15 March 2026)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from alqa.domain.workdays import (
    DAY_OFF,
    HOLIDAY_ADDED,
    HOLIDAY_REMOVED,
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
    working_weekends,
)
from alqa.domain.workdays_calendar import add_calendar_exception, load_calendar, remove_calendar_exception
from alqa.models import AuditEvent, CalendarException

PLAIN = calendar_with()
NAME = DayName(ru="Тестовый день", kk="Сынақ күні", en="Test day")


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- The official calendars, written out by hand -------------------------------------------------
# Every day off that is not an ordinary Saturday or Sunday: holidays (also those falling on a
# weekend), holidays moved to Monday, and Government transfers.
OFFICIAL_DAYS_OFF = {
    2025: {
        "2025-01-01": "Новый год",
        "2025-01-02": "Новый год",
        "2025-01-03": "Выходной день (перенесён с 05.01.2025)",  # Friday, from Sunday 5 January
        "2025-01-07": "Православное Рождество",
        "2025-03-08": "Международный женский день",  # Saturday ...
        "2025-03-10": "Международный женский день (перенесённый выходной)",  # ... moved to Monday
        "2025-03-21": "Наурыз мейрамы",
        "2025-03-22": "Наурыз мейрамы",
        "2025-03-23": "Наурыз мейрамы",
        "2025-03-24": "Наурыз мейрамы (перенесённый выходной)",
        "2025-03-25": "Наурыз мейрамы (перенесённый выходной)",
        "2025-05-01": "Праздник единства народа Казахстана",
        "2025-05-07": "День защитника Отечества",
        "2025-05-09": "День Победы",
        "2025-06-06": "Курбан айт",
        "2025-07-06": "День Столицы",  # Sunday ...
        "2025-07-07": "День Столицы (перенесённый выходной)",  # ... moved to Monday
        "2025-08-30": "День Конституции Республики Казахстан",  # Saturday ...
        "2025-09-01": "День Конституции Республики Казахстан (перенесённый выходной)",  # ... Monday
        "2025-10-25": "День Республики",  # Saturday ...
        "2025-10-27": "День Республики (перенесённый выходной)",  # ... Monday
        "2025-12-16": "День Независимости",
    },
    2026: {
        "2026-01-01": "Новый год",
        "2026-01-02": "Новый год",
        "2026-01-07": "Православное Рождество",
        "2026-03-08": "Международный женский день",  # Sunday ...
        "2026-03-09": "Международный женский день (перенесённый выходной)",  # ... moved to Monday
        "2026-03-21": "Наурыз мейрамы",
        "2026-03-22": "Наурыз мейрамы",
        "2026-03-23": "Наурыз мейрамы",
        "2026-03-24": "Наурыз мейрамы (перенесённый выходной)",
        "2026-03-25": "Наурыз мейрамы (перенесённый выходной)",
        "2026-05-01": "Праздник единства народа Казахстана",
        "2026-05-07": "День защитника Отечества",
        "2026-05-09": "День Победы",  # Saturday ...
        "2026-05-11": "День Победы (перенесённый выходной)",  # ... moved to Monday
        "2026-05-27": "Курбан айт",
        "2026-07-06": "День Столицы",
        # 30 August 2026 is no longer Constitution Day: nothing on the 30th, nor on Monday the 31st.
        "2026-10-25": "День Республики",  # Sunday ...
        "2026-10-26": "День Республики (перенесённый выходной)",  # ... moved to Monday
        "2026-12-16": "День Независимости",
    },
}

# Working days per month = weekdays of the month − weekday days off above + weekend days made working.
# 2025: January 23 − 4 (1, 2, 3, 7) + 1 (Sunday 5 January); March 21 − 4 (10, 21, 24, 25);
# May 22 − 3 (1, 7, 9); June 21 − 1; July 23 − 1; September 22 − 1; October 23 − 1; December 23 − 1.
WORKING_DAYS_PER_MONTH = {
    2025: [20, 20, 17, 22, 19, 20, 22, 21, 21, 22, 20, 22],
    # 2026: January 22 − 3 (1, 2, 7); March 22 − 4 (9, 23, 24, 25); May 21 − 4 (1, 7, 11, 27);
    # July 23 − 1; August 21 − 0 (31 August works); October 22 − 1; December 23 − 1.
    2026: [19, 20, 18, 22, 17, 22, 22, 21, 22, 21, 21, 22],
}
WORKING_DAYS_PER_QUARTER = {2025: [57, 61, 64, 64], 2026: [57, 61, 65, 64]}
WORKING_DAYS_PER_YEAR = {2025: 246, 2026: 247}


@pytest.mark.parametrize("year", [2025, 2026])
def test_days_off_are_those_of_the_official_calendar(year):
    listed = {s.day.isoformat(): s.reason.ru for s in days_off(PLAIN, year=year)}
    assert listed == OFFICIAL_DAYS_OFF[year]


def test_5_january_2025_is_a_working_sunday_and_2026_has_none():
    assert PLAIN.is_working(d("2025-01-05"))
    assert [(s.day, s.reason.ru) for s in working_weekends(PLAIN, year=2025)] == [
        (d("2025-01-05"), "Рабочий день (выходной перенесён на 03.01.2025)")
    ]
    assert working_weekends(PLAIN, year=2026) == []


@pytest.mark.parametrize("year", [2025, 2026])
def test_working_days_per_month_quarter_and_year(year):
    def working_in(first: date, last: date) -> int:
        return count_working_days(PLAIN, start=first - timedelta(days=1), end=last)

    months = [
        working_in(
            date(year, m, 1), (date(year, m + 1, 1) if m < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
        )
        for m in range(1, 13)
    ]
    assert months == WORKING_DAYS_PER_MONTH[year]
    quarters = [
        working_in(date(year, 3 * q - 2, 1), date(year, 3 * q, 30 if q in (2, 3) else 31))
        for q in range(1, 5)
    ]
    assert quarters == WORKING_DAYS_PER_QUARTER[year]
    assert sum(WORKING_DAYS_PER_MONTH[year]) == WORKING_DAYS_PER_YEAR[year]
    assert working_in(date(year, 1, 1), date(year, 12, 31)) == WORKING_DAYS_PER_YEAR[year]


def test_30_august_is_no_longer_a_holiday_from_2026_and_constitution_day_is_15_march_from_2027():
    assert PLAIN.off_reason(d("2026-08-30")).ru == "Воскресенье"  # an ordinary Sunday
    assert PLAIN.is_working(d("2026-08-31"))
    assert PLAIN.is_working(d("2027-08-30"))  # a Monday
    assert PLAIN.off_reason(d("2027-03-15")).ru == "День Конституции Республики Казахстан"
    # The referendum year itself has no 15 March holiday: an ordinary Sunday, an ordinary Monday after it.
    assert PLAIN.off_reason(d("2026-03-15")).ru == "Воскресенье"
    assert PLAIN.is_working(d("2026-03-16"))


def test_7_january_and_kurban_ait_on_a_weekend_do_not_move():
    assert PLAIN.off_reason(d("2024-01-07")).ru == "Православное Рождество"  # a Sunday
    assert PLAIN.is_working(d("2024-01-08"))
    assert PLAIN.off_reason(d("2024-06-16")).ru == "Курбан айт"  # a Sunday
    assert PLAIN.is_working(d("2024-06-17"))


def test_holiday_names_in_russian_kazakh_and_english():
    women = PLAIN.off_reason(d("2025-03-10"))
    assert women.get("ru") == "Международный женский день (перенесённый выходной)"
    assert women.get("kk") == "Халықаралық әйелдер күні (қайта белгіленген демалыс)"
    assert women.get("en") == "International Women's Day (observed)"
    transfer = PLAIN.off_reason(d("2025-01-03"))
    assert transfer.get("kk") == "Демалыс күні (05.01.2025 бастап ауыстырылды)"
    assert transfer.get("en") == "Day off (moved from 05.01.2025)"
    assert PLAIN.off_reason(d("2026-05-27")).get("kk") == "Құрбан айт"  # announced, not estimated
    assert PLAIN.off_reason(d("2027-05-16")).get("ru") == "Курбан айт (ориентировочная дата)"
    assert PLAIN.off_reason(d("2026-01-03")).get("kk") == "Сенбі"


# --- Counting ------------------------------------------------------------------------------------


def test_counting_over_the_2025_new_year_with_its_working_sunday():
    result = add_working_days(PLAIN, start=d("2024-12-30"), days=5)
    # 31 Dec (1); 1–4 Jan off; Sunday 5 Jan works (2); 6 Jan (3); 7 Jan off; 8 Jan (4); 9 Jan (5).
    assert result.due == d("2025-01-09")
    assert [s.day.isoformat() for s in result.skipped] == [
        "2025-01-01",
        "2025-01-02",
        "2025-01-03",
        "2025-01-04",
        "2025-01-07",
    ]
    assert result.skipped[2].reason.ru == "Выходной день (перенесён с 05.01.2025)"
    assert result.skipped[3].reason.ru == "Суббота"


def test_an_event_on_a_day_off_starts_the_count_on_the_next_working_day():
    # Saturday 8 March 2025 (a holiday); Sunday; Monday 10 March (the holiday moved); Tuesday is day 1.
    assert add_working_days(PLAIN, start=d("2025-03-08"), days=1).due == d("2025-03-11")
    assert add_working_days(PLAIN, start=d("2025-03-08"), days=2).due == d("2025-03-12")


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        ("2026-03-20", 1, "2026-03-26"),  # Nauryz 2026: 21–25 March passed over
        ("2026-08-28", 1, "2026-08-31"),  # 31 August 2026 is a working Monday
        ("2025-08-29", 1, "2025-09-02"),  # but in 2025 the holiday moved to Monday 1 September
        ("2024-01-05", 1, "2024-01-08"),  # 7 January 2024 on a Sunday does not move
        ("2026-05-08", 2, "2026-05-13"),  # Victory Day 2026 on Saturday moved to Monday 11 May
        ("2026-05-26", 1, "2026-05-28"),  # Kurban Ait 27 May 2026
        ("2025-12-12", 5, "2025-12-22"),  # Independence Day 16 December 2025
    ],
)
def test_deadlines_across_holidays(start, days, due):
    assert add_working_days(PLAIN, start=d(start), days=days).due == d(due)


def test_calendar_days_ignore_holidays():
    assert add_calendar_days(start=d("2025-12-30"), days=10) == d("2026-01-09")
    with pytest.raises(DayCountError):
        add_calendar_days(start=d("2025-12-30"), days=0)


@pytest.mark.parametrize("days", [0, -1, MAX_DAYS + 1, 100000])
def test_a_day_count_out_of_bounds_is_refused(days):
    with pytest.raises(DayCountError):
        add_working_days(PLAIN, start=d("2026-01-09"), days=days)


def test_dates_outside_the_known_years_are_refused_not_answered_wrongly():
    with pytest.raises(CalendarRangeError):
        add_working_days(PLAIN, start=d("1985-05-05"), days=3)
    with pytest.raises(CalendarRangeError):
        add_working_days(PLAIN, start=d("2100-12-01"), days=100)
    with pytest.raises(CalendarRangeError):
        add_working_days(PLAIN, start=date.max - timedelta(days=2), days=MAX_DAYS)
    assert add_working_days(PLAIN, start=d("2100-12-01"), days=5).due.year == 2100


def test_count_working_days_is_zero_for_an_end_not_after_the_start():
    assert count_working_days(PLAIN, start=d("2026-01-09"), end=d("2026-01-09")) == 0
    assert count_working_days(PLAIN, start=d("2026-01-09"), end=d("2026-01-01")) == 0


# --- Administrators' exceptions ------------------------------------------------------------------


def test_a_day_made_off_moves_the_deadline_and_without_it_the_deadline_returns():
    start = d("2026-02-02")  # Monday
    assert add_working_days(PLAIN, start=start, days=3).due == d("2026-02-05")
    changed = calendar_with([DayException(d("2026-02-04"), DAY_OFF, NAME)])
    result = add_working_days(changed, start=start, days=3)
    assert result.due == d("2026-02-06")
    assert [(s.day, s.reason.get("kk")) for s in result.skipped] == [(d("2026-02-04"), "Сынақ күні")]
    assert [s.day for s in days_off(changed, year=2026)].count(d("2026-02-04")) == 1


def test_a_saturday_made_working_is_counted():
    changed = calendar_with([DayException(d("2026-02-07"), WORKING_DAY, NAME)])
    assert add_working_days(changed, start=d("2026-02-06"), days=1).due == d("2026-02-07")
    assert [(s.day, s.reason) for s in working_weekends(changed, year=2026)] == [(d("2026-02-07"), NAME)]


def test_exceptions_win_over_the_library():
    changed = calendar_with(
        [
            DayException(d("2026-01-07"), WORKING_DAY, NAME),  # a library holiday made working
            DayException(d("2025-01-05"), DAY_OFF, NAME),  # the library's working Sunday made off
            DayException(d("2026-03-09"), HOLIDAY_REMOVED, NAME),  # a moved holiday removed on a Monday
        ]
    )
    assert changed.is_working(d("2026-01-07"))
    assert changed.off_reason(d("2025-01-05")) == NAME
    assert changed.is_working(d("2026-03-09"))
    assert add_working_days(changed, start=d("2026-03-06"), days=1).due == d("2026-03-09")
    assert add_working_days(PLAIN, start=d("2026-03-06"), days=1).due == d("2026-03-10")
    assert working_weekends(changed, year=2025) == []


def test_a_holiday_removed_from_a_saturday_leaves_an_ordinary_saturday():
    changed = calendar_with([DayException(d("2025-08-30"), HOLIDAY_REMOVED, NAME)])
    assert changed.off_reason(d("2025-08-30")).ru == "Суббота"
    assert d("2025-08-30") not in [s.day for s in days_off(changed, year=2025)]
    assert working_weekends(changed, year=2025) == working_weekends(PLAIN, year=2025)


def test_a_holiday_added_is_listed_with_its_name():
    changed = calendar_with([DayException(d("2026-06-12"), HOLIDAY_ADDED, NAME)])
    assert (d("2026-06-12"), "Тестовый день") in [(s.day, s.reason.ru) for s in days_off(changed, year=2026)]
    assert not changed.is_working(d("2026-06-12"))


def test_an_unknown_kind_of_exception_is_refused():
    with pytest.raises(ValueError):
        DayException(d("2026-06-12"), "holiday", NAME)


@pytest.mark.django_db
def test_stored_exceptions_change_the_calendar_and_are_audited(admin_user):
    assert load_calendar().is_working(d("2026-12-31"))
    exc = add_calendar_exception(
        day=d("2026-12-31"),
        kind="day_off",
        name_ru="Выходной день (перенесён с 03.01.2026)",
        name_kk="",
        legal_act="Постановление Правительства РК № 1 от 1 декабря 2025 года",
        actor=admin_user,
    )
    calendar = load_calendar()
    assert calendar.off_reason(d("2026-12-31")).get("kk") == "Выходной день (перенесён с 03.01.2026)"
    assert add_working_days(calendar, start=d("2026-12-30"), days=1).due == d("2027-01-05")
    assert AuditEvent.objects.filter(action="calendar.exception_added").count() == 1
    with pytest.raises(ValidationError) as duplicate:
        add_calendar_exception(
            day=d("2026-12-31"), kind="working_day", name_ru="x", name_kk="", legal_act="y", actor=admin_user
        )
    assert "date" in duplicate.value.message_dict
    remove_calendar_exception(exc, actor=admin_user)
    assert not CalendarException.objects.exists()
    assert add_working_days(load_calendar(), start=d("2026-12-30"), days=1).due == d("2026-12-31")


@pytest.mark.django_db
def test_an_exception_without_a_legal_act_or_outside_the_calendar_is_refused(admin_user):
    with pytest.raises(ValidationError) as refused:
        add_calendar_exception(
            day=d("2200-01-03"),
            kind="day_off",
            name_ru="Выходной",
            name_kk="",
            legal_act="  ",
            actor=admin_user,
        )
    assert set(refused.value.message_dict) == {"date", "legal_act"}
    assert not CalendarException.objects.exists()


# --- Properties ----------------------------------------------------------------------------------

starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2095, 12, 31))  # + MAX_DAYS stays in 2100
counts = st.integers(min_value=1, max_value=MAX_DAYS)
exception_lists = st.lists(
    st.builds(
        DayException,
        day=st.dates(min_value=date(2024, 12, 1), max_value=date(2027, 1, 31)),
        kind=st.sampled_from([DAY_OFF, WORKING_DAY, HOLIDAY_ADDED, HOLIDAY_REMOVED]),
        name=st.just(NAME),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(start=starts, days=counts, exceptions=exception_lists)
def test_the_due_date_is_the_days_th_working_day_after_the_start(start, days, exceptions):
    calendar = calendar_with(exceptions)
    result = add_working_days(calendar, start=start, days=days)
    assert result.due > start
    assert calendar.is_working(result.due)
    assert count_working_days(calendar, start=start, end=result.due) == days
    assert count_working_days(calendar, start=start, end=result.due - timedelta(days=1)) == days - 1
    between = [start + timedelta(days=i) for i in range(1, (result.due - start).days)]
    assert [s.day for s in result.skipped] == [day for day in between if not calendar.is_working(day)]


@settings(max_examples=100, deadline=None)
@given(
    start=st.dates(min_value=date(2024, 6, 1), max_value=date(2026, 12, 31)),
    days=st.integers(min_value=1, max_value=300),
    exceptions=exception_lists,
)
def test_more_days_never_give_an_earlier_due_date(start, days, exceptions):
    calendar = calendar_with(exceptions)
    assert (
        add_working_days(calendar, start=start, days=days + 1).due
        > add_working_days(calendar, start=start, days=days).due
    )


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    length=st.integers(min_value=0, max_value=3000),
    cut=st.floats(min_value=0, max_value=1),
)
def test_counting_adds_up_over_a_split(start, length, cut):
    end = start + timedelta(days=length)
    middle = start + timedelta(days=int(length * cut))
    total = count_working_days(PLAIN, start=start, end=end)
    assert total == count_working_days(PLAIN, start=start, end=middle) + count_working_days(
        PLAIN, start=middle, end=end
    )
    assert total <= length
