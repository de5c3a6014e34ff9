"""Reads of the work plans and the compliance remarks: what each page and the period report show,
in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, CharField, Count, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from alqa.enums import PlanItemStatus, PlanPeriod, RemarkStatus, Side
from alqa.models import AgendaItem, Assignment, Body, ComplianceRemark, PlanAmendment, PlanItem, WorkPlan

# The outcome of an item for the statistics (clause 2.2.10).
ON_TIME, LATE, NOT_DONE, OPEN = "on_time", "late", "not_done", "open"
OTHER_SIDE = "other"


def outcome_sql(today: date, prefix: str = "") -> Case:
    """The outcome of a plan item, in SQL: done on time (on or before its deadline), done late,
    not done (refused, carried over, or past its deadline), or open. `prefix` reaches the item
    from another model ("plan_item__" from an assignment)."""

    def f(name: str) -> str:
        return prefix + name

    return Case(
        When(
            Q(**{f("status"): PlanItemStatus.DONE, f("done_on__lte"): F(f("due_date"))}), then=Value(ON_TIME)
        ),
        When(Q(**{f("status"): PlanItemStatus.DONE}), then=Value(LATE)),
        When(
            Q(**{f("status__in"): [PlanItemStatus.NOT_DONE, PlanItemStatus.CARRIED]})
            | Q(**{f("due_date__lt"): today}),
            then=Value(NOT_DONE),
        ),
        default=Value(OPEN),
        output_field=CharField(),
    )


@dataclass
class Tally:
    total: int = 0
    on_time: int = 0
    late: int = 0
    not_done: int = 0
    open: int = 0

    def add(self, outcome: str, count: int = 1) -> None:
        self.total += count
        setattr(self, outcome, getattr(self, outcome) + count)


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


def _statistics(items: QuerySet[PlanItem], today: date) -> dict[int, PlanStats]:
    """The statistics of `items`, by plan: one query, whatever the number of plans. Each item's
    outcome is counted in SQL (`outcome_sql`) beside the sides of its executors (one row an
    executor, one row for an item without any), and tallied here once an item and once a side."""
    stats: dict[int, PlanStats] = {}
    rows = (
        items.annotate(
            outcome=outcome_sql(today),
            side=Coalesce(
                "assignments__executor_member__side",
                "assignments__executor_unit__side",
                Value(OTHER_SIDE),
                output_field=CharField(),
            ),
        )
        .order_by()
        .values_list("plan_id", "id", "outcome", "assignments__id", "side")
    )
    counted: set[tuple[int, int]] = set()
    sided: set[tuple[int, str]] = set()
    for plan_id, item_id, outcome, assignment_id, side in rows:
        plan = stats.setdefault(plan_id, PlanStats())
        if (plan_id, item_id) not in counted:
            counted.add((plan_id, item_id))
            plan.overall.add(outcome)
        if assignment_id is not None and (item_id, side) not in sided:
            sided.add((item_id, side))
            plan.by_side.setdefault(side, Tally()).add(outcome)
    return stats


def plan_statistics(
    body: Body, *, period: str, year: int, quarter: int = 0, today: date | None = None
) -> PlanStats:
    """The statistics of the body's plan for a period (a quarter of a year, or a year: `quarter`
    0), counted in SQL in one query: its items by outcome, and by the side of their responsible
    executors — the member's side, else the unit's, else "other" (a named official); an item
    with executors on both sides counts once on each. No plan for the period: all zero."""
    today = today or timezone.localdate()
    quarter = 0 if period == PlanPeriod.YEAR else quarter
    items = PlanItem.objects.filter(
        plan__body=body, plan__period=period, plan__year=year, plan__quarter=quarter
    )
    found = _statistics(items, today)
    return next(iter(found.values())) if found else PlanStats()


def statistics_of(plan: WorkPlan, today: date | None = None) -> PlanStats:
    """`plan_statistics` of the plan's own body and period."""
    return plan_statistics(plan.body, period=plan.period, year=plan.year, quarter=plan.quarter, today=today)


@dataclass(frozen=True)
class PeriodStatistics:
    plan: WorkPlan
    stats: PlanStats


def current_plan_statistics(body: Body, today: date | None = None) -> list[PeriodStatistics]:
    """The statistics of the body's plans whose period holds today: the quarter's, then the
    year's (those that exist). One query without such a plan, two with them."""
    today = today or timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    plans = sorted(
        WorkPlan.objects.filter(body=body, year=today.year).filter(
            Q(period=PlanPeriod.QUARTER, quarter=quarter) | Q(period=PlanPeriod.YEAR)
        ),
        key=lambda p: p.period != PlanPeriod.QUARTER,
    )
    if not plans:
        return []
    found = _statistics(PlanItem.objects.filter(plan__in=plans), today)
    return [PeriodStatistics(plan=p, stats=found.get(p.pk, PlanStats())) for p in plans]


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


def _items(plan: WorkPlan, today: date) -> list[PlanItem]:
    return list(
        plan.items.annotate(outcome=outcome_sql(today))
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("executor_member", "executor_unit").order_by("id"),
            ),
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("meeting").order_by("id")),
            Prefetch("remarks", queryset=ComplianceRemark.objects.order_by("id")),
        )
        .order_by("number")
    )


def plan_page(plan: WorkPlan, *, next_exists: bool = False) -> PlanPage:
    """Eight queries: the items, their executors, reports on the agenda, remarks, amendments, and
    the statistics (plan_statistics)."""
    today = timezone.localdate()
    items = _items(plan, today)
    rows = [
        PlanItemRow(
            item=i,
            outcome=i.outcome,  # type: ignore[attr-defined]
            executors=[a.executor_label for a in i.assignments.all()],
            reports=list(i.agenda_items.all()),
            remarks=list(i.remarks.all()),
        )
        for i in items
    ]
    amendments = list(plan.amendments.select_related("item", "made_by"))
    return PlanPage(
        plan=plan, rows=rows, stats=statistics_of(plan, today), amendments=amendments, next_exists=next_exists
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
