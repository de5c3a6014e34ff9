"""Kazakh dates inflected where the sentence needs it (LANGUAGE.md): the month takes the case
ending by vowel harmony and its last sound; Russian and English use a preposition."""

from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from alqa.dates import inflected_date, kk_case

LOCATIVE = (
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
DATIVE = (
    "қаңтарға",
    "ақпанға",
    "наурызға",
    "сәуірге",
    "мамырға",
    "маусымға",
    "шілдеге",
    "тамызға",
    "қыркүйекке",
    "қазанға",
    "қарашаға",
    "желтоқсанға",
)
ABLATIVE = (
    "қаңтардан",
    "ақпаннан",
    "наурыздан",
    "сәуірден",
    "мамырдан",
    "маусымнан",
    "шілдеден",
    "тамыздан",
    "қыркүйектен",
    "қазаннан",
    "қарашадан",
    "желтоқсаннан",
)


@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize("day", [1, 9, 10, 28])
def test_every_month_takes_its_ending(month, day):
    with translation.override("kk"):
        on = date(2026, month, day)
        assert inflected_date(on, "locative") == f"2026 жылғы {day} {LOCATIVE[month - 1]}"
        assert inflected_date(on, "terminative") == f"2026 жылғы {day} {DATIVE[month - 1]} дейін"
        assert inflected_date(on, "ablative") == f"2026 жылғы {day} {ABLATIVE[month - 1]} бастап"


def test_the_template_filter_and_the_other_languages():
    template = Template('{% load alqa_tags %}{{ d|long_date:"locative" }} · {{ d|long_date:"terminative" }}')
    with translation.override("kk"):
        assert (
            template.render(Context({"d": date(2027, 1, 9)}))
            == "2027 жылғы 9 қаңтардағы · 2027 жылғы 9 қаңтарға дейін"
        )
    with translation.override("ru"):
        text = template.render(Context({"d": date(2027, 1, 9)}))
        assert text == "9 января 2027 г. · до 9 января 2027 г."
    with translation.override("kk"):
        plain = Template("{% load alqa_tags %}{{ d|long_date }}").render(Context({"d": date(2027, 12, 1)}))
        assert plain == "2027 жылғы 1 желтоқсан"  # the month in lower case in running text


def test_an_unknown_form_is_a_programming_error():
    with pytest.raises(ValueError):
        inflected_date(date(2026, 1, 9), "vocative")
    with pytest.raises(ValueError):
        kk_case("қаңтар", "vocative")
