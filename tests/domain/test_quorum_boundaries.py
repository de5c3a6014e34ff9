"""Clause 3.4, the quorum, at its edges: each part of each rule is the one that decides in some case.

Found missing by mutation testing (docs/quality.md): a rule may be read wrongly and still pass
the cases in test_quorum_cadence.py."""

import pytest

from alqa.domain.quorum import compute_quorum, more_than_half
from alqa.enums import QuorumRule

EACH = QuorumRule.EACH_SIDE_MAJORITY
OVERALL = QuorumRule.OVERALL_MAJORITY_BOTH_SIDES


def counts(q, part):
    count = q.overall if part == "overall" else q.sides[part]
    return (count.present, count.total, count.required, count.met)


@pytest.mark.parametrize(("total", "need"), [(0, 1), (1, 1), (2, 2), (3, 2), (8, 5), (13, 7), (14, 8)])
def test_more_than_half(total, need):
    assert more_than_half(total) == need


def test_both_sides_present_but_short_of_an_overall_majority_is_no_quorum():
    # 14 members: 8 are needed. Three police officers and two advocates are both sides, but only 5.
    q = compute_quorum(rule=OVERALL, present={"police": 3, "bar": 2}, total={"police": 8, "bar": 6})
    assert counts(q, "police") == (3, 8, 1, True)
    assert counts(q, "bar") == (2, 6, 1, True)
    assert counts(q, "overall") == (5, 14, 8, False)
    assert not q.met


def test_an_overall_majority_with_both_sides_present_is_a_quorum_even_with_one_side_short():
    # 8 of 14 with a single advocate: the overall rule is met where each-side would not be.
    present, total = {"police": 7, "bar": 1}, {"police": 8, "bar": 6}
    overall = compute_quorum(rule=OVERALL, present=present, total=total)
    assert counts(overall, "overall") == (8, 14, 8, True) and overall.met
    each = compute_quorum(rule=EACH, present=present, total=total)
    assert counts(each, "police") == (7, 8, 5, True)
    assert counts(each, "bar") == (1, 6, 4, False)
    assert not each.met
    assert counts(each, "overall") == (8, 14, 8, True)  # shown, but not what this rule asks


def test_exactly_the_majority_of_each_side_is_enough_and_one_less_is_not():
    total = {"police": 5, "bar": 4}
    assert compute_quorum(rule=EACH, present={"police": 3, "bar": 3}, total=total).met
    short = compute_quorum(rule=EACH, present={"police": 2, "bar": 3}, total=total)
    assert counts(short, "police") == (2, 5, 3, False) and not short.met
    assert not compute_quorum(rule=EACH, present={"police": 3, "bar": 2}, total=total).met


def test_exactly_the_overall_majority_is_enough_and_one_less_is_not():
    total = {"police": 5, "bar": 4}  # 9 members: 5 needed
    assert compute_quorum(rule=OVERALL, present={"police": 4, "bar": 1}, total=total).met
    short = compute_quorum(rule=OVERALL, present={"police": 3, "bar": 1}, total=total)
    assert counts(short, "overall") == (4, 9, 5, False) and not short.met


def test_a_body_of_one_member_per_side_meets_when_both_are_present():
    total = {"police": 1, "bar": 1}
    for rule in (EACH, OVERALL):
        q = compute_quorum(rule=rule, present={"police": 1, "bar": 1}, total=total)
        assert q.met and q.sides["police"].met and q.sides["bar"].met and q.overall.met
        alone = compute_quorum(rule=rule, present={"police": 1}, total=total)
        assert counts(alone, "bar") == (0, 1, 1, False) and not alone.met


def test_a_single_member_present_is_an_overall_majority_of_one():
    q = compute_quorum(rule=OVERALL, present={"police": 1}, total={"police": 1})
    assert counts(q, "overall") == (1, 1, 1, True)
    assert counts(q, "bar") == (0, 0, 1, False) and not q.met  # no advocate at all


def test_a_side_without_members_never_meets_whoever_is_counted_on_it():
    for rule in (EACH, OVERALL):
        q = compute_quorum(rule=rule, present={"police": 3, "bar": 1}, total={"police": 3})
        assert counts(q, "bar") == (1, 0, 1, False) and not q.met


def test_a_body_without_members_has_no_quorum():
    for rule in (EACH, OVERALL):
        q = compute_quorum(rule=rule, present={}, total={})
        assert counts(q, "overall") == (0, 0, 1, False)
        assert not q.met
        # nobody in office on either side: whoever is counted present, there is no majority of nobody
        q = compute_quorum(rule=rule, present={"police": 2, "bar": 1}, total={"police": 0, "bar": 0})
        assert counts(q, "overall") == (3, 0, 1, False)
        assert not q.met


def test_only_members_of_the_body_count_towards_the_overall_majority():
    # Someone counted on a side the body does not have is not one of its members.
    q = compute_quorum(
        rule=OVERALL, present={"police": 1, "bar": 1, "guest": 5}, total={"police": 4, "bar": 1}
    )
    assert counts(q, "overall") == (2, 5, 3, False) and not q.met


def test_the_quorum_as_stored_and_sent_by_the_api():
    q = compute_quorum(rule=EACH, present={"police": 2}, total={"police": 3, "bar": 1})
    assert q.as_dict() == {
        "rule": "each_side_majority",
        "met": False,
        "sides": {
            "police": {"present": 2, "total": 3, "required": 2, "met": True},
            "bar": {"present": 0, "total": 1, "required": 1, "met": False},
        },
        "overall": {"present": 2, "total": 4, "required": 3, "met": False},
    }
