"""The case guard (clause 1.2: the group does not work on specific criminal cases).

Free text that members write (proposals, agenda questions, decisions) is checked for what
identifies a criminal case or a person:

- a registration number of the Unified Register of Pre-trial Investigations (ЕРДР): 15 digits
  standing alone;
- an individual identification number (ИИН): 12 digits standing alone whose first six are a
  date, whose seventh is a century-and-sex digit (1–6) and whose last is a valid check digit.

The digits may be written in groups, with single spaces (plain, no-break or thin) or dashes
between them ("8501 0130 0005", "850101-300005"): within a run of such groups, every sequence of
whole neighbouring groups is read as one number, so a number beside a year or another figure is
still found ("№ 267511031000123 2024").

What is found is never stored or logged: the writer is told where and what kind, with the number
masked, and either removes it or confirms that it identifies no case and no person. The
confirmation, with the fields and kinds (not the numbers), goes into the audit event of the change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from alqa.models import BodyPolicy

CODE = "case_identifiers"  # the code of the guard's errors (the API's error type)
ERDR = "erdr"
IIN = "iin"

_SEPARATORS = " \u00a0\u2009\u202f\\-\u2010\u2011\u2012\u2013"
# digits, with at most one separator between two digits; never part of a longer run of digits
_RUN = re.compile(rf"(?<!\d)\d(?:[{_SEPARATORS}]?\d)*(?!\d)")
_SEPARATOR = re.compile(rf"[{_SEPARATORS}]")
ERDR_DIGITS = 15
IIN_DIGITS = 12
_WEIGHTS = (tuple(range(1, 12)), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))
_CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


@dataclass(frozen=True)
class Finding:
    field: str
    kind: str  # ERDR or IIN
    masked: str  # the first four and the last two digits; never the whole number


def is_iin(digits: str) -> bool:
    """Whether 12 digits can be a Kazakhstan ИИН: birth date, century digit and check digit."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    numbers = [int(c) for c in digits]
    century = _CENTURY.get(numbers[6])
    if century is None:
        return False
    try:
        date(century + int(digits[0:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    for weights in _WEIGHTS:
        check = sum(n * w for n, w in zip(numbers[:11], weights, strict=True)) % 11
        if check != 10:
            return check == numbers[11]
    return False  # both weightings give 10: such a number is never issued


def _mask(digits: str) -> str:
    return digits[:4] + "•" * (len(digits) - 6) + digits[-2:]


def numbers_in(text: str) -> list[str]:
    """The numbers of 12 or 15 digits a text may hold: each run of digit groups, and within it each
    sequence of whole neighbouring groups whose digits are that many."""
    numbers = []
    for run in _RUN.finditer(text):
        groups = _SEPARATOR.split(run.group())
        for first in range(len(groups)):
            digits = ""
            for group in groups[first:]:
                digits += group
                if len(digits) > ERDR_DIGITS:
                    break
                if len(digits) in (IIN_DIGITS, ERDR_DIGITS):
                    numbers.append(digits)
    return numbers


def find_identifiers(texts: dict[str, str]) -> list[Finding]:
    """Every ЕРДР-like and ИИН-like number in the given texts (field name → text), in order."""
    found = []
    for field, text in texts.items():
        for digits in numbers_in(text or ""):
            if len(digits) == ERDR_DIGITS:
                found.append(Finding(field, ERDR, _mask(digits)))
            elif is_iin(digits):
                found.append(Finding(field, IIN, _mask(digits)))
    return found


def describe(finding: Finding, *, blocking: bool, file: str | None = None) -> str:
    """What the writer is told of one number found: where, what kind (masked), and what to do —
    remove it or confirm, or under a blocking policy remove it."""
    if finding.kind == ERDR:
        what = _("a number like a criminal case's registration number in the ЕРДР (%(number)s)")
    else:
        what = _("an individual identification number, ИИН (%(number)s)")
    what = what % {"number": finding.masked}
    if file is not None and blocking:
        return _(
            "The file %(name)s holds %(what)s. The group does not work on specific criminal cases "
            "(clause 1.2 of the regulation) and its policy refuses such numbers: remove the file or "
            "the number in it."
        ) % {"name": file, "what": what}
    if file is not None:
        return _(
            "The file %(name)s holds %(what)s. The group does not work on specific criminal "
            "cases (clause 1.2 of the regulation): remove the file, or confirm that the number "
            "identifies no case and no person."
        ) % {"name": file, "what": what}
    if blocking:
        return _(
            "This text holds %(what)s. The group does not work on specific criminal cases (clause "
            "1.2 of the regulation) and its policy refuses such numbers: remove the number."
        ) % {"what": what}
    return _(
        "This text holds %(what)s. The group does not work on specific criminal cases "
        "(clause 1.2 of the regulation): remove the number, or confirm that it identifies "
        "no case and no person."
    ) % {"what": what}


class CaseIdentifiersFound(ValidationError):
    """Raised when a text holds a case or personal number and the writer has not confirmed it (or
    the body's policy refuses such numbers outright: `blocking`, and no confirmation is offered).
    Its messages sit on the fields concerned, like any other domain error."""

    def __init__(self, findings: list[Finding], *, blocking: bool = False):
        self.findings = findings
        self.blocking = blocking
        messages: dict[str, list[ValidationError]] = {}
        for finding in findings:
            text = describe(finding, blocking=blocking)
            messages.setdefault(finding.field, []).append(ValidationError(text, code=CODE))
        super().__init__(messages)


def is_blocking(body: Any) -> bool:
    """Whether the body's policy refuses case and personal numbers outright (no confirmation)."""
    if body is None:
        return False
    return BodyPolicy.objects.filter(body_id=body.pk, case_guard_blocking=True).exists()


def check_texts(texts: dict[str, str], *, confirmed: bool, body: Any) -> list[str]:
    """Refuses (CaseIdentifiersFound) texts holding case or personal numbers unless `confirmed`,
    and whatever `confirmed` says when the `body`'s policy makes the guard blocking (asked only
    when a number is found); returns what was confirmed, as "field: kind" entries for the audit
    event (no numbers)."""
    findings = find_identifiers(texts)
    if findings and is_blocking(body):
        raise CaseIdentifiersFound(findings, blocking=True)
    if findings and not confirmed:
        raise CaseIdentifiersFound(findings)
    return sorted({f"{finding.field}: {finding.kind}" for finding in findings})


def audit_data(confirmed: list[str]) -> dict[str, Any]:
    """What an audit event records of the case guard: the fields and kinds the writer confirmed."""
    return {"case_identifiers_confirmed": confirmed} if confirmed else {}
