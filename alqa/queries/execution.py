"""Reads of execution control (clause 3.2): the control list of a body's assignments with its
filters and groups, one assignment with its reports and requests, the decisions' control state.
The control page, its XLSX and PDF, and the API's list read the same `control_list`."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alqa.dates import date_of, long_date
from alqa.domain.execution import (
    open_deadlines,
    overdue_q,
    running_deadlines,
    shown_status,
    shown_status_of,
    working_days_to,
)
from alqa.domain.workdays import WorkCalendar
from alqa.domain.workdays_calendar import load_calendar
from alqa.enums import (
    DUE_OPEN,
    INFO_OPEN,
    OPEN_ASSIGNMENT,
    OVERDUE,
    SHOWN_ASSIGNMENT_STATUS,
    AssignmentStatus,
    ExecutionDeadline,
    Side,
)
from alqa.models import Assignment, AssignmentReminder, Body, Unit, WorkPlan
from alqa.models.meetings import executor_label_of, in_reader_language

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
    plan_id: int | None = None
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
            plan_id=number("plan"),
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
        if self.plan_id:
            qs = qs.filter(plan_item__plan_id=self.plan_id)
        if self.side:
            qs = qs.filter(Q(executor_unit__side=self.side) | Q(executor_member__side=self.side))
        if self.due_from:
            qs = qs.filter(due_date__gte=self.due_from)
        if self.due_to:
            qs = qs.filter(due_date__lte=self.due_to)
        return qs


ROW_RELATED = ("body", "decision__meeting", "plan_item__plan", "executor_member", "executor_unit")


def reminders_shown(rows: Iterable[AssignmentReminder], *, to_chair: bool) -> list[AssignmentReminder]:
    """An assignment's reminders as its page and the API show them, oldest first; those sent to
    the chair only where `to_chair` (`permissions.can_read_chair_reminders`)."""
    return sorted(
        (r for r in rows if to_chair or r.kind != ExecutionDeadline.CHAIR), key=lambda r: (r.sent_at, r.pk)
    )


def body_assignments(body: Body) -> QuerySet[Assignment]:
    """The body's assignments, of its decisions and of its plans' items (by `Assignment.body`)."""
    return Assignment.objects.filter(body=body).select_related(*ROW_RELATED)


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
        if a.plan_item is not None:
            return f"{row.meeting_day.isoformat()} {a.plan_item.plan.label}"
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


# --- the control page: counted in SQL, the long lists a page at a time ---------------------------

PAGE_SIZE = 50  # rows of the list of assignments a page
FIRST_ROWS = 10  # rows of the overdue list and of the week's, the rest behind their filter
# What a row of the page shows, and nothing more: read as columns, no model built.
ROW_COLUMNS = (
    "pk",
    "decision_id",
    "decision__text_ru",
    "decision__text_kk",
    "plan_item__activity_ru",
    "plan_item__activity_kk",
    "executor_member_id",
    "executor_member__full_name",
    "executor_unit_id",
    "executor_unit__name_ru",
    "executor_unit__name_kk",
    "executor_name",
    "due_date",
    "info_due",
    "status",
)


def _week(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def due_this_week_q(today: date) -> Q:
    """Open, not overdue, with a running deadline this week (`ControlList.due_this_week` in SQL:
    when nothing is missed every running deadline is today or later, so the earliest is in the
    week as soon as one is)."""
    monday, sunday = _week(today)
    return ~overdue_q(today) & (
        Q(status__in=DUE_OPEN, due_date__gte=monday, due_date__lte=sunday)
        | Q(status__in=INFO_OPEN, info_due__gte=monday, info_due__lte=sunday)
    )


def _is_due_this_week(status: str, info_due: date | None, due_date: date, today: date) -> bool:
    """`due_this_week_q` on one row's columns: not overdue, its next running deadline this week."""
    monday, sunday = _week(today)
    running = running_deadlines(status, info_due, due_date)
    return (
        shown_status_of(status, info_due, due_date, today) != OVERDUE
        and bool(running)
        and monday <= running[0][1] <= sunday
    )


@dataclass(frozen=True)
class ControlGroup:
    """One group of the filtered assignments, counted in SQL, with the filter that lists it."""

    name: str
    total: int
    overdue: int
    query: str  # the GET parameters narrowing the list to the group; empty when there is none
    day: date | None = None  # a meeting's day
    label: str = field(default="", compare=False)  # what the row shows: the name, or the meeting

    def __post_init__(self) -> None:
        if not self.label:
            label = _("Meeting of %(day)s") % {"day": date_of(self.day)} if self.day else self.name
            object.__setattr__(self, "label", label)


@dataclass(frozen=True)
class PageRow:
    """A row of the control page's lists: what it shows, read as columns (`ROW_COLUMNS`), with the
    status shown and the executor and text named by the same rules as the assignment's own
    (`shown_status_of`, `executor_label_of`, `in_reader_language`)."""

    pk: int
    executor_label: str
    source_text: str
    due_date: date
    status: str  # as shown: `overdue` for an open assignment past a deadline
    status_label: str
    days_overdue: int  # working days
    next_deadline: date | None
    # What the row's cells read, written once a page for each date and number of days (the
    # templates' `truncatechars:120`, `long_date` and the plural of working days, done here):
    short_text: str  # the text cut to SHORT_TEXT characters, as `truncatechars` cuts it
    due_text: str  # the execution deadline in running text
    deadline_text: str  # the next deadline in running text
    status_text: str  # the status, and for an overdue one how many working days


@dataclass
class ControlPage:
    today: date
    total: int
    overdue_count: int
    week_count: int
    overdue: list[PageRow]  # the first FIRST_ROWS, earliest deadline first
    this_week: list[PageRow]
    groups: list[ControlGroup]
    rows: list[PageRow]  # the page of the list
    page: int
    pages: int


class _PageRows:
    """Builds `PageRow`s from `ROW_COLUMNS`: the status labels translated once a page, the working
    days overdue one subtraction on the calendar's index a missed date."""

    def __init__(self, today: date, calendar: WorkCalendar):
        self.today = today
        self.calendar = calendar
        self.labels = {value: str(label) for value, label in STATUS_CHOICES}
        self.late: dict[date, int] = {}
        self.days: dict[int, str] = {}

    def _status_text(self, label: str, days: int) -> str:
        if not days:
            return label
        if days not in self.days:
            self.days[days] = ngettext("%(n)s working day", "%(n)s working days", days) % {"n": days}
        return f"{label} ({self.days[days]})"

    def __call__(self, columns: dict[str, Any]) -> PageRow:
        status, info_due, due_date = columns["status"], columns["info_due"], columns["due_date"]
        running = running_deadlines(status, info_due, due_date)
        shown = shown_status_of(status, info_due, due_date, self.today)
        days = 0
        if shown == OVERDUE:
            missed = min(due for _kind, due in running if due < self.today)
            if missed not in self.late:
                self.late |= working_days_to(self.calendar, [missed], self.today)
            days = self.late[missed]
        if columns["decision_id"] is not None:
            text = in_reader_language(columns["decision__text_ru"], columns["decision__text_kk"])
        else:
            text = in_reader_language(columns["plan_item__activity_ru"], columns["plan_item__activity_kk"])
        next_deadline = running[0][1] if running else None
        return PageRow(
            pk=columns["pk"],
            executor_label=executor_label_of(
                member=columns["executor_member__full_name"] if columns["executor_member_id"] else None,
                unit=(columns["executor_unit__name_ru"], columns["executor_unit__name_kk"])
                if columns["executor_unit_id"]
                else None,
                named=columns["executor_name"],
            ),
            source_text=text,
            due_date=due_date,
            status=shown,
            status_label=self.labels[shown],
            days_overdue=days,
            next_deadline=next_deadline,
            short_text=shortened(text, SHORT_TEXT),
            due_text=long_date(due_date),
            deadline_text=long_date(next_deadline),
            status_text=self._status_text(self.labels[shown], days),
        )


SHORT_TEXT = 120  # characters of a decision's text or a plan item's activity in the page's lists


def shortened(text: str, length: int) -> str:
    """`text` cut as the `truncatechars` filter cuts it (`Truncator.chars`), without walking the
    characters of a text already short enough (it is returned in NFC, as `Truncator` returns it)."""
    normal = unicodedata.normalize("NFC", text)
    if len(normal) <= length:
        return normal
    return Truncator(text).chars(length)


def _groups(qs: QuerySet[Assignment], by: str, today: date) -> tuple[list[ControlGroup], dict[str, int]]:
    """The groups of `by`, and the figures of the whole filtered list summed from them (every
    assignment is in exactly one group): total, overdue and due this week. One query."""
    counted = {
        "total": Count("pk"),
        "late": Count("pk", filter=overdue_q(today)),
        "week": Count("pk", filter=due_this_week_q(today)),
    }
    groups: list[ControlGroup] = []
    figures = {"total": 0, "overdue": 0, "week": 0}

    def add(total: int, late: int, week: int) -> None:
        figures["total"] += total
        figures["overdue"] += late
        figures["week"] += week

    if by == "unit":
        for unit_id, ru, kk, total, late, week in (
            qs.order_by()
            .values_list("executor_unit_id", "executor_unit__name_ru", "executor_unit__name_kk")
            .annotate(**counted)
        ):
            add(total, late, week)
            name = Unit.name_of(ru, kk) if unit_id else _("Without a unit")
            groups.append(ControlGroup(name, total, late, f"unit={unit_id}" if unit_id else ""))
    elif by == "meeting":
        for meeting_id, starts_at, plan_id, period, year, quarter, approved_at, total, late, week in (
            qs.order_by()
            .values_list(
                "decision__meeting_id",
                "decision__meeting__starts_at",
                "plan_item__plan_id",
                "plan_item__plan__period",
                "plan_item__plan__year",
                "plan_item__plan__quarter",
                "plan_item__plan__approved_at",
            )
            .annotate(**counted)
        ):
            add(total, late, week)
            if meeting_id:
                day = timezone.localtime(starts_at).date()
                groups.append(ControlGroup(day.isoformat(), total, late, f"meeting={meeting_id}", day))
            else:
                plan = WorkPlan(period=period, year=year, quarter=quarter, approved_at=approved_at)
                groups.append(ControlGroup(_plan_key(plan), total, late, f"plan={plan_id}"))
    elif by == "side":
        by_side: dict[str, list[int]] = {}
        for unit_side, member_side, total, late, week in (
            qs.order_by().values_list("executor_unit__side", "executor_member__side").annotate(**counted)
        ):
            add(total, late, week)
            side = unit_side or member_side or ""
            figures_of = by_side.setdefault(side, [0, 0])
            figures_of[0] += total
            figures_of[1] += late
        for side, (total, late) in by_side.items():
            name = str(Side(side).label) if side else _("Side not known")
            groups.append(ControlGroup(name, total, late, f"side={side}" if side else ""))
    else:
        by_executor: dict[tuple[str, str], list[int]] = {}
        for member_id, member, unit_id, ru, kk, named, total, late, week in (
            qs.order_by()
            .values_list(
                "executor_member_id",
                "executor_member__full_name",
                "executor_unit_id",
                "executor_unit__name_ru",
                "executor_unit__name_kk",
                "executor_name",
            )
            .annotate(**counted)
        ):
            add(total, late, week)
            if member_id:
                key = (member or "", f"member={member_id}")
            elif unit_id:
                key = (Unit.name_of(ru, kk) or "", f"unit={unit_id}")
            else:
                key = (named, "executor=" + quote(named))
            figures_of = by_executor.setdefault(key, [0, 0])
            figures_of[0] += total
            figures_of[1] += late
        groups = [ControlGroup(name, t, late, query) for (name, query), (t, late) in by_executor.items()]
    return sorted(groups, key=lambda g: (g.name.casefold(), g.query)), figures


def _plan_key(plan: WorkPlan) -> str:
    day = (
        timezone.localtime(plan.approved_at).date()
        if plan.approved_at
        else date(plan.year, 3 * plan.quarter - 2 if plan.quarter else 1, 1)
    )
    return f"{day.isoformat()} {plan.label}"


def _window(qs: QuerySet[Assignment], window: slice) -> list[dict[str, Any]]:
    """The rows of `window` in deadline order, as the columns a row shows. Sorted and cut on the
    assignments alone (their numbers in a subquery), then joined to their decision, plan item and
    executor: only the rows shown are joined, not every open assignment of the body."""
    shown = qs.order_by("due_date", "pk").values("pk")[window]
    return list(Assignment.objects.filter(pk__in=shown).order_by("due_date", "pk").values(*ROW_COLUMNS))


def control_page(
    body: Body, filters: ControlFilters, *, group: str, page: int = 1, today: date | None = None
) -> ControlPage:
    """The control page of a body: the groups counted in SQL over every filtered assignment (the
    page's figures are their sums), the overdue and this week's first rows, and one page of the
    list. At most four queries (and the calendar's exceptions, kept by the calendar) whatever the
    number of assignments; working days overdue are subtractions on the calendar's index.

    The first page of the list is the head of the filtered assignments in deadline order, so the
    first overdue rows and the first of the week are read from it when it holds enough of them
    (or all there are), without a query of their own."""
    today = today or timezone.localdate()
    qs = filters.apply(Assignment.objects.filter(body=body), today)
    groups, figures = _groups(qs, group, today)
    pages = max(1, -(-figures["total"] // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = _window(qs, slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)) if figures["total"] else []

    def first(kind: str, belongs: Any, q: Q) -> list[dict[str, Any]]:
        if not figures[kind]:
            return []
        if page == 1:
            found = [r for r in rows if belongs(r["status"], r["info_due"], r["due_date"], today)]
            if len(found) >= min(figures[kind], FIRST_ROWS):
                return found[:FIRST_ROWS]
        return _window(qs.filter(q), slice(0, FIRST_ROWS))

    overdue = first("overdue", lambda *c: shown_status_of(*c) == OVERDUE, overdue_q(today))
    week = first("week", _is_due_this_week, due_this_week_q(today))
    build = _PageRows(today, load_calendar())
    return ControlPage(
        today=today,
        total=figures["total"],
        overdue_count=figures["overdue"],
        week_count=figures["week"],
        overdue=[build(r) for r in overdue],
        this_week=[build(r) for r in week],
        groups=groups,
        rows=[build(r) for r in rows],
        page=page,
        pages=pages,
    )


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
    qs = Assignment.objects.filter(decision_id__in=decision_ids).select_related(*ROW_RELATED).order_by("pk")
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
