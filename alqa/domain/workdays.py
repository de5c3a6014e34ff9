"""Working days of the Republic of Kazakhstan. Pure functions, no ORM.

A `WorkCalendar` knows, for each date, whether it is a working day and why not. It is built from
`holidays.KZ` (public holidays, weekend holidays moved to the next working day, Government
transfers, and the weekend days those transfers made working) and from exceptions entered by
administrators, which win over the library:

* ``day_off`` and ``holiday_added`` make the date a day off, whatever the library says;
* ``working_day`` makes the date a working day, even a Saturday or a Sunday;
* ``holiday_removed`` takes away whatever the library says about the date: a weekday becomes an
  ordinary working day, a Saturday or a Sunday an ordinary weekend day.

Counting follows the regulation's practice: the count starts on the day after the event; the
N-th working day after it is the due date. An event on a day off therefore starts the count on
the next working day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays
from holidays.countries.kazakhstan import Kazakhstan

MAX_DAYS = 1000  # about four years of working days: any regulated deadline fits
WEEKEND = (5, 6)
# holidays.KZ knows Kazakhstan from independence to 2100; outside it would silently return no
# holidays at all, so counts there are refused rather than answered wrongly.
FIRST_YEAR = Kazakhstan.start_year
LAST_YEAR = Kazakhstan.end_year

# Kinds of administrators' exceptions (the values of alqa.enums.CalendarExceptionKind).
DAY_OFF = "day_off"
WORKING_DAY = "working_day"
HOLIDAY_ADDED = "holiday_added"
HOLIDAY_REMOVED = "holiday_removed"
EXCEPTION_KINDS = (DAY_OFF, WORKING_DAY, HOLIDAY_ADDED, HOLIDAY_REMOVED)

# holidays.KZ names in English, read into Russian (the library has no Russian names).
_RU_NAMES = {
    "New Year's Day": "Новый год",
    "Orthodox Christmas": "Православное Рождество",
    "International Women's Day": "Международный женский день",
    "Nowruz Holiday": "Наурыз мейрамы",
    "Kazakhstan's People Solidarity Holiday": "Праздник единства народа Казахстана",
    "Defender of the Fatherland Day": "День защитника Отечества",
    "Victory Day": "День Победы",
    "Capital Day": "День Столицы",
    "Eid al-Adha": "Курбан айт",
    "Constitution Day": "День Конституции Республики Казахстан",
    "Republic Day": "День Республики",
    "Independence Day": "День Независимости",
    "First President Day": "День Первого Президента Республики Казахстан",
}
_RU_LABELS = {"observed": "перенесённый выходной", "estimated": "ориентировочная дата"}
_LABELLED = re.compile(r"(?P<base>.+?) \((?P<labels>(?:observed|estimated)(?:, (?:observed|estimated))*)\)")
_SUBSTITUTED = re.compile(r"Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)")


@dataclass(frozen=True)
class DayName:
    ru: str
    kk: str
    en: str

    def get(self, language: str | None) -> str:
        code = (language or "ru").split("-")[0].lower()
        return {"kk": self.kk, "en": self.en}.get(code, self.ru) or self.ru


# The names of ordinary weekend days. `days_off` recognises an ordinary weekend by these very
# objects, so a holiday is never mistaken for one.
_WEEKEND_NAMES = {
    5: DayName(ru="Суббота", kk="Сенбі", en="Saturday"),
    6: DayName(ru="Воскресенье", kk="Жексенбі", en="Sunday"),
}


def _ru_name(english: str) -> str:
    match = _SUBSTITUTED.fullmatch(english)
    if match:
        month, day, year = match.groups()
        return f"Выходной день (перенесён с {day}.{month}.{year})"
    match = _LABELLED.fullmatch(english)
    if match:
        labels = ", ".join(_RU_LABELS[label] for label in match["labels"].split(", "))
        return f"{_RU_NAMES.get(match['base'], match['base'])} ({labels})"
    return _RU_NAMES.get(english, english)


def _en_name(english: str) -> str:
    """The library's English, with its US dates (01/05/2025) written as Kazakhstan writes them."""
    match = _SUBSTITUTED.fullmatch(english)
    if match:
        month, day, year = match.groups()
        return f"Day off (moved from {day}.{month}.{year})"
    return english


def _moved_to_name(day_off: date) -> DayName:
    """The name of a weekend day made working because its rest was moved to `day_off`."""
    when = day_off.strftime("%d.%m.%Y")
    return DayName(
        ru=f"Рабочий день (выходной перенесён на {when})",
        kk=f"Жұмыс күні (демалыс {when} күніне ауыстырылды)",
        en=f"Working day (day off moved to {when})",
    )


# First days of Kurban Ait announced for Kazakhstan after the library's table of confirmed dates
# ends (it marks later ones "estimated"). 2026: the production calendar on egov.kz and the
# Spiritual Administration of Muslims of Kazakhstan give Wednesday 27 May.
_CONFIRMED_KURBAN_AIT = {2026: date(2026, 5, 27)}


def _library(year: int, language: str) -> holidays.HolidayBase:
    """holidays.KZ for one year; without the "estimated" label when Kazakhstan has announced
    the very date the library estimates."""
    confirmed = _CONFIRMED_KURBAN_AIT.get(year)
    if confirmed is not None:
        english = Kazakhstan(years=year, language="en_US", islamic_show_estimated=False)
        if english.get(confirmed) == "Eid al-Adha":
            return Kazakhstan(years=year, language=language, islamic_show_estimated=False)
    return Kazakhstan(years=year, language=language)


@dataclass(frozen=True)
class LibraryYear:
    """One year of holidays.KZ: days off with their names, and weekend days made working."""

    days_off: dict[date, DayName]
    working_weekends: dict[date, DayName]


@lru_cache(maxsize=64)
def library_year(year: int) -> LibraryYear:
    """Holidays of one year from holidays.KZ, with names in three languages, and weekend days
    that the Government made working days (named after the day their rest was moved to)."""
    english = _library(year, "en_US")
    kazakh = _library(year, "kk")
    names = {
        day: DayName(ru=_ru_name(en), kk=kazakh.get(day, en), en=_en_name(en)) for day, en in english.items()
    }
    moved_to = {}
    for day, en in english.items():
        match = _SUBSTITUTED.fullmatch(en)
        if match:
            month, dd, yyyy = (int(x) for x in match.groups())
            moved_to[date(yyyy, month, dd)] = day
    # `weekend_workdays` holds the working weekends of every year the class knows; keep this year's.
    working = {
        day: _moved_to_name(moved_to[day])
        if day in moved_to
        else DayName("Рабочий день", "Жұмыс күні", "Working day")
        for day in getattr(english, "weekend_workdays", ())
        if day.year == year
    }
    return LibraryYear(days_off=names, working_weekends=working)


@dataclass(frozen=True)
class DayException:
    """One `CalendarException` row as the counting sees it: an administrator's change to one date
    (see the module's docstring)."""

    day: date
    kind: str
    name: DayName

    def __post_init__(self) -> None:
        if self.kind not in EXCEPTION_KINDS:
            raise ValueError(f"unknown calendar exception kind {self.kind!r}")


class CalendarRangeError(ValueError):
    """A date outside the years the calendar knows (FIRST_YEAR to LAST_YEAR)."""

    def __init__(self, day: date):
        super().__init__(f"{day.isoformat()} is outside {FIRST_YEAR}–{LAST_YEAR}")
        self.day = day


def _check_range(day: date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CalendarRangeError(day)


@dataclass
class WorkCalendar:
    exceptions: dict[date, DayException] = field(default_factory=dict)

    def _status(self, day: date) -> tuple[bool, DayName | None]:
        """(working, name): the name of a day off, of a weekend day made working, or None for an
        ordinary working day. Ordinary weekend days carry the shared `_WEEKEND_NAMES`."""
        weekend = _WEEKEND_NAMES.get(day.weekday())
        exc = self.exceptions.get(day)
        if exc is not None:
            if exc.kind in (DAY_OFF, HOLIDAY_ADDED):
                return False, exc.name
            if exc.kind == WORKING_DAY:
                return True, exc.name if weekend else None
            return (False, weekend) if weekend else (True, None)  # HOLIDAY_REMOVED
        _check_range(day)
        lib = library_year(day.year)
        if day in lib.days_off:
            return False, lib.days_off[day]
        if day in lib.working_weekends:
            return True, lib.working_weekends[day]
        return (False, weekend) if weekend else (True, None)

    def off_reason(self, day: date) -> DayName | None:
        """Why `day` is not a working day, or None when it is one."""
        working, name = self._status(day)
        return None if working else name

    def is_working(self, day: date) -> bool:
        return self._status(day)[0]


def calendar_with(exceptions: Iterable[DayException] = ()) -> WorkCalendar:
    return WorkCalendar(exceptions={e.day: e for e in exceptions})


@dataclass(frozen=True)
class SkippedDay:
    """A date with its name: a day off passed over, or (in `working_weekends`) a weekend day made working."""

    day: date
    reason: DayName


@dataclass(frozen=True)
class Deadline:
    start: date
    days: int
    due: date
    skipped: tuple[SkippedDay, ...]


class DayCountError(ValueError):
    """A number of days below 1 or above the limit."""

    def __init__(self, days: int, limit: int = MAX_DAYS):
        super().__init__(f"{days} is not between 1 and {limit}")
        self.days = days
        self.limit = limit


def add_working_days(calendar: WorkCalendar, *, start: date, days: int) -> Deadline:
    """The `days`-th working day after `start`, with every day off passed over on the way.

    Raises DayCountError for `days` outside 1..MAX_DAYS, CalendarRangeError when the count would
    leave the years the calendar knows."""
    if days < 1 or days > MAX_DAYS:
        raise DayCountError(days)
    _check_range(start)
    skipped: list[SkippedDay] = []
    day = start
    counted = 0
    while counted < days:
        if day >= date(LAST_YEAR, 12, 31):
            raise CalendarRangeError(date(LAST_YEAR + 1, 1, 1))
        day += timedelta(days=1)
        reason = calendar.off_reason(day)
        if reason is None:
            counted += 1
        else:
            skipped.append(SkippedDay(day, reason))
    return Deadline(start=start, days=days, due=day, skipped=tuple(skipped))


def add_calendar_days(*, start: date, days: int) -> date:
    """Deadlines of the Criminal Procedure Code run in calendar days (сутки)."""
    if days < 1 or days > MAX_DAYS * 2:
        raise DayCountError(days, MAX_DAYS * 2)
    try:
        return start + timedelta(days=days)
    except OverflowError:
        raise CalendarRangeError(date.max) from None


def _dates(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def count_working_days(calendar: WorkCalendar, *, start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    if end <= start:
        return 0
    return sum(1 for day in _dates(start + timedelta(days=1), end) if calendar.is_working(day))


def days_off(calendar: WorkCalendar, *, year: int) -> list[SkippedDay]:
    """Every day off of `year` other than an ordinary Saturday or Sunday: holidays (also those
    falling on a weekend), holidays moved to a weekday, Government transfers, and days made off
    by administrators' exceptions."""
    result = []
    for day in _dates(date(year, 1, 1), date(year, 12, 31)):
        working, name = calendar._status(day)
        if not working and name is not None and name is not _WEEKEND_NAMES.get(day.weekday()):
            result.append(SkippedDay(day, name))
    return result


def working_weekends(calendar: WorkCalendar, *, year: int) -> list[SkippedDay]:
    """The Saturdays and Sundays of `year` that are working days (Government transfers and
    administrators' exceptions), each with its name."""
    result = []
    for day in _dates(date(year, 1, 1), date(year, 12, 31)):
        if day.weekday() in WEEKEND:
            working, name = calendar._status(day)
            if working and name is not None:
                result.append(SkippedDay(day, name))
    return result
