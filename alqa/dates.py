"""Dates in running text, as each language writes them."""

from datetime import date, datetime
from functools import lru_cache

from django.utils import formats, timezone, translation
from django.utils.translation import get_language


def human_date(day: date) -> str:
    """`day` in running text in the active language (memoised per date and language)."""
    return _human_date(day, get_language() or "ru")


@lru_cache(maxsize=4096)
def _human_date(day: date, language: str) -> str:
    """`day` as the reader's language writes a date in running text (the locale's DATE_FORMAT):
    «9 января 2026 г.», «2026 жылғы 9 қаңтар», "Jan. 9, 2026".

    Django's Kazakh month names are capitalised, as in a calendar's heading; inside a date
    Kazakh writes them in lower case."""
    with translation.override(language):
        text = formats.date_format(day, "DATE_FORMAT")
        month = formats.date_format(day, "E")
    if language.split("-")[0] == "kk":
        text = text.replace(month, month.lower())
    return text


def long_date(value: date | datetime | None) -> str:
    """A date (or a moment, taken in the current time zone: Almaty) in running text, as
    human_date writes it; empty for no value. Templates use it as `{{ value|long_date }}`."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return human_date(value)


# The Kazakh months with the locative-attributive ending -дағы/-дегі/-тағы/-тегі (vowel harmony of
# the last syllable; т after a voiceless consonant): «2026 жылғы 1 желтоқсандағы отырыс».
_KK_MONTHS_ATTRIBUTIVE = (
    "қаңтардағы",
    "ақпандағы",
    "наурыздағы",
    "сәуірдегі",
    "мамырдағы",
    "маусымдағы",
    "шілдедегі",
    "тамыздағы",
    "қыркүйектегі",
    "қазандағы",
    "қарашадағы",
    "желтоқсандағы",
)


def date_of(value: date | datetime | None) -> str:
    """A date that names something of that day in running text («заседание 1 декабря 2026 г.»):
    as long_date writes it, and in Kazakh in the attributive form that stands before its noun
    («2026 жылғы 1 желтоқсандағы отырыс»)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if (get_language() or "ru").split("-")[0] == "kk":
        return f"{value.year} жылғы {value.day} {_KK_MONTHS_ATTRIBUTIVE[value.month - 1]}"
    return human_date(value)
