"""Quorum by sides (clause 3.4). Pure arithmetic, no ORM."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from alqa.enums import QuorumRule


@dataclass(frozen=True)
class SideCount:
    present: int
    total: int
    required: int
    met: bool


@dataclass(frozen=True)
class Quorum:
    rule: str
    met: bool
    sides: dict[str, SideCount]
    overall: SideCount

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "met": self.met,
            "sides": {side: asdict(count) for side, count in self.sides.items()},
            "overall": asdict(self.overall),
        }


def stored_quorum(data: dict[str, Any]) -> Quorum | None:
    """The quorum kept with a decision (Quorum.as_dict), back as a Quorum; None for a malformed
    record."""
    try:
        return Quorum(
            rule=data["rule"],
            met=data["met"],
            # police first, then bar, whatever order the database keeps JSON keys in (jsonb sorts them)
            sides={
                side: SideCount(**data["sides"][side]) for side in ("police", "bar") if side in data["sides"]
            },
            overall=SideCount(**data["overall"]),
        )
    except (KeyError, TypeError, AttributeError):
        return None


def more_than_half(total: int) -> int:
    """The smallest number that is more than half of `total`."""
    return total // 2 + 1


def compute_quorum(*, rule: str, present: dict[str, int], total: dict[str, int]) -> Quorum:
    """Quorum of a meeting from the members present and the members in office, by side.

    `each_side_majority` (the default reading of 3.4): more than half of the police-side members
    and more than half of the bar-side members are present.
    `overall_majority_both_sides`: more than half of all members, with at least one of each side.
    A side with no members cannot meet a quorum.
    """
    sides: dict[str, SideCount] = {}
    all_total = sum(total.values())
    all_present = sum(present.get(side, 0) for side in total)
    overall_required = more_than_half(all_total)
    overall = SideCount(
        all_present, all_total, overall_required, all_total > 0 and all_present >= overall_required
    )
    for side in ("police", "bar"):
        side_total = total.get(side, 0)
        side_present = present.get(side, 0)
        if rule == QuorumRule.OVERALL_MAJORITY_BOTH_SIDES:
            required = 1
        else:
            required = more_than_half(side_total)
        sides[side] = SideCount(
            side_present, side_total, required, side_total > 0 and side_present >= required
        )
    if rule == QuorumRule.OVERALL_MAJORITY_BOTH_SIDES:
        met = overall.met and all(count.met for count in sides.values())
    else:
        met = all(count.met for count in sides.values())
    return Quorum(rule=rule, met=met, sides=sides, overall=overall)


def quorum_of_roster(*, rule: str, roster: Iterable[tuple[str, bool]]) -> Quorum:
    """Quorum from a roster: every member in office on the day as (side, present). What a page
    that lists the members anyway counts with (quorum_for counts the same in SQL)."""
    total: dict[str, int] = {}
    present: dict[str, int] = {}
    for side, here in roster:
        total[side] = total.get(side, 0) + 1
        if here:
            present[side] = present.get(side, 0) + 1
    return compute_quorum(rule=rule, present=present, total=total)
