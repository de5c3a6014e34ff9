"""Reads of the work plans and the compliance remarks: what each page and the period report show,
in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch
from django.utils import timezone

from alqa.enums import PlanItemStatus, RemarkStatus, Side
from alqa.models import AgendaItem, Assignment, Body, ComplianceRemark, PlanAmendment, PlanItem, WorkPlan

# The outcome of an item for the statistics (clause 2.2.10).
ON_TIME, LATE, NOT_DONE, OPEN = "on_time", "late", "not_done", "open"
OTHER_SIDE = "other"


def item_outcome(item: PlanItem, today: date) -> str:
    """Done on time, done late, not done (refused, carried over, or past its deadline), or open."""
    if item.status == PlanItemStatus.DONE:
        return ON_TIME if item.done_on is not None and item.done_on <= item.due_date else LATE
    if item.status in (PlanItemStatus.NOT_DONE, PlanItemStatus.CARRIED) or item.due_date < today:
        return NOT_DONE
    return OPEN


@dataclass
class Tally:
    total: int = 0
    on_time: int = 0
    late: int = 0
    not_done: int = 0
    open: int = 0

    def add(self, outcome: str) -> None:
        self.total += 1
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class PlanStats:
    """Counts of a plan's items by outcome, overall and by the side of their executors (an item
    with executors on both sides counts on both; a named official outside both is "other")."""

    overall: Tally = field(default_factory=Tally)
    by_side: dict[str, Tally] = field(default_factory=dict)

    @property
    def sides(self) -> list[tuple[str, Tally]]:
        return [
            (side, self.by_side[side]) for side in (Side.POLICE, Side.BAR, OTHER_SIDE) if side in self.by_side
        ]


def _sides(item: PlanItem) -> set[str]:
    sides = set()
    for a in item.assignments.all():
        if a.executor_member is not None:
            sides.add(a.executor_member.side)
        elif a.executor_unit is not None:
            sides.add(a.executor_unit.side)
        else:
            sides.add(OTHER_SIDE)
    return sides


def plan_stats(items: list[PlanItem], today: date) -> PlanStats:
    stats = PlanStats()
    for item in items:
        outcome = item_outcome(item, today)
        stats.overall.add(outcome)
        for side in _sides(item):
            stats.by_side.setdefault(side, Tally()).add(outcome)
    return stats


@dataclass(frozen=True)
class PlanItemRow:
    item: PlanItem
    outcome: str
    executors: list[str]
    reports: list[AgendaItem]
    remarks: list[ComplianceRemark]


@dataclass(frozen=True)
class PlanPage:
    plan: WorkPlan
    rows: list[PlanItemRow]
    stats: PlanStats
    amendments: list[PlanAmendment]
    next_exists: bool


def _items(plan: WorkPlan) -> list[PlanItem]:
    return list(
        plan.items.prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("executor_member", "executor_unit").order_by("id"),
            ),
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("meeting").order_by("id")),
            Prefetch("remarks", queryset=ComplianceRemark.objects.order_by("id")),
        ).order_by("number")
    )


def plan_page(plan: WorkPlan, *, next_exists: bool = False) -> PlanPage:
    """Six queries: the items, their executors, reports on the agenda, remarks, amendments."""
    today = timezone.localdate()
    items = _items(plan)
    rows = [
        PlanItemRow(
            item=i,
            outcome=item_outcome(i, today),
            executors=[a.executor_label for a in i.assignments.all()],
            reports=list(i.agenda_items.all()),
            remarks=list(i.remarks.all()),
        )
        for i in items
    ]
    amendments = list(plan.amendments.select_related("item", "made_by"))
    return PlanPage(
        plan=plan, rows=rows, stats=plan_stats(items, today), amendments=amendments, next_exists=next_exists
    )


def plan_list(body: Body) -> list[WorkPlan]:
    """The body's plans, newest period first, each with its number of items (one query)."""
    return list(
        WorkPlan.objects.filter(body=body)
        .annotate(item_count=Count("items"))
        .order_by("-year", "period", "-quarter")
    )


def remark_register(body: Body, *, status: str = "") -> list[ComplianceRemark]:
    """The body's remarks, newest first, filtered by state; each with its author, its decision or
    plan item and the meetings its question is on (three queries)."""
    remarks = ComplianceRemark.objects.filter(body=body).select_related(
        "author", "decision__meeting", "decision__agenda_item", "plan_item__plan", "proposal"
    )
    if status in RemarkStatus.values:
        remarks = remarks.filter(status=status)
    return list(
        remarks.prefetch_related(
            Prefetch("proposal__items", queryset=AgendaItem.objects.select_related("meeting").order_by("id"))
        ).order_by("-created_at", "-id")
    )
