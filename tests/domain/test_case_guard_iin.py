"""Clause 1.2, the case guard, in detail: what makes 12 digits an ИИН (the birth date in its
century, the century digit, the two weightings of the check digit and the numbers never issued),
and what the writer is told about each kind of number.

Found missing by mutation testing (docs/quality.md). Each number below has a check digit worked
out by the rule: e.g. 000229500008 is 0·1+0·2+0·3+2·4+2·5+9·6+5·7+0·8+0·9+0·10+0·11 = 107 ≡ 8."""

import pytest
from django.utils import translation

from alqa.domain.case_guard import (
    CODE,
    CaseIdentifiersFound,
    audit_data,
    check_texts,
    find_identifiers,
    is_iin,
)

ERDR = "267511031000123"


@pytest.mark.parametrize(
    ("digits", "born"),
    [
        ("850101100002", "1 January 1885, a man"),  # century digits 1 and 2: the 1800s
        ("850101200009", "1 January 1885, a woman"),
        ("850101300005", "1 January 1985, a man"),  # 3 and 4: the 1900s
        ("850101400001", "1 January 1985, a woman"),
        ("850101500008", "1 January 2085 (a 2000s digit), a man"),  # 5 and 6: the 2000s
        ("850101600004", "1 January 2085, a woman"),
        ("991231300003", "31 December 1999"),
        ("200229300007", "29 February 1920, a leap year"),
        ("000229500008", "29 February 2000, a leap year"),
        ("000229600004", "29 February 2000"),
        ("200229300807", "the first weighting gives 10, the second 7"),
        # 29 February 1804, 1904 and 2004, one for each century digit: each century is the right one
        ("040229100109", "29 February 1804"),
        ("040229200006", "29 February 1804"),
        ("040229300002", "29 February 1904"),
        ("040229400009", "29 February 1904"),
        ("040229500005", "29 February 2004"),
        ("040229600001", "29 February 2004"),
        # the second weighting, with no digit 0 among the first eleven: each weight counts
        ("871123311815", "23 November 1987, the second weighting gives 5"),
    ],
)
def test_an_iin_is_a_birth_date_in_its_century_with_the_check_digit(digits, born):
    assert is_iin(digits), born


@pytest.mark.parametrize(
    ("digits", "why_not"),
    [
        ("000229300005", "29 February 1900: not a leap year"),
        ("000229400001", "29 February 1900"),
        ("000229100002", "29 February 1800: not a leap year"),
        ("000229200009", "29 February 1800"),
        ("850101000006", "century digit 0"),
        ("850101700000", "century digit 7"),
        ("850101800007", "century digit 8"),
        ("850101900003", "century digit 9"),
        ("851232300000", "day 32"),
        ("851200300000", "day 0"),
        ("850001300000", "month 0"),
        ("000229500009", "the check digit is 8"),
        ("200229300808", "the second weighting's check digit is 7"),
        ("85010130012a", "a letter"),
        ("8501013000050", "13 digits"),
        ("", "nothing"),
    ],
)
def test_twelve_digits_that_are_no_iin(digits, why_not):
    assert not is_iin(digits), why_not


@pytest.mark.parametrize("last", range(10))
def test_a_number_whose_both_weightings_give_10_is_never_issued(last):
    # for 00022950096 and 85010130069 both weightings give 10 (mod 11): no check digit is right
    assert is_iin(f"00022950096{last}") is False
    assert is_iin(f"85010130069{last}") is False


def test_the_check_digit_must_be_the_one_of_the_first_weighting_that_is_not_10():
    assert is_iin("850101300603") and not is_iin("850101300604")  # second weighting: 3
    assert is_iin("850101300005") and not is_iin("850101300004")  # first weighting: 5


def test_findings_name_their_field_kind_and_masked_number_in_order():
    found = find_identifiers(
        {
            "title_ru": f"{ERDR} и 000229500008",
            "memo_ru": None,
            "memo_kk": "991231300003; 000229300005; 1234567890123456",
        }
    )
    assert [(f.field, f.kind, f.masked) for f in found] == [
        ("title_ru", "erdr", "2675•••••••••23"),
        ("title_ru", "iin", "0002••••••08"),
        ("memo_kk", "iin", "9912••••••03"),
    ]


def test_the_message_names_which_kind_of_number_and_masks_it():
    with translation.override("en"), pytest.raises(CaseIdentifiersFound) as caught:
        check_texts(
            {"title_ru": f"ЕРДР {ERDR}", "text_kk": "ЖСН 991231300003 / 000229500008"},
            confirmed=False,
            body=None,
        )
    messages = caught.value.message_dict
    tail = (
        " The group does not work on specific criminal cases (clause 1.2 of the regulation): remove the "
        "number, or confirm that it identifies no case and no person."
    )
    assert messages == {
        "title_ru": [
            "This text holds a number like a criminal case's registration number in the ЕРДР "
            "(2675•••••••••23)." + tail
        ],
        "text_kk": [
            "This text holds an individual identification number, ИИН (9912••••••03)." + tail,
            "This text holds an individual identification number, ИИН (0002••••••08)." + tail,
        ],
    }
    assert {error.code for errors in caught.value.error_dict.values() for error in errors} == {CODE}
    assert [(f.field, f.kind) for f in caught.value.findings] == [
        ("title_ru", "erdr"),
        ("text_kk", "iin"),
        ("text_kk", "iin"),
    ]


def test_the_message_is_in_the_writers_language():
    with translation.override("ru"), pytest.raises(CaseIdentifiersFound) as caught:
        check_texts({"memo_ru": "ИИН 991231300003"}, confirmed=False, body=None)
    message = caught.value.message_dict["memo_ru"][0]
    assert "ИИН (9912••••••03)" in message and "1.2" in message and "This text" not in message


def test_what_was_confirmed_is_each_field_and_kind_once_in_order():
    confirmed = check_texts(
        {"text_ru": f"{ERDR}; 991231300003; 000229500008", "memo_ru": ERDR, "a_title": "991231300003"},
        confirmed=True,
        body=None,
    )
    assert confirmed == ["a_title: iin", "memo_ru: erdr", "text_ru: erdr", "text_ru: iin"]
    assert audit_data(confirmed) == {"case_identifiers_confirmed": confirmed}
    assert audit_data([]) == {}
    assert check_texts({"text_ru": "000229300005"}, confirmed=False, body=None) == []
