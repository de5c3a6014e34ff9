"""Reminders of the assignments' deadlines (clause 3.8), by e-mail in the reader's language through
the outbox, as one digest a reader a run.

For each open deadline of each open assignment (alqa/domain/execution.py `open_deadlines`), on a
working day, counted in working days from the deadline under the body's policy:

* `reminder_before_days` before it (step -N), on the day (step 0), and every
  `reminder_every_days` after it (steps N, 2N, …) until it stops running — to the executor;
* at `chair_overdue_days` after it (or later, if that day's run was missed) — to the chair.

Each step is claimed by inserting its row (`AssignmentReminder`, unique on assignment, kind, due
date and step) that points to the mail it went in. The mails are digests: each chair gets one
mail a body listing every assignment that reached the chair's threshold in the run, most overdue
first; each executor's address one mail listing its due steps. The run selects the steps due in a
few queries, then claims and sends them a transaction at a time (`batches`: the chair steps body
by body, then the executors' steps, an address's never split): in each it locks the steps'
assignments and reads them as columns (`_Row`: no models built), reads their claimed steps again
(a worker running at once has either committed its claims, now seen, or waits for this one), and
inserts the rows and the executors' links as plain values (`insert_rows`), the digests and one
audit event a digest and body (its data naming every step the digest covers) in bulk. The batch's
ids go to the database as one list (`any_of`), not one parameter an id.
Two workers at once never send a step twice nor two digests of
the same steps, and a run killed midway keeps the transactions it committed and leaves the rest to
the next run (the task runs every hour of the working day). A deadline moved by an extension has
another due date: its steps start again.

A digest may list thousands of items: each item's translated lines (its deadline's long date, the
working days, the status) are rendered once per line, values and language (`_line`), its URL
from one reversed per language, and the digest's template lays the ready lines out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation

from alqa.domain.audit import NewEvent, record_events
from alqa.domain.execution import Addressee, addressee_of, running_deadlines, working_days_to
from alqa.domain.outbox import queue_mails, render_mail
from alqa.domain.workdays import CalendarRangeError, WorkCalendar, add_working_days
from alqa.domain.workdays_calendar import load_calendar
from alqa.enums import OPEN_ASSIGNMENT, AssignmentStatus, ExecutionDeadline, Role
from alqa.models import (
    Assignment,
    AssignmentReminder,
    Body,
    BodyPolicy,
    ExecutorLink,
    Member,
    OutboxMessage,
)
from alqa.models.bulk import insert_rows
from alqa.models.meetings import executor_label_of, in_reader_language


@dataclass(frozen=True)
class Step:
    assignment_id: int
    body_id: int
    kind: str  # ExecutionDeadline: info, due (to the executor) or chair
    deadline: str  # which deadline: info or due
    due: date
    step: int
    offset: int = 0  # working days from the deadline to the run's day (the chair's: how overdue)
    to: str = ""  # the executor's address as read with the steps (batches keep one address together)

    @property
    def key(self) -> tuple[int, str, date, int]:
        return (self.assignment_id, self.kind, self.due, self.step)


def _steps_of(
    pk: int,
    body_id: int,
    to: str,
    running: list[tuple[str, date]],
    policy: BodyPolicy,
    offsets: dict[date, int],
) -> list[Step]:
    steps = []
    for deadline, due in running:
        offset = offsets[due]  # working days from the deadline to today; negative before it
        if offset == -policy.reminder_before_days or offset == 0:
            steps.append(Step(pk, body_id, deadline, deadline, due, offset, offset, to))
        elif offset > 0 and offset % policy.reminder_every_days == 0:
            steps.append(Step(pk, body_id, deadline, deadline, due, offset, offset, to))
        if offset >= policy.chair_overdue_days:
            steps.append(
                Step(pk, body_id, ExecutionDeadline.CHAIR, deadline, due, policy.chair_overdue_days, offset)
            )
    return steps


def _address(member: int | None, member_email: str | None, email: str, unit_email: str | None) -> str:
    """The executor's address as `addressee` finds it, lower case ("" for none): batches keep
    one address's steps together."""
    to = addressee_of(
        member=(member_email or "", "") if member is not None else None,
        email=email,
        unit_email=unit_email or "",
        language="",
    )
    return to.email.lower() if to is not None else ""


BATCH = 500  # executor steps claimed and sent in one transaction (an address's steps kept together)


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
        (
            pk,
            body_id,
            _address(member, member_email, email, unit_email),
            running_deadlines(status, info_due, due_date),
        )
        for pk, body_id, status, info_due, due_date, member, member_email, email, unit_email in candidates.order_by(
            "pk"
        ).values_list(
            "pk",
            "body_id",
            "status",
            "info_due",
            "due_date",
            "executor_member_id",
            "executor_member__email",
            "executor_email",
            "executor_unit__email",
        )
    ]
    offsets = working_days_to(calendar, (due for *_r, running in rows for _d, due in running), today)
    steps: list[Step] = []
    for pk, body_id, to, running in rows:
        steps.extend(_steps_of(pk, body_id, to, running, policies.get(body_id, default), offsets))
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


@dataclass
class _Digest:
    """One mail of a run: to one chair of one body, or to one executor's address."""

    to: str
    language: str
    template: str
    items: list[dict[str, Any]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


def _body_name(body: Body, language: str) -> str:
    return body.name_kk if language == "kk" and body.name_kk else body.name_ru


@lru_cache(maxsize=16384)
def _line(language: str, line: str, **values: Any) -> str:
    """One translated line of a digest's item (assignment_reminder_line.txt), rendered once per
    line, values and language however many items repeat it: a long date, a plural, a status."""
    with translation.override(language):
        return (
            get_template("alqa/mail/assignment_reminder_line.txt")
            .render({"line": line} | values)
            .removesuffix("\n")
        )


@lru_cache(maxsize=64)
def _status_line(language: str, status: str) -> str:
    """The item's status line, from the status alone (a model's display of a choice costs more
    than the rest of the item)."""
    with translation.override(language):
        return _line(language, "status", status=str(AssignmentStatus(status).label))


_new_token = ExecutorLink._meta.get_field("token").get_default  # the model's own default
_MARK = 987654321  # stands for an assignment's id in the one URL reversed per language
_TOKEN = "alqa-reminder-token"  # stands for a link's token likewise


@lru_cache(maxsize=64)
def _url_parts(language: str, name: str, prefix: str, urlconf: str | None) -> tuple[str, str]:
    """The URL of `name` before and after its one argument (reversed once, not once an item),
    under the script prefix and URL configuration in force (both part of the cache's key)."""
    with translation.override(language):
        url = reverse(name, args=[_MARK if name == "assignment" else _TOKEN], urlconf=urlconf)
    head, _mark, tail = url.partition(str(_MARK) if name == "assignment" else _TOKEN)
    return head, tail


def _url(language: str, name: str, arg: object) -> str:
    head, tail = _url_parts(language, name, get_script_prefix(), get_urlconf())
    return f"{head}{arg}{tail}"


def _item(i: dict[str, Any], language: str, chair: bool) -> dict[str, Any]:
    """What the digest's template prints of one item, in the reader's language (active)."""
    a = i["assignment"]
    out = {
        "step": i["step"],
        "title": a.source_text,
        "body_name": _body_name(a.body, language),
        "due_line": _line(language, "due", deadline=i["deadline"], due=i["due"]),
        "url": _url(language, "assignment", a.pk),
    }
    if chair:
        out["executor_line"] = _line(language, "executor", name=a.executor_label)
        out["days_line"] = _line(language, "passed", days=i["offset"])
        return out
    if i["step"] < 0:
        out["days_line"] = _line(language, "before", days=i["before"])
    elif i["step"] == 0:
        out["days_line"] = _line(language, "today")
    else:
        out["days_line"] = _line(language, "passed", days=i["step"])
    out["status_line"] = _status_line(language, a.status)
    if i.get("link") is not None:
        out["url"] = _url(language, "executor_link", i["link"])
    return out


def _render(d: _Digest) -> OutboxMessage:
    """The digest's mail: its items most overdue first, in its reader's language, each item's
    lines ready (`_item`): the template lays them out."""
    ordered = sorted(d.items, key=lambda i: (-i["offset"], i["assignment"].pk, i["deadline"]))
    chair = d.template == "assignment_reminders_chair"
    with translation.override(d.language):
        items = [_item(i, d.language, chair) for i in ordered]
    bodies = {i["assignment"].body_id: i["assignment"].body for i in ordered}
    body = next(iter(bodies.values())) if len(bodies) == 1 else None
    return render_mail(
        to=d.to,
        template=d.template,
        context={
            "items": items,
            "numbered": len(items) > 1,
            "body_name": _body_name(body, d.language) if body is not None else "",
            "several_bodies": body is None,
        },
        language=d.language,
        body=body,
    )


@dataclass(slots=True)
class _Row:
    """An assignment as a batch reads it under its lock: the columns its mails, claims and events
    read, no models built (a run reads tens of thousands)."""

    pk: int
    body_id: int
    status: str
    info_due: date | None
    due_date: date
    decision_id: int | None
    text_ru: str | None  # the decision's, or the plan item's activity
    text_kk: str | None
    activity_ru: str | None
    activity_kk: str | None
    executor_name: str
    executor_email: str
    executor_language: str
    member_id: int | None
    member_name: str | None
    member_email: str | None
    member_language: str | None
    unit_id: int | None
    unit_name_ru: str | None
    unit_name_kk: str | None
    unit_email: str | None
    body: Body | None = None

    @property
    def source_text(self) -> str:
        """`Assignment.source_text`, in the reader's language (active)."""
        if self.decision_id is not None:
            return in_reader_language(self.text_ru or "", self.text_kk or "")
        return in_reader_language(self.activity_ru or "", self.activity_kk or "")

    @property
    def executor_label(self) -> str:
        return executor_label_of(
            member=self.member_name if self.member_id is not None else None,
            unit=(self.unit_name_ru or "", self.unit_name_kk or "") if self.unit_id is not None else None,
            named=self.executor_name,
        )

    def addressee(self) -> Addressee | None:
        return addressee_of(
            member=(self.member_email or "", self.member_language or "")
            if self.member_id is not None
            else None,
            email=self.executor_email,
            unit_email=self.unit_email or "",  # None without a unit (the join found none)
            language=self.executor_language,
        )

    def running(self) -> list[tuple[str, date]]:
        return running_deadlines(self.status, self.info_due, self.due_date)


_READ = (
    "pk",
    "body_id",
    "status",
    "info_due",
    "due_date",
    "decision_id",
    "decision__text_ru",
    "decision__text_kk",
    "plan_item__activity_ru",
    "plan_item__activity_kk",
    "executor_name",
    "executor_email",
    "executor_language",
    "executor_member_id",
    "executor_member__full_name",
    "executor_member__email",
    "executor_member__language",
    "executor_unit_id",
    "executor_unit__name_ru",
    "executor_unit__name_kk",
    "executor_unit__email",
)


def _send_batch(steps: list[Step], today: date) -> int:
    """Claims and sends `steps` in the caller's transaction, one mail per reader: each chair of a
    body gets one digest of the body's chair steps, each executor's address one digest of its
    steps. Returns how many steps were claimed here (a step a worker running at once claimed
    first, or whose deadline stopped running since the steps were read, is left out)."""
    now = timezone.now()
    ids = sorted({s.assignment_id for s in steps})
    # the batch's assignments locked in one order and read as committed (a worker running at once
    # has either committed its claims, seen by the next statement, or waits for this one): the
    # columns the mails and events read
    rows = {
        row[0]: _Row(*row)
        for row in Assignment.objects.select_for_update(no_key=True, of=("self",))
        .filter(pk__any_of=ids)
        .order_by("pk")
        .values_list(*_READ)
    }
    bodies = Body.objects.in_bulk({a.body_id for a in rows.values()})
    for a in rows.values():
        a.body = bodies[a.body_id]
    claimed = set(
        AssignmentReminder.objects.filter(assignment_id__any_of=ids).values_list(
            "assignment_id", "kind", "due", "step"
        )
    )
    steps = [
        s
        for s in steps
        if s.key not in claimed
        and s.assignment_id in rows
        and (s.deadline, s.due) in rows[s.assignment_id].running()
    ]
    if not steps:
        return 0
    chairs = _chairs({s.body_id for s in steps}, today)
    # each non-member executor's live link (its token), made here for one who has none
    tokens = dict(
        ExecutorLink.objects.filter(assignment_id__any_of=ids, revoked_at__isnull=True).values_list(
            "assignment_id", "token"
        )
    )
    addressees = {
        s.assignment_id: rows[s.assignment_id].addressee() for s in steps if s.kind != ExecutionDeadline.CHAIR
    }
    new_links = []
    for pk, to in addressees.items():
        if to is not None and not to.is_member and pk not in tokens:
            tokens[pk] = _new_token()
            new_links.append((pk, tokens[pk], to.email, to.language, now))
    insert_rows(ExecutorLink, ("assignment_id", "token", "email", "language", "created_at"), new_links)
    digests: dict[tuple[str, int | str, int], _Digest] = {}
    for s in steps:
        a = rows[s.assignment_id]
        item = {"assignment": a, "deadline": s.deadline, "due": s.due, "step": s.step, "offset": s.offset}
        item["before"] = -s.offset  # working days still to the deadline, before it
        if s.kind == ExecutionDeadline.CHAIR:
            readers = [
                digests.setdefault(
                    ("chair", a.body_id, m.pk),
                    _Digest(m.email, m.language or "ru", "assignment_reminders_chair"),
                )
                for m in chairs.get(a.body_id, [])
            ]
        else:
            to = addressees[a.pk]
            item["link"] = tokens[a.pk] if to is not None and not to.is_member else None
            readers = (
                [
                    digests.setdefault(
                        ("executor", to.email.lower(), 0),
                        _Digest(to.email, to.language, "assignment_reminders"),
                    )
                ]
                if to is not None
                else []
            )
        for d in readers:
            d.items.append(item)
            d.steps.append(s)
    mails = queue_mails([_render(d) for d in digests.values()])
    sent: dict[tuple[int, str, date, int], tuple[list[str], int | None]] = {s.key: ([], None) for s in steps}
    for d, mail in zip(digests.values(), mails, strict=True):
        for s in d.steps:
            sent[s.key] = (sent[s.key][0] + [d.to], mail.pk)  # the step's addresses, its last mail
    insert_rows(
        AssignmentReminder,
        ("assignment_id", "kind", "due", "step", "to", "outbox_id", "sent_at"),
        [
            (s.assignment_id, s.kind, s.due, s.step, ", ".join(sent[s.key][0])[:254], sent[s.key][1], now)
            for s in steps
        ],
    )
    # one audit event a digest and body (and one a body for the steps no one could be sent), its
    # data naming every step it covers: the chain seals every reminder row, a few hundred events a
    # run instead of one a step
    events: dict[tuple[int, int | None], tuple[str, list[Step]]] = {}
    for d, mail in zip(digests.values(), mails, strict=True):
        for s in d.steps:
            events.setdefault((s.body_id, mail.pk), (d.to, []))[1].append(s)
    for s in steps:
        if not sent[s.key][0]:
            events.setdefault((s.body_id, None), ("", []))[1].append(s)
    record_events(
        [
            NewEvent(
                action="assignment.reminders_sent"
                if mail_id is not None
                else "assignment.reminders_unaddressed",
                object_type="outboxmessage" if mail_id is not None else "assignmentreminder",
                object_id=str(mail_id) if mail_id is not None else "",
                object_label=to[:300],
                body_id=body_id,
                data={
                    "assignments": sorted({s.assignment_id for s in covered}),
                    "steps": [
                        [s.assignment_id, s.kind, s.deadline, s.due.isoformat(), s.step] for s in covered
                    ],
                },
            )
            for (body_id, mail_id), (to, covered) in events.items()
        ],
        actor=None,
    )
    return len(steps)


def batches(steps: list[Step]) -> list[list[Step]]:
    """The run's transactions: the chair steps body by body (a body's in one, so that each chair
    gets one digest), then the executors' steps, an address's steps never split, about `BATCH`
    steps a transaction."""
    chair: dict[int, list[Step]] = {}
    by_address: dict[str, list[Step]] = {}
    for s in steps:
        if s.kind == ExecutionDeadline.CHAIR:
            chair.setdefault(s.body_id, []).append(s)
        else:
            by_address.setdefault(s.to, []).append(s)
    out = [chair[body_id] for body_id in sorted(chair)]
    current: list[Step] = []
    for address in sorted(by_address):
        current.extend(by_address[address])
        if len(current) >= BATCH:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def send_execution_reminders(*, today: date | None = None, body_ids: list[int] | None = None) -> int:
    """Claims and sends every reminder step due today (nothing on a day off), in the transactions
    `batches` cuts. Returns the number of steps this run claimed; a step another worker claimed
    first is skipped."""
    today = today or timezone.localdate()
    calendar = load_calendar()
    if not calendar.is_working(today):
        return 0
    sent = 0
    for batch in batches(due_steps(today=today, calendar=calendar, body_ids=body_ids)):
        with transaction.atomic():
            sent += _send_batch(batch, today)
    return sent
