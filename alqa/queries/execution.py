"""Reads of execution control (clause 3.2): the control list of a body's assignments with its
filters and groups, one assignment with its reports and requests, the decisions' control state.
The control page, its XLSX and PDF, and the API's list read the same `control_list`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa.domain.execution import open_deadlines, overdue_q, shown_status, working_days_to
from alqa.domain.workdays_calendar import load_calendar
from alqa.enums import OPEN_ASSIGNMENT, OVERDUE, SHOWN_ASSIGNMENT_STATUS, AssignmentStatus, Side
from alqa.models import Assignment, Body

STATUS_CHOICES = SHOWN_ASSIGNMENT_STATUS


@dataclass
class ControlFilters:
    """What the control page, its exports and the API filter by; empty means all."""

    status: str = ""
    overdue: bool = False
    due_this_week: bool = False
    executor: str = ""  # a part of the executor's name
    unit_id: int | None = None
    member_id: int | None = None
    meeting_id: int | None = None
    side: str = ""
    due_from: date | None = None
    due_to: date | None = None
    # The control page shows the assignments still open unless a status is chosen or closed ones
    # are asked for; the API's list and the exports of a period show all.
    include_closed: bool = True

    @classmethod
    def from_query(cls, data: Any) -> ControlFilters:
        """From a page's GET parameters; anything not understood is left out."""

        def number(key: str) -> int | None:
            value = (data.get(key) or "").strip()
            return int(value) if value.isdigit() and len(value) < 10 else None

        def day(key: str) -> date | None:
            try:
                return date.fromisoformat((data.get(key) or "").strip())
            except ValueError:
                return None

        status = data.get("status") or ""
        return cls(
            status=status if status in dict(STATUS_CHOICES) else "",
            overdue=data.get("overdue") in ("1", "true", "on"),
            due_this_week=data.get("week") in ("1", "true", "on"),
            executor=(data.get("executor") or "").strip()[:100],
            unit_id=number("unit"),
            member_id=number("member"),
            meeting_id=number("meeting"),
            side=data.get("side") if data.get("side") in Side.values else "",
            due_from=day("from"),
            due_to=day("to"),
            include_closed=data.get("closed") in ("1", "true", "on") or bool(day("from") or day("to")),
        )

    def apply(self, qs: QuerySet[Assignment], today: date) -> QuerySet[Assignment]:
        if self.status == OVERDUE or self.overdue:
            qs = qs.filter(overdue_q(today))
        if self.status and self.status != OVERDUE:
            qs = qs.filter(status=self.status)
        elif not self.include_closed:
            qs = qs.filter(status__in=OPEN_ASSIGNMENT)
        if self.due_this_week:
            monday = today - timedelta(days=today.weekday())
            qs = qs.filter(
                status__in=OPEN_ASSIGNMENT, due_date__gte=monday, due_date__lte=monday + timedelta(days=6)
            )
        if self.executor:
            qs = qs.filter(
                Q(executor_name__icontains=self.executor)
                | Q(executor_member__full_name__icontains=self.executor)
                | Q(executor_unit__name_ru__icontains=self.executor)
                | Q(executor_unit__name_kk__icontains=self.executor)
            )
        if self.unit_id:
            qs = qs.filter(executor_unit_id=self.unit_id)
        if self.member_id:
            qs = qs.filter(executor_member_id=self.member_id)
        if self.meeting_id:
            qs = qs.filter(decision__meeting_id=self.meeting_id)
        if self.side:
            qs = qs.filter(Q(executor_unit__side=self.side) | Q(executor_member__side=self.side))
        if self.due_from:
            qs = qs.filter(due_date__gte=self.due_from)
        if self.due_to:
            qs = qs.filter(due_date__lte=self.due_to)
        return qs


def body_assignments(body: Body) -> QuerySet[Assignment]:
    return Assignment.objects.filter(decision__meeting__body=body).select_related(
        "decision", "decision__meeting", "executor_member", "executor_unit"
    )


@dataclass(frozen=True)
class ControlRow:
    assignment: Assignment
    status: str  # as shown: `overdue` for an open assignment past a deadline
    status_label: str
    days_overdue: int  # working days
    side: str
    meeting_day: date
    next_deadline: date | None
    next_deadline_kind: str


@dataclass
class ControlList:
    rows: list[ControlRow]
    today: date
    counts: Counter = field(default_factory=Counter)
    limit: int | None = None

    @property
    def cut(self) -> bool:
        """Whether the list stops at its limit (the filters narrow it; the XLSX has all)."""
        return self.limit is not None and len(self.rows) >= self.limit

    @property
    def overdue(self) -> list[ControlRow]:
        return [r for r in self.rows if r.status == OVERDUE]

    @property
    def due_this_week(self) -> list[ControlRow]:
        monday = self.today - timedelta(days=self.today.weekday())
        sunday = monday + timedelta(days=6)
        return [
            r
            for r in self.rows
            if r.status != OVERDUE and r.next_deadline is not None and monday <= r.next_deadline <= sunday
        ]

    def grouped(self, by: str) -> list[tuple[str, list[ControlRow]]]:
        """The rows by executor, unit, meeting or side, groups in order of their names."""
        groups: dict[str, list[ControlRow]] = {}
        for row in self.rows:
            groups.setdefault(_group_key(row, by), []).append(row)
        return sorted(groups.items(), key=lambda g: g[0])


def _group_key(row: ControlRow, by: str) -> str:
    a = row.assignment
    if by == "unit":
        return a.executor_unit.name if a.executor_unit else _("Without a unit")
    if by == "meeting":
        return row.meeting_day.isoformat()
    if by == "side":
        return str(Side(row.side).label) if row.side else _("Side not known")
    return a.executor_label


def _missed(a: Assignment, today: date) -> date | None:
    return min((due for _kind, due in open_deadlines(a) if due < today), default=None)


def _row(a: Assignment, today: date, late: dict[date, int]) -> ControlRow:
    """`late`: the working days from each missed date to today (`working_days_to`)."""
    status = shown_status(a, today)
    missed = _missed(a, today)
    running = open_deadlines(a)
    side = (a.executor_unit.side if a.executor_unit else "") or (
        a.executor_member.side if a.executor_member else ""
    )
    labels = dict(STATUS_CHOICES)
    return ControlRow(
        assignment=a,
        status=status,
        status_label=str(labels[status]),
        days_overdue=late[missed] if missed is not None and status == OVERDUE else 0,
        side=side,
        meeting_day=a.meeting_day,
        next_deadline=running[0][1] if running else None,
        next_deadline_kind=running[0][0] if running else "",
    )


def control_list(
    body: Body, filters: ControlFilters | None = None, *, today: date | None = None, limit: int | None = None
) -> ControlList:
    """The body's assignments filtered, with the status shown, working days overdue and the next
    deadline: one query (and the calendar's exceptions, kept by the calendar)."""
    today = today or timezone.localdate()
    qs = (filters or ControlFilters()).apply(body_assignments(body), today)
    qs = qs.order_by("due_date", "pk")
    if limit is not None:
        qs = qs[:limit]
    assignments = list(qs)
    late = working_days_to(load_calendar(), filter(None, (_missed(a, today) for a in assignments)), today)
    rows = [_row(a, today, late) for a in assignments]
    return ControlList(rows=rows, today=today, counts=Counter(r.status for r in rows), limit=limit)


def period_figures(listing: ControlList) -> dict[str, int]:
    """The figures of the control report: executed on time or late (closed by the deadline's day
    or after), overdue, still running, withdrawn."""
    figures = Counter(total=len(listing.rows))
    for row in listing.rows:
        a = row.assignment
        if a.status == AssignmentStatus.DONE:
            closed = timezone.localtime(a.closed_at).date() if a.closed_at else a.due_date
            figures["on_time" if closed <= a.due_date else "late"] += 1
        elif a.status == AssignmentStatus.WITHDRAWN:
            figures["withdrawn"] += 1
        elif row.status == OVERDUE:
            figures["overdue"] += 1
        else:
            figures["running"] += 1
    return {k: figures[k] for k in ("total", "on_time", "late", "overdue", "running", "withdrawn")}


def decision_states(decision_ids: list[int], *, today: date | None = None) -> dict[int, list[ControlRow]]:
    """Each decision's assignments with their shown state, for the meeting page: one query."""
    today = today or timezone.localdate()
    result: dict[int, list[ControlRow]] = {}
    qs = (
        Assignment.objects.filter(decision_id__in=decision_ids)
        .select_related("decision", "decision__meeting", "executor_member", "executor_unit")
        .order_by("pk")
    )
    assignments = list(qs)
    late = working_days_to(load_calendar(), filter(None, (_missed(a, today) for a in assignments)), today)
    for a in assignments:
        if a.decision_id is not None:
            result.setdefault(a.decision_id, []).append(_row(a, today, late))
    return result


def decision_control_state(rows: list[ControlRow]) -> str:
    """A decision's control state from its assignments: overdue, open, done or withdrawn."""
    if not rows:
        return ""
    if any(r.status == OVERDUE for r in rows):
        return _("Overdue")
    if any(r.assignment.status in OPEN_ASSIGNMENT for r in rows):
        return _("Under control")
    if all(r.assignment.status == AssignmentStatus.WITHDRAWN for r in rows):
        return _("Withdrawn")
    return _("Executed")
