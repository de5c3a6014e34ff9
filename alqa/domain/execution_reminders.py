"""Reminders of the assignments' deadlines (clause 3.8), by e-mail in the executor's language
through the outbox.

For each open deadline of each open assignment (alqa/domain/execution.py `open_deadlines`), on a
working day, counted in working days from the deadline under the body's policy:

* `reminder_before_days` before it (step -N), on the day (step 0), and every
  `reminder_every_days` after it (steps N, 2N, …) until it stops running — to the executor;
* at `chair_overdue_days` after it (or later, if that day's run was missed) — to the chair.

Each reminder is claimed by inserting its row (`AssignmentReminder`, unique on assignment,
deadline, due date and step). The run selects the steps due in a few queries, then claims and
sends them a batch at a time: in one transaction per batch it locks the batch's assignments,
reads their claimed steps again (a worker running at once has either committed its claims, now
seen, or waits for this batch), and inserts the rows, the executors' links, the mails and the
audit events in bulk. Two workers at once never send a step twice, and a run killed midway keeps
the batches it committed and leaves the rest for the next run (the task runs every hour of the
working day). A deadline moved by an extension has another due date: its steps start again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from alqa.domain.audit import NewEvent, record_events
from alqa.domain.execution import addressee, open_deadlines, running_deadlines, working_days_to
from alqa.domain.outbox import queue_mails, render_mail
from alqa.domain.workdays import CalendarRangeError, WorkCalendar, add_working_days
from alqa.domain.workdays_calendar import load_calendar
from alqa.enums import OPEN_ASSIGNMENT, ExecutionDeadline, Role
from alqa.models import Assignment, AssignmentReminder, BodyPolicy, ExecutorLink, Member, OutboxMessage


@dataclass(frozen=True)
class Step:
    assignment_id: int
    body_id: int
    kind: str  # ExecutionDeadline: info, due (to the executor) or chair
    deadline: str  # which deadline: info or due
    due: date
    step: int

    @property
    def key(self) -> tuple[int, str, date, int]:
        return (self.assignment_id, self.kind, self.due, self.step)


def _steps_of(
    pk: int, body_id: int, running: list[tuple[str, date]], policy: BodyPolicy, offsets: dict[date, int]
) -> list[Step]:
    steps = []
    for deadline, due in running:
        offset = offsets[due]  # working days from the deadline to today; negative before it
        if offset == -policy.reminder_before_days or offset == 0:
            steps.append(Step(pk, body_id, deadline, deadline, due, offset))
        elif offset > 0 and offset % policy.reminder_every_days == 0:
            steps.append(Step(pk, body_id, deadline, deadline, due, offset))
        if offset >= policy.chair_overdue_days:
            steps.append(Step(pk, body_id, ExecutionDeadline.CHAIR, deadline, due, policy.chair_overdue_days))
    return steps


BATCH = 500  # steps claimed and sent in one transaction


def _open(body_ids: list[int] | None, horizon: date) -> QuerySet[Assignment]:
    qs = Assignment.objects.filter(status__in=OPEN_ASSIGNMENT).filter(
        Q(due_date__lte=horizon) | Q(info_due__lte=horizon)
    )
    return qs.filter(body_id__in=body_ids) if body_ids is not None else qs


def due_steps(*, today: date, calendar: WorkCalendar, body_ids: list[int] | None = None) -> list[Step]:
    """Every reminder step due today and not yet claimed, from the deadlines' columns alone (the
    rows themselves are read by the batch that sends them): three queries, whatever the number."""
    policies = {p.body_id: p for p in BodyPolicy.objects.all()}
    default = BodyPolicy()
    longest = max([p.reminder_before_days for p in policies.values()] + [default.reminder_before_days])
    try:
        horizon = add_working_days(calendar, start=today, days=longest).due
    except CalendarRangeError:
        horizon = today + timedelta(days=longest * 2)
    candidates = _open(body_ids, horizon)
    rows = [
        (pk, body_id, running_deadlines(status, info_due, due_date))
        for pk, body_id, status, info_due, due_date in candidates.order_by("pk").values_list(
            "pk", "body_id", "status", "info_due", "due_date"
        )
    ]
    offsets = working_days_to(calendar, (due for _pk, _b, running in rows for _d, due in running), today)
    steps: list[Step] = []
    for pk, body_id, running in rows:
        steps.extend(_steps_of(pk, body_id, running, policies.get(body_id, default), offsets))
    if not steps:
        return []
    claimed = set(
        AssignmentReminder.objects.filter(assignment__in=candidates.values("pk")).values_list(
            "assignment_id", "kind", "due", "step"
        )
    )
    seen: set[tuple[int, str, date, int]] = set()
    fresh = []
    for s in steps:
        if s.key not in claimed and s.key not in seen:
            seen.add(s.key)
            fresh.append(s)
    return fresh


def _chairs(body_ids: set[int], today: date) -> dict[int, list[Member]]:
    chairs: dict[int, list[Member]] = {}
    for m in (
        Member.objects.filter(body_id__in=body_ids, role=Role.CHAIR)
        .on(today)
        .exclude(email="")
        .order_by("pk")
    ):
        chairs.setdefault(m.body_id, []).append(m)
    return chairs


def _send_batch(steps: list[Step], today: date) -> int:
    """Claims and sends `steps` in the caller's transaction; returns how many were claimed here
    (a step a worker running at once claimed first, or whose deadline stopped running since the
    steps were read, is left out)."""
    ids = sorted({s.assignment_id for s in steps})
    # the batch's assignments locked in one order, then read with their claims as committed
    list(
        Assignment.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk")
    )
    rows = {
        a.pk: a
        for a in Assignment.objects.filter(pk__in=ids).select_related(
            "body", "decision", "plan_item", "executor_member", "executor_unit"
        )
    }
    claimed = set(
        AssignmentReminder.objects.filter(assignment_id__in=ids).values_list(
            "assignment_id", "kind", "due", "step"
        )
    )
    steps = [
        s
        for s in steps
        if s.key not in claimed
        and s.assignment_id in rows
        and (s.deadline, s.due) in open_deadlines(rows[s.assignment_id])
    ]
    if not steps:
        return 0
    chairs = _chairs({s.body_id for s in steps}, today)
    links = {
        link.assignment_id: link
        for link in ExecutorLink.objects.filter(assignment_id__in=ids, revoked_at__isnull=True)
    }
    new_links = []
    for s in steps:
        a = rows[s.assignment_id]
        to = addressee(a) if s.kind != ExecutionDeadline.CHAIR else None
        if to is not None and not to.is_member and a.pk not in links:
            links[a.pk] = ExecutorLink(assignment=a, email=to.email, language=to.language)
            new_links.append(links[a.pk])
    ExecutorLink.objects.bulk_create(new_links)
    mails: list[OutboxMessage] = []
    sent: list[tuple[Step, list[str], int | None]] = []  # the step, its addresses, its last mail's place
    for s in steps:
        a = rows[s.assignment_id]
        body = a.body
        link = None
        if s.kind == ExecutionDeadline.CHAIR:
            people = [(m.email, m.language or "ru") for m in chairs.get(a.body_id, [])]
        else:
            to = addressee(a)
            people = [(to.email, to.language)] if to else []
            if to is not None and not to.is_member:
                link = links[a.pk]
        for email, language in people:
            mails.append(
                render_mail(
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
            )
        sent.append((s, [p[0] for p in people], len(mails) - 1 if people else None))
    queue_mails(mails)
    AssignmentReminder.objects.bulk_create(
        [
            AssignmentReminder(
                assignment_id=s.assignment_id,
                kind=s.kind,
                due=s.due,
                step=s.step,
                to=", ".join(to)[:254],
                outbox=mails[last] if last is not None else None,
            )
            for s, to, last in sent
        ],
        batch_size=BATCH,
    )
    record_events(
        [
            NewEvent(
                action="assignment.reminded",
                object_type="assignment",
                object_id=str(s.assignment_id),
                object_label=str(rows[s.assignment_id])[:300],
                body_id=s.body_id,
                data={
                    "decision": rows[s.assignment_id].decision_id,
                    "plan_item": rows[s.assignment_id].plan_item_id,
                    "executor": rows[s.assignment_id].executor_label[:200],
                    "kind": s.kind,
                    "deadline": s.deadline,
                    "due": s.due,
                    "step": s.step,
                    "to": to,
                },
            )
            for s, to, _last in sent
        ],
        actor=None,
    )
    return len(sent)


def send_execution_reminders(*, today: date | None = None, body_ids: list[int] | None = None) -> int:
    """Claims and sends every reminder step due today (nothing on a day off), `BATCH` steps a
    transaction. Returns the number of steps this run claimed; a step another worker claimed
    first is skipped."""
    today = today or timezone.localdate()
    calendar = load_calendar()
    if not calendar.is_working(today):
        return 0
    steps = due_steps(today=today, calendar=calendar, body_ids=body_ids)
    sent = 0
    for first in range(0, len(steps), BATCH):
        with transaction.atomic():
            sent += _send_batch(steps[first : first + BATCH], today)
    return sent
