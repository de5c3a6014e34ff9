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
