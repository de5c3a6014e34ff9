"""Fixtures of the complaints register: a body's police units and a hand-counted set of complaints."""

from datetime import date

import pytest

from alqa.domain.bodies import create_unit
from alqa.domain.complaints import create_complaint
from alqa.enums import Side
from alqa.models import ComplaintSubject


@pytest.fixture
def district(body, admin_user, police_unit):
    """Two police units: «Следственное управление» (police_unit) and «Отдел дознания»."""
    inquiry = create_unit(
        body=body,
        actor=admin_user,
        name_ru="Отдел дознания",
        name_kk="Анықтау бөлімі",
        side=Side.POLICE,
        email="inquiry@police.test",
    )
    return {"investigation": police_unit, "inquiry": inquiry}


def subject(body, code):
    return ComplaintSubject.objects.get(body=body, code=code)


@pytest.fixture
def counted(body, admin_user, district):
    """Seven complaints counted by hand:

    | # | article | filed      | decided    | unit          | subject     | outcome          | days |
    | 1 | 105     | 2025-01-10 | 2025-01-13 | investigation | termination | satisfied        | 3    |
    | 2 | 105     | 2025-02-01 | 2025-02-11 | investigation | termination | refused          | 10   |
    | 3 | 106     | 2025-03-05 | 2025-03-06 | inquiry       | detention   | partly_satisfied | 1    |
    | 4 | 106     | 2025-04-01 | 2025-04-21 | inquiry       | detention   | refused          | 20   |
    | 5 | 105     | 2025-04-15 | 2025-04-20 | investigation | lawyer      | not_considered   | 5    |
    | 6 | 105     | 2025-05-02 | —          | inquiry       | termination | pending          | —    |
    | 7 | 106     | 2025-06-30 | 2025-07-30 | investigation | lawyer      | satisfied        | 30   |

    Q1: 3, Q2: 4. Decided 6, satisfied (fully or partly) 3 = 50 %. Days sorted 1 3 5 10 20 30:
    median 7.5, 90th percentile 25 (percentile_cont: 20 + 0.5 × 10)."""
    rows = [
        ("105", date(2025, 1, 10), date(2025, 1, 13), "investigation", "termination", "satisfied", True),
        ("105", date(2025, 2, 1), date(2025, 2, 11), "investigation", "termination", "refused", False),
        ("106", date(2025, 3, 5), date(2025, 3, 6), "inquiry", "detention", "partly_satisfied", True),
        ("106", date(2025, 4, 1), date(2025, 4, 21), "inquiry", "detention", "refused", False),
        (
            "105",
            date(2025, 4, 15),
            date(2025, 4, 20),
            "investigation",
            "lawyer_access",
            "not_considered",
            False,
        ),
        ("105", date(2025, 5, 2), None, "inquiry", "termination", "pending", False),
        ("106", date(2025, 6, 30), date(2025, 7, 30), "investigation", "lawyer_access", "satisfied", True),
    ]
    return [
        create_complaint(
            body=body,
            actor=admin_user,
            article=a,
            filed_on=f,
            decided_on=d,
            unit=district[u],
            official="investigator",
            subject=subject(body, s),
            outcome=o,
            violation_found=v,
        )
        for a, f, d, u, s, o, v in rows
    ]
