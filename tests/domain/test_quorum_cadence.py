from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from alqa.domain.cadence import add_months, cadence
from alqa.domain.quorum import compute_quorum, more_than_half


def test_each_side_majority_shows_its_arithmetic():
    q = compute_quorum(
        rule="each_side_majority", present={"police": 5, "bar": 3}, total={"police": 8, "bar": 6}
    )
    assert (q.sides["police"].required, q.sides["police"].met) == (5, True)
    assert (q.sides["bar"].required, q.sides["bar"].met) == (4, False)
    assert not q.met


def test_overall_majority_needs_both_sides_present():
    q = compute_quorum(
        rule="overall_majority_both_sides", present={"police": 8, "bar": 0}, total={"police": 8, "bar": 6}
    )
    assert q.overall.met and not q.met
    q = compute_quorum(
        rule="overall_majority_both_sides", present={"police": 7, "bar": 1}, total={"police": 8, "bar": 6}
    )
    assert q.met


def test_a_side_without_members_never_meets():
    assert not compute_quorum(rule="each_side_majority", present={"police": 3}, total={"police": 3}).met


@given(st.integers(0, 200))
def test_more_than_half_is_the_least_majority(total):
    need = more_than_half(total)
    assert need * 2 > total and (need - 1) * 2 <= total


def test_months_are_added_to_the_calendar():
    assert add_months(date(2025, 12, 31), 2) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), 2) == date(2026, 3, 15)


def test_cadence_warns_14_days_before_and_lists_breaches():
    held = [date(2026, 1, 15), date(2026, 4, 20), date(2026, 6, 1)]
    c = cadence(held=held, interval_months=2, today=date(2026, 7, 20))
    assert c.last == date(2026, 6, 1) and c.next_due == date(2026, 8, 1)
    assert c.warning and not c.overdue
    assert [(b.previous, b.due, b.held) for b in c.breaches] == [
        (date(2026, 1, 15), date(2026, 3, 15), date(2026, 4, 20))
    ]
    calm = cadence(held=held, interval_months=2, today=date(2026, 7, 1))
    assert not calm.warning
    late = cadence(held=held, interval_months=2, today=date(2026, 8, 2))
    assert late.overdue and late.breaches[-1].held is None
    planned = cadence(held=held + [date(2026, 7, 30)], interval_months=2, today=date(2026, 7, 20))
    assert not planned.warning
