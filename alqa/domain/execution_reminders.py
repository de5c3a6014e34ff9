"""Reminders of the assignments' deadlines (clause 3.8), by e-mail in the executor's language
through the outbox.

For each open deadline of each open assignment (alqa/domain/execution.py `open_deadlines`), on a
working day, counted in working days from the deadline under the body's policy:

* `reminder_before_days` before it (step -N), on the day (step 0), and every
  `reminder_every_days` after it (steps N, 2N, …) until it stops running — to the executor;
* at `chair_overdue_days` after it (or later, if that day's run was missed) — to the chair.

Each reminder is claimed by inserting its row (`AssignmentReminder`, unique on assignment,
deadline, due date and step) in its own transaction with its mail and audit event: two workers at
once never send a step twice, and a run killed midway leaves the steps it sent claimed and the
others for the next run (the task runs every hour of the working day). A deadline moved by an
extension has another due date: its steps start again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from alqa.domain.audit import record_event
from alqa.domain.execution import addressee, live_link, open_deadlines, working_days_to
from alqa.domain.outbox import queue_mail
from alqa.domain.workdays import CalendarRangeError, WorkCalendar, add_working_days
from alqa.domain.workdays_calendar import load_calendar
from alqa.enums import OPEN_ASSIGNMENT, ExecutionDeadline, Role
from alqa.models import Assignment, AssignmentReminder, BodyPolicy, ExecutorLink, Member


@dataclass(frozen=True)
class Step:
    assignment: Assignment
    kind: str  # ExecutionDeadline: info, due (to the executor) or chair
    deadline: str  # which deadline: info or due
    due: date
    step: int


def _steps_of(a: Assignment, policy: BodyPolicy, offsets: dict[date, int]) -> list[Step]:
    steps = []
    for deadline, due in open_deadlines(a):
        offset = offsets[due]  # working days from the deadline to today; negative before it
        if offset == -policy.reminder_before_days or offset == 0:
            steps.append(Step(a, deadline, deadline, due, offset))
        elif offset > 0 and offset % policy.reminder_every_days == 0:
            steps.append(Step(a, deadline, deadline, due, offset))
        if offset >= policy.chair_overdue_days:
            steps.append(Step(a, ExecutionDeadline.CHAIR, deadline, due, policy.chair_overdue_days))
    return steps


def due_steps(*, today: date, calendar: WorkCalendar, body_ids: list[int] | None = None) -> list[Step]:
    """Every reminder step due today and not yet claimed: a few queries, whatever the number."""
    policies = {p.body_id: p for p in BodyPolicy.objects.all()}
    default = BodyPolicy()
    longest = max([p.reminder_before_days for p in policies.values()] + [default.reminder_before_days])
    try:
        horizon = add_working_days(calendar, start=today, days=longest).due
    except CalendarRangeError:
        horizon = today + timedelta(days=longest * 2)
    qs = (
        Assignment.objects.filter(status__in=OPEN_ASSIGNMENT)
        .filter(Q(due_date__lte=horizon) | Q(info_due__lte=horizon))
        .select_related(
            "decision", "decision__meeting", "decision__meeting__body", "executor_member", "executor_unit"
        )
        .order_by("pk")
    )
    if body_ids is not None:
        qs = qs.filter(decision__meeting__body_id__in=body_ids)
    rows = list(qs)
    offsets = working_days_to(calendar, (due for a in rows for _deadline, due in open_deadlines(a)), today)
    steps: list[Step] = []
    for a in rows:
        steps.extend(_steps_of(a, policies.get(a.body_id, default), offsets))
    if not steps:
        return []
    claimed = set(
        AssignmentReminder.objects.filter(assignment_id__in={s.assignment.pk for s in steps}).values_list(
            "assignment_id", "kind", "due", "step"
        )
    )
    seen: set[tuple[int, str, date, int]] = set()
    fresh = []
    for s in steps:
        key = (s.assignment.pk, s.kind, s.due, s.step)
        if key not in claimed and key not in seen:
            seen.add(key)
            fresh.append(s)
    return fresh


def _chairs(body_id: int, today: date) -> list[Member]:
    return list(
        Member.objects.filter(body_id=body_id, role=Role.CHAIR).on(today).exclude(email="").order_by("pk")
    )


def _send(s: Step, today: date) -> None:
    a = s.assignment
    body = a.body
    if s.kind == ExecutionDeadline.CHAIR:
        people = [(m.email, m.language or "ru") for m in _chairs(body.pk, today)]
        link = None
    else:
        to = addressee(a)
        people = [(to.email, to.language)] if to else []
        link = None
        if to is not None and not to.is_member:
            link = live_link(a) or ExecutorLink.objects.create(
                assignment=a, email=to.email, language=to.language
            )
    reminder = AssignmentReminder.objects.create(
        assignment=a, kind=s.kind, due=s.due, step=s.step, to=", ".join(p[0] for p in people)[:254]
    )
    for email, language in people:
        reminder.outbox = queue_mail(
            to=email,
            template="assignment_reminder",
            context={
                "assignment": a,
                "kind": s.kind,
                "deadline": s.deadline,
                "due": s.due,
                "step": s.step,
                "link": link,
                "body_name": body.name_kk if language == "kk" and body.name_kk else body.name_ru,
            },
            language=language,
            body=body,
        )
    if reminder.outbox_id:
        reminder.save(update_fields=["outbox"])
    record_event(
        a,
        "assignment.reminded",
        actor=None,
        body=body,
        data={
            "decision": a.decision_id,
            "executor": a.executor_label[:200],
            "kind": s.kind,
            "deadline": s.deadline,
            "due": s.due,
            "step": s.step,
            "to": [p[0] for p in people],
        },
    )


def send_execution_reminders(*, today: date | None = None, body_ids: list[int] | None = None) -> int:
    """Claims and sends every reminder step due today (nothing on a day off). Returns the number
    of steps this run claimed; a step another worker claimed first is skipped."""
    today = today or timezone.localdate()
    calendar = load_calendar()
    if not calendar.is_working(today):
        return 0
    sent = 0
    for s in due_steps(today=today, calendar=calendar, body_ids=body_ids):
        try:
            with transaction.atomic():
                _send(s, today)
            sent += 1
        except IntegrityError:  # another worker claimed this step first
            continue
    return sent
