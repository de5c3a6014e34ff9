"""Working days of the Republic of Kazakhstan. Pure functions, no ORM.

A `WorkCalendar` knows, for each date, whether it is a working day and why not. It is built from
`holidays.KZ` (public holidays, weekend holidays moved to the next working day, Government
transfers) and from exceptions entered by administrators, which win over the library.

Counting follows the regulation's practice: the count starts on the day after the event; the
N-th working day after it is the due date. An event on a day off therefore starts the count on
the next working day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

MAX_DAYS = 1000  # about four years of working days: any regulated deadline fits
WEEKEND = (5, 6)

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
    "First President Day": "День Первого Президента",
}
_RU_OBSERVED = "перенесённый выходной"
_RU_ESTIMATED = "дата ожидается"
_KK_WEEKEND = {5: "Сенбі", 6: "Жексенбі"}
_RU_WEEKEND = {5: "Суббота", 6: "Воскресенье"}
_EN_WEEKEND = {5: "Saturday", 6: "Sunday"}
_SUBSTITUTED = re.compile(r"Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)")


@dataclass(frozen=True)
class DayName:
    ru: str
    kk: str
    en: str

    def get(self, language: str) -> str:
        return {"kk": self.kk, "en": self.en}.get(language, self.ru) or self.ru


def _ru_name(english: str) -> str:
    match = _SUBSTITUTED.fullmatch(english)
    if match:
        month, day, year = match.groups()
        return f"Выходной день (перенесён с {day}.{month}.{year})"
    suffixes = []
    base = english
    for marker, ru in ((" (observed)", _RU_OBSERVED), (" (estimated)", _RU_ESTIMATED)):
        if marker in base:
            base = base.replace(marker, "")
            suffixes.append(ru)
    name = _RU_NAMES.get(base, base)
    return f"{name} ({', '.join(suffixes)})" if suffixes else name


@lru_cache(maxsize=64)
def library_year(year: int) -> tuple[dict[date, DayName], frozenset[date]]:
    """Holidays of one year from holidays.KZ, with names in three languages, and weekend days
    that the Government made working days."""
    english = holidays.KZ(years=year, language="en_US")
    kazakh = holidays.KZ(years=year, language="kk")
    names = {day: DayName(ru=_ru_name(en), kk=kazakh.get(day, en), en=en) for day, en in english.items()}
    workdays = frozenset(d for d in getattr(english, "weekend_workdays", ()) if d.year == year)
    return names, workdays


@dataclass(frozen=True)
class Exception_:
    """An administrator's change to the calendar: `working` says what the day becomes."""

    day: date
    working: bool
    name: DayName


@dataclass
class WorkCalendar:
    exceptions: dict[date, Exception_] = field(default_factory=dict)

    def off_reason(self, day: date) -> DayName | None:
        """Why `day` is not a working day, or None when it is one."""
        exc = self.exceptions.get(day)
        if exc is not None:
            return None if exc.working else exc.name
        names, workdays = library_year(day.year)
        if day in names:
            return names[day]
        if day in workdays:
            return None
        if day.weekday() in WEEKEND:
            return DayName(
                ru=_RU_WEEKEND[day.weekday()], kk=_KK_WEEKEND[day.weekday()], en=_EN_WEEKEND[day.weekday()]
            )
        return None

    def is_working(self, day: date) -> bool:
        return self.off_reason(day) is None


def calendar_with(exceptions: Iterable[Exception_] = ()) -> WorkCalendar:
    return WorkCalendar(exceptions={e.day: e for e in exceptions})


@dataclass(frozen=True)
class SkippedDay:
    day: date
    reason: DayName


@dataclass(frozen=True)
class Deadline:
    start: date
    days: int
    due: date
    skipped: tuple[SkippedDay, ...]


class DayCountError(ValueError):
    pass


def add_working_days(calendar: WorkCalendar, *, start: date, days: int) -> Deadline:
    """The `days`-th working day after `start`, with every day off passed over on the way."""
    if days < 1 or days > MAX_DAYS:
        raise DayCountError(days)
    skipped: list[SkippedDay] = []
    day = start
    counted = 0
    while counted < days:
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
        raise DayCountError(days)
    return start + timedelta(days=days)


def count_working_days(calendar: WorkCalendar, *, start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    total = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_working(day):
            total += 1
    return total


def days_off(calendar: WorkCalendar, *, year: int) -> list[SkippedDay]:
    """Every day off of a year that is not an ordinary weekend: holidays, transfers, exceptions,
    and also weekend days made working (with reason None is not listed)."""
    result = []
    day = date(year, 1, 1)
    while day.year == year:
        reason = calendar.off_reason(day)
        if reason is not None and (
            day.weekday() not in WEEKEND or day in library_year(year)[0] or day in calendar.exceptions
        ):
            result.append(SkippedDay(day, reason))
        day += timedelta(days=1)
    return result
