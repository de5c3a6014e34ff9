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


# --- dates with a case ending ---------------------------------------------------------------------
# Official Kazakh inflects the date itself: the month takes the ending, by the vowel harmony of its
# last syllable and the sound it ends with (LANGUAGE.md): «9 қаңтардағы», «9 қаңтарға дейін»,
# «9 қаңтардан бастап». Russian and English say the same with a preposition.

_BACK_VOWELS = set("аоұыуя")
_FRONT_VOWELS = set("әеөүіиэю")
_VOICELESS = set("кқпстфхцчшщ")
_NASAL = set("мнң")

KK_MONTHS = (
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
)


def _front(word: str) -> bool:
    for letter in reversed(word):
        if letter in _FRONT_VOWELS:
            return True
        if letter in _BACK_VOWELS:
            return False
    return False


def kk_case(word: str, case: str) -> str:
    """`word` with the Kazakh case ending: "locative" (attributive, -дағы/-дегі/-тағы/-тегі),
    "dative" (-ға/-ге/-қа/-ке), "ablative" (-дан/-ден/-тан/-тен/-нан/-нен)."""
    front, last = _front(word), word[-1]
    voiceless = last in _VOICELESS
    if case == "locative":
        return word + ("т" if voiceless else "д") + ("егі" if front else "ағы")
    if case == "dative":
        if voiceless:
            return word + ("ке" if front else "қа")
        return word + ("ге" if front else "ға")
    if case == "ablative":
        first = "т" if voiceless else "н" if last in _NASAL else "д"
        return word + first + ("ен" if front else "ан")
    raise ValueError(f"no such case: {case}")


# the phrase around the date, by form: (Kazakh case, Russian pattern, English pattern).
# "terminative" and "ablative" carry the whole phrase (the preposition, the postposition).
# "dative" and "ablative_bare" are the bare case: Russian and English get the plain date and keep
# their preposition in the sentence («до %(day)s», "by %(day)s"), while the Kazakh sentence puts its
# own postposition after the inflected date («%(day)s дейін», «%(day)s кешіктірілмей»). So one
# placeholder serves every language and the Russian and English texts stay as they are.
DATE_FORMS = {
    "locative": ("locative", "{}", "{}"),  # «заседание 9 января» / «9 қаңтардағы отырыс»
    "terminative": ("dative", "до {}", "until {}"),  # «9 қаңтарға дейін»
    "ablative": ("ablative", "с {}", "from {}"),  # «9 қаңтардан бастап»
    "dative": ("dative", "{}", "{}"),  # «до 9 января» / «9 қаңтарға дейін»
    "ablative_bare": ("ablative", "{}", "{}"),  # «не позднее 9 января» / «9 қаңтардан кешіктірілмей»
}
_KK_AFTER = {"terminative": " дейін", "ablative": " бастап"}


def inflected_date(value: date | datetime | None, form: str) -> str:
    """A date in running text as the sentence needs it (`form`: one of DATE_FORMS); templates:
    `{{ day|long_date:"terminative" }}`."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if form not in DATE_FORMS:
        raise ValueError(f"no such form of a date: {form}")
    case, russian, english = DATE_FORMS[form]
    language = (get_language() or "ru").split("-")[0]
    if language == "kk":
        month = kk_case(KK_MONTHS[value.month - 1], case)
        return f"{value.year} жылғы {value.day} {month}{_KK_AFTER.get(form, '')}"
    return (russian if language == "ru" else english).format(human_date(value))


def long_date_in(value: date | datetime | None, form: str = "") -> str:
    """The `long_date` filter: the plain date, or with a form (inflected_date)."""
    return inflected_date(value, form) if form else long_date(value)
