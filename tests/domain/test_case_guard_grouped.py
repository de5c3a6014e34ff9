"""The case guard reads numbers written in groups, with spaces or dashes (clause 1.2)."""

import pytest

from alqa.domain.case_guard import ERDR, IIN, find_identifiers, numbers_in

ERDR_NUMBER = "267511031000123"
IIN_NUMBER = "850101300005"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("8501 0130 0005", IIN),
        ("850101-300005", IIN),
        ("85 01 01 30 00 05", IIN),
        ("8501\u00a00130\u00a00005", IIN),  # no-break spaces
        ("8501\u202f0130\u20090005", IIN),  # narrow and thin spaces
        ("2675 1103 1000 123", ERDR),
        ("2675–1103–1000–123", ERDR),  # en dashes
        ("2675-1103-1000-123", ERDR),
        ("№ 267511031000123 2024", ERDR),  # beside a year
        ("2024 850101300005", IIN),
        ("850101300005-1", IIN),
    ],
)
def test_grouped_numbers_are_found_and_masked(text, kind):
    found = find_identifiers({"memo": text})
    assert [f.kind for f in found] == [kind]
    assert found[0].masked.startswith(("8501", "2675")) and "•" in found[0].masked


@pytest.mark.parametrize(
    "text",
    [
        "телефон +7 701 234 56 78",
        "в 2019 2020 2021 годах",  # twelve digits, not a date
        "1234567890123456",  # sixteen digits: no ЕРДР number
        "2675 1103 1000 1234",  # the groups make sixteen
        "8501  0130  0005",  # two spaces part the groups
        "8501 / 0130 / 0005",
        "85010130000",  # eleven digits
        "850101300006",  # a wrong check digit
    ],
)
def test_other_figures_are_not_taken_for_identifiers(text):
    assert find_identifiers({"memo": text}) == []


def test_every_sequence_of_whole_groups_is_read():
    assert numbers_in("850 101 300 005 123") == ["850101300005", "850101300005123", "101300005123"]
    assert numbers_in("1 850101300005") == ["850101300005"]
    assert numbers_in("") == []


def test_a_number_across_lines_is_two_numbers():
    assert find_identifiers({"memo": "8501 0130\n0005"}) == []
