"""Execution control of assignments (clauses 3.2, 3.8).

An assignment (`Assignment`: an executor of a decision) runs issued → received → information
given → report submitted → done, or returned for rework (and submitted again), or withdrawn. Two
deadlines are followed while it is open:

* the **information deadline**: the body's `executor_information_days` working days after the
  executor's receipt of the protocol (the acknowledgement through the distribution mail, or the
  day a paper copy was handed over, recorded by the secretary) — open until the information is
  given;
* the **execution deadline** (`due_date`): set by the group, or counted again from the day an
  extension is granted — open until a report on execution is submitted (again open when the
  report is returned).

"Overdue" is not stored: an open assignment is overdue while today is after one of its open
deadlines (`is_overdue`), so that it needs no nightly job to become true, and stops being true the
moment a report or an extension arrives. Lists filter it with `overdue_q`, the same rule in SQL.

Every change runs in one transaction under the assignment's row lock with its state read again
inside it, and records its audit event there. Repeating an action already done (the same report,
the same decision) changes nothing and is not an error; a decision contrary to one already taken
is a Conflict (409 in the API).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa.domain.attachments import CheckedFile, check_files, store_checked
from alqa.domain.audit import record_event
from alqa.domain.case_guard import audit_data, check_texts
from alqa.domain.errors import Conflict
from alqa.domain.file_guard import check_file_texts
from alqa.domain.workdays import LAST_YEAR, CalendarRangeError, WorkCalendar, add_working_days
from alqa.domain.workdays_calendar import calendar_for_deadlines
from alqa.enums import (
    DUE_OPEN,
    INFO_OPEN,
    OPEN_ASSIGNMENT,
    OVERDUE,
    AssignmentStatus,
    ExecutionDeadline,
    ExtensionStatus,
    ReportKind,
    ReportStatus,
    Role,
)
from alqa.models import (
    Assignment,
    AssignmentFile,
    AssignmentReport,
    BodyPolicy,
    ExecutorLink,
    ExtensionRequest,
    Member,
    Protocol,
    User,
)
from alqa.models.execution import REASON_LIMIT, REPORT_TEXT_LIMIT

MAX_EXTENSION_DAYS = 250
DECIDING_ROLES = frozenset({Role.CHAIR, Role.DEPUTY_CHAIR})


# --- reading the state ---------------------------------------------------------------------------


def open_deadlines(a: Assignment) -> list[tuple[str, date]]:
    """The deadlines of `a` still running: (ExecutionDeadline, date), earliest first."""
    return running_deadlines(a.status, a.info_due, a.due_date)


def running_deadlines(status: str, info_due: date | None, due_date: date) -> list[tuple[str, date]]:
    """`open_deadlines` from the three columns it reads (for lists read without their rows)."""
    running = []
    if status in INFO_OPEN and info_due is not None:
        running.append((ExecutionDeadline.INFO.value, info_due))
    if status in DUE_OPEN:
        running.append((ExecutionDeadline.DUE.value, due_date))
    return sorted(running, key=lambda d: d[1])


def is_overdue(a: Assignment, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return any(due < today for _kind, due in open_deadlines(a))


def overdue_q(today: date) -> Q:
    """`is_overdue` as a filter on assignments."""
    return Q(status__in=DUE_OPEN, due_date__lt=today) | Q(status__in=INFO_OPEN, info_due__lt=today)


def shown_status(a: Assignment, today: date | None = None) -> str:
    """The status as pages and the API show it: `overdue` for an open assignment past a deadline."""
    return shown_status_of(a.status, a.info_due, a.due_date, today or timezone.localdate())


def shown_status_of(status: str, info_due: date | None, due_date: date, today: date) -> str:
    """`shown_status` from the three columns it reads (for lists read without their rows)."""
    if status in OPEN_ASSIGNMENT and any(
        due < today for _kind, due in running_deadlines(status, info_due, due_date)
    ):
        return OVERDUE
    return status


def days_overdue(a: Assignment, calendar: WorkCalendar, today: date) -> int:
    """Working days since the earliest missed open deadline (0 when none is missed)."""
    missed = [due for _kind, due in open_deadlines(a) if due < today]
    return working_days_between(calendar, min(missed), today) if missed else 0


def working_days_between(calendar: WorkCalendar, start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    first, last = (start, end) if sign == 1 else (end, start)
    day, counted = first, 0
    one = last.toordinal() - first.toordinal()
    for offset in range(1, one + 1):
        day = date.fromordinal(first.toordinal() + offset)
        if calendar.is_working(day):
            counted += 1
    return sign * counted


class WorkingDayIndex:
    """Working days counted once a year per calendar: for each year, how many working days
    there are from 1 January up to each of its days. "Working days from one date to another" is
    then a subtraction (and a sum over the years between), not a walk over the calendar: the
    control page counts the days overdue of all its rows in constant time each. Built per year
    on first use and kept with the calendar object (`load_calendar` gives the same object until
    the exceptions change)."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self._years: dict[int, list[int]] = {}

    def _year(self, year: int) -> list[int]:
        counts = self._years.get(year)
        if counts is None:
            first = date(year, 1, 1).toordinal()
            last = date(year, 12, 31).toordinal()
            running, counts = 0, []
            for ordinal in range(first, last + 1):
                if self.calendar.is_working(date.fromordinal(ordinal)):
                    running += 1
                counts.append(running)
            self._years[year] = counts
        return counts

    def _within(self, day: date) -> int:
        return self._year(day.year)[day.timetuple().tm_yday - 1]

    def between(self, start: date, end: date) -> int:
        """`working_days_between(calendar, start, end)`. Raises CalendarRangeError outside the
        calendar's years."""
        if end < start:
            return -self.between(end, start)
        years = sum(self._year(y)[-1] for y in range(start.year, end.year))
        return years + self._within(end) - self._within(start)


_indexes: dict[int, tuple[WorkCalendar, WorkingDayIndex]] = {}


def working_day_index(calendar: WorkCalendar) -> WorkingDayIndex:
    """The index of `calendar`, kept while the calendar object lives (one per set of exceptions)."""
    kept = _indexes.get(id(calendar))
    if kept is None or kept[0] is not calendar:
        if len(_indexes) > 8:
            _indexes.clear()
        kept = _indexes[id(calendar)] = (calendar, WorkingDayIndex(calendar))
    return kept[1]


def working_days_to(calendar: WorkCalendar, days: Iterable[date], today: date) -> dict[date, int]:
    """`working_days_between(calendar, day, today)` for many days at once, each a subtraction on
    the calendar's `working_day_index`."""
    index = working_day_index(calendar)
    return {day: index.between(day, today) for day in set(days)}


# --- locking and counting -----------------------------------------------------------------------


def lock_assignment(a: Assignment) -> None:
    """Row lock on the assignment until the end of the transaction, then its state as committed."""
    Assignment.objects.select_for_update(no_key=True).filter(pk=a.pk).values_list("pk", flat=True).first()
    a.refresh_from_db()


def _policy(a: Assignment) -> BodyPolicy:
    body = a.body
    return BodyPolicy.objects.filter(body=body).first() or BodyPolicy(body=body)


def _count(start: date, days: int) -> date:
    """A deadline to be stored, counted inside the writer's transaction on the calendar read under
    the audit head's lock (calendar_for_deadlines)."""
    try:
        return add_working_days(calendar_for_deadlines(), start=start, days=days).due
    except CalendarRangeError:
        raise ValidationError(
            _("The deadline would fall after %(last)s, beyond the calendar known to the system.")
            % {"last": LAST_YEAR}
        ) from None


def _require_open(a: Assignment) -> None:
    if a.status not in OPEN_ASSIGNMENT:
        raise ValidationError(
            _("The assignment is closed (%(status)s): nothing more can be done on it.")
            % {"status": a.get_status_display()},
            code="closed",
        )


def _label(a: Assignment) -> str:
    return a.executor_label[:200]


def _event(a: Assignment, action: str, actor: User | None, **data: Any) -> None:
    record_event(
        a,
        action,
        actor=actor,
        body=a.body,
        data={"decision": a.decision_id, "executor": _label(a), **data},
    )


def can_decide(user: User, a: Assignment) -> bool:
    """The chair, or the deputy chair presiding in the chair's place (clause 3.2), decides on the
    executor's reports and requests and closes an assignment (alqa/permissions.py asks here)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return (
        Member.objects.filter(user_id=user.pk, body_id=a.body_id, role__in=DECIDING_ROLES)
        .on(timezone.localdate())
        .exists()
    )


def _require_decider(user: User, a: Assignment) -> None:
    if not can_decide(user, a):
        raise PermissionDenied(_("Only the chair or the deputy chair decides on an assignment."))


# --- receipt ------------------------------------------------------------------------------------


def _signed_on(a: Assignment) -> date | None:
    """The day the protocol of the assignment's meeting was signed (a plan item has no protocol:
    its plan's approval stands for it)."""
    if a.decision is None:
        return a.meeting_day
    return (
        Protocol.objects.filter(meeting_id=a.decision.meeting_id, signed_on__isnull=False)
        .values_list("signed_on", flat=True)
        .first()
    )


def record_receipt(
    a: Assignment,
    *,
    actor: User | None,
    on: date | None = None,
    via: str = "paper",
    now: datetime | None = None,
) -> Assignment:
    """The executor's receipt of the protocol: `on` (default today) not before the protocol was
    signed and not after today; `via` "paper" (the secretary records a copy handed over) or
    "acknowledgement" (the executor's link in the distribution mail). Effects: the receipt, the
    information deadline counted from it (the body's policy), status received;
    `assignment.received`. Repeated for the day already recorded, nothing changes."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    on = on or today
    with transaction.atomic():
        lock_assignment(a)
        if a.received_on is not None:
            if a.received_on == on or via == "acknowledgement":
                return a
            raise Conflict(
                {
                    "received_on": _("The receipt was already recorded on %(day)s.")
                    % {"day": a.received_on.strftime("%d.%m.%Y")}
                }
            )
        _require_open(a)
        signed_on = _signed_on(a)
        if signed_on is None:
            raise ValidationError(
                {
                    "received_on": _(
                        "The protocol of the meeting is not signed yet: there is nothing to receive."
                    )
                }
            )
        if on < signed_on:
            raise ValidationError(
                {
                    "received_on": _("The protocol cannot be received before it was signed (%(day)s).")
                    % {"day": signed_on.strftime("%d.%m.%Y")}
                }
            )
        if on > today:
            raise ValidationError({"received_on": _("The date cannot be in the future.")})
        days = _policy(a).executor_information_days
        a.received_on, a.received_at, a.received_via = on, now, via
        a.info_days, a.info_due, a.info_due_recounted = days, _count(on, days), {}
        if a.status == AssignmentStatus.ISSUED:
            a.status = AssignmentStatus.RECEIVED
        a.save(
            update_fields=[
                "received_on",
                "received_at",
                "received_via",
                "info_days",
                "info_due",
                "info_due_recounted",
                "status",
            ]
        )
        _event(a, "assignment.received", actor, on=on, via=via, info_due=a.info_due)
    return a


def receipts_from_recipient(recipient: Any, *, on: date, via: str, now: datetime | None = None) -> int:
    """Called by the protocol's acknowledgement and paper hand-over (alqa/domain/protocols.py) in
    their transaction: the receipt of every open assignment of the meeting whose executor is the
    recipient (the member, or the unit). Returns how many were recorded."""
    if recipient.member_id is None and recipient.unit_id is None:
        return 0
    who = (
        Q(executor_member_id=recipient.member_id)
        if recipient.member_id
        else Q(executor_unit_id=recipient.unit_id)
    )
    recorded = 0
    for a in Assignment.objects.filter(
        who, decision__meeting_id=recipient.protocol.meeting_id, received_on__isnull=True
    ):
        if a.status in OPEN_ASSIGNMENT:
            record_receipt(a, actor=None, on=on, via=via, now=now)
            recorded += 1
    return recorded


# --- reports ------------------------------------------------------------------------------------


def _store_files(report: AssignmentReport, files: list[CheckedFile]) -> list[AssignmentFile]:
    return store_checked(AssignmentFile, files, body=report.assignment.body, report=report)


def submit_report(
    a: Assignment,
    *,
    kind: str,
    text: str,
    actor: User | None,
    files: Sequence[UploadedFile[Any]] = (),
    identifiers_confirmed: bool = False,
    now: datetime | None = None,
) -> tuple[AssignmentReport, bool]:
    """The executor's information (`kind` info) or report on execution (`final`), with files;
    `actor` None when given through the executor's personal link. Returns the report and whether
    it is new: the same text sent again while it awaits a decision returns the one stored.
    The text and the text inside PDF and DOCX files pass the case guard (clause 1.2) with the
    body's policy. Effects: the report and its files; the status information given or report
    submitted (an information given before the receipt was recorded records the receipt that
    day); `assignment.report_submitted`."""
    now = now or timezone.now()
    text = (text or "").strip()
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Choose information or a report on execution.")})
    if not text:
        raise ValidationError({"text": _("Write what was done.")})
    if len(text) > REPORT_TEXT_LIMIT:
        raise ValidationError(
            {"text": _("Enter at most %(limit)s characters.") % {"limit": REPORT_TEXT_LIMIT}}
        )
    checked = check_files(list(files))
    body = a.body
    confirmed = check_texts({"text": text}, confirmed=identifiers_confirmed, body=body)
    confirmed += check_file_texts(checked, confirmed=identifiers_confirmed, body=body)
    with transaction.atomic():
        lock_assignment(a)
        pending = a.reports.filter(kind=kind, status=ReportStatus.SUBMITTED).first()
        if pending is not None:
            if pending.text == text:
                return pending, False
            raise Conflict({"text": _("A report of this kind already awaits the chair's decision.")})
        _require_open(a)
        if kind == ReportKind.INFO and a.status not in INFO_OPEN:
            raise ValidationError({"kind": _("The information on this assignment was already given.")})
        if kind == ReportKind.FINAL and a.status == AssignmentStatus.REPORT_SUBMITTED:
            raise Conflict({"text": _("A report of this kind already awaits the chair's decision.")})
        if a.received_on is None:
            signed = _signed_on(a)
            if signed is not None:
                record_receipt(a, actor=actor, on=max(signed, timezone.localdate(now)), via="report", now=now)
                a.refresh_from_db()
        report = AssignmentReport.objects.create(
            assignment=a, kind=kind, text=text, submitted_by=actor, submitted_at=now
        )
        stored = _store_files(report, checked)
        a.status = (
            AssignmentStatus.INFO_GIVEN if kind == ReportKind.INFO else AssignmentStatus.REPORT_SUBMITTED
        )
        a.save(update_fields=["status"])
        _event(
            a,
            "assignment.report_submitted",
            actor,
            report=report.pk,
            kind=kind,
            files=[f.name for f in stored],
            through_link=actor is None,
            **audit_data(confirmed),
        )
    return report, True


def decide_report(
    report: AssignmentReport, *, actor: User, accept: bool, comment: str = "", now: datetime | None = None
) -> AssignmentReport:
    """The chair's decision on a report: accepted (a report on execution closes the assignment as
    done), or returned with a comment (the executor gives it again). The same decision repeated
    changes nothing; the contrary one after it is a Conflict. Effects: `assignment.report_accepted`
    or `assignment.report_returned`."""
    now = now or timezone.now()
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("Say why the report is returned.")})
    if len(comment) > REASON_LIMIT:
        raise ValidationError({"comment": _("Enter at most %(limit)s characters.") % {"limit": REASON_LIMIT}})
    a = report.assignment
    _require_decider(actor, a)
    wanted = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    with transaction.atomic():
        lock_assignment(a)
        report.refresh_from_db()
        if report.status == wanted:
            return report
        if report.status != ReportStatus.SUBMITTED:
            raise Conflict(
                _("The report was already %(decision)s.") % {"decision": report.get_status_display().lower()}
            )
        report.status, report.decided_by, report.decided_at, report.comment = wanted, actor, now, comment
        report.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        fields = ["status"]
        if report.kind == ReportKind.FINAL:
            a.status = AssignmentStatus.DONE if accept else AssignmentStatus.RETURNED
            if accept:
                a.closed_at = now
                fields.append("closed_at")
        elif not accept:
            a.status = AssignmentStatus.RECEIVED if a.received_on else AssignmentStatus.ISSUED
        a.save(update_fields=fields)
        if a.status == AssignmentStatus.DONE:
            _revoke_links(a, now)
        _event(
            a,
            "assignment.report_accepted" if accept else "assignment.report_returned",
            actor,
            report=report.pk,
            kind=report.kind,
            comment=comment,
        )
    return report


# --- extensions ---------------------------------------------------------------------------------


def request_extension(
    a: Assignment, *, reason: str, working_days: int, actor: User | None, now: datetime | None = None
) -> tuple[ExtensionRequest, bool]:
    """The executor asks for `working_days` more working days, with a reason. Refused on a closed
    assignment and past the body's limit of extensions; the same request sent again while it
    awaits a decision returns the one stored. Effects: `assignment.extension_requested`."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Give the reason for the extension.")
    elif len(reason) > REASON_LIMIT:
        errors["reason"] = _("Enter at most %(limit)s characters.") % {"limit": REASON_LIMIT}
    if not isinstance(working_days, int) or not 1 <= working_days <= MAX_EXTENSION_DAYS:
        errors["working_days"] = _("Ask for 1 to %(limit)s working days.") % {"limit": MAX_EXTENSION_DAYS}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lock_assignment(a)
        pending = a.extension_requests.filter(status=ExtensionStatus.PENDING).first()
        if pending is not None:
            if (pending.reason, pending.working_days) == (reason, working_days):
                return pending, False
            raise Conflict({"reason": _("An extension request already awaits the chair's decision.")})
        _require_open(a)
        limit = _policy(a).extension_limit
        if a.extensions >= limit:
            raise ValidationError(
                {
                    "working_days": _(
                        "The deadline was already extended %(count)s times, the most the body's policy allows."
                    )
                    % {"count": a.extensions}
                }
            )
        request = ExtensionRequest.objects.create(
            assignment=a, reason=reason, working_days=working_days, requested_by=actor, requested_at=now
        )
        _event(
            a,
            "assignment.extension_requested",
            actor,
            request=request.pk,
            working_days=working_days,
            reason=reason,
            through_link=actor is None,
        )
    return request, True


def decide_extension(
    request: ExtensionRequest,
    *,
    actor: User,
    grant: bool,
    comment: str = "",
    working_days: int | None = None,
    now: datetime | None = None,
) -> ExtensionRequest:
    """The chair grants an extension — the new execution deadline counted again: `working_days`
    (default: as asked) working days from the current deadline, or from today when that has passed
    (an extension never brings a deadline nearer) — or refuses it with a comment. The same decision
    repeated changes nothing. Effects: the new deadline; `assignment.extension_granted` or
    `assignment.extension_refused`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    comment = (comment or "").strip()
    if not grant and not comment:
        raise ValidationError({"comment": _("Say why the extension is refused.")})
    if len(comment) > REASON_LIMIT:
        raise ValidationError({"comment": _("Enter at most %(limit)s characters.") % {"limit": REASON_LIMIT}})
    days = working_days if working_days is not None else request.working_days
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError(
            {"working_days": _("Ask for 1 to %(limit)s working days.") % {"limit": MAX_EXTENSION_DAYS}}
        )
    a = request.assignment
    _require_decider(actor, a)
    wanted = ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED
    with transaction.atomic():
        lock_assignment(a)
        request.refresh_from_db()
        if request.status == wanted:
            return request
        if request.status != ExtensionStatus.PENDING:
            raise Conflict(
                _("The request was already %(decision)s.")
                % {"decision": request.get_status_display().lower()}
            )
        if grant:
            _require_open(a)
            if a.extensions >= _policy(a).extension_limit:
                raise ValidationError(
                    {
                        "working_days": _(
                            "The deadline was already extended %(count)s times, the most the body's policy allows."
                        )
                        % {"count": a.extensions}
                    }
                )
            request.previous_due = a.due_date
            start = max(a.due_date, today)
            request.new_due = _count(start, days)
            request.working_days = days
            a.due_date, a.due_start, a.due_working_days, a.due_recounted = request.new_due, start, days, {}
            a.extensions += 1
            a.save(update_fields=["due_date", "due_start", "due_working_days", "due_recounted", "extensions"])
        request.status, request.decided_by, request.decided_at, request.comment = wanted, actor, now, comment
        request.save()
        _event(
            a,
            "assignment.extension_granted" if grant else "assignment.extension_refused",
            actor,
            request=request.pk,
            comment=comment,
            **({"from": request.previous_due, "to": request.new_due, "working_days": days} if grant else {}),
        )
    return request


# --- closing ------------------------------------------------------------------------------------


def close_assignment(
    a: Assignment, *, actor: User, withdraw: bool = False, comment: str = "", now: datetime | None = None
) -> Assignment:
    """The chair closes an assignment as done (without waiting for a report) or withdraws it (the
    reason required). Its links stop answering. Repeated, nothing changes; a withdrawn assignment
    is not then closed as done, nor the reverse (Conflict). Effects: `assignment.closed` or
    `assignment.withdrawn`."""
    now = now or timezone.now()
    comment = (comment or "").strip()
    if withdraw and not comment:
        raise ValidationError({"comment": _("Say why the assignment is withdrawn.")})
    if len(comment) > REASON_LIMIT:
        raise ValidationError({"comment": _("Enter at most %(limit)s characters.") % {"limit": REASON_LIMIT}})
    _require_decider(actor, a)
    wanted = AssignmentStatus.WITHDRAWN if withdraw else AssignmentStatus.DONE
    with transaction.atomic():
        lock_assignment(a)
        if a.status == wanted:
            return a
        _require_open(a)
        a.status, a.closed_at = wanted, now
        a.save(update_fields=["status", "closed_at"])
        a.reports.filter(status=ReportStatus.SUBMITTED).update(
            status=ReportStatus.ACCEPTED if not withdraw else ReportStatus.RETURNED,
            decided_by=actor,
            decided_at=now,
            comment=comment or _("Closed by the chair."),
        )
        a.extension_requests.filter(status=ExtensionStatus.PENDING).update(
            status=ExtensionStatus.REFUSED,
            decided_by=actor,
            decided_at=now,
            comment=comment or _("Closed by the chair."),
        )
        _revoke_links(a, now)
        _event(a, "assignment.withdrawn" if withdraw else "assignment.closed", actor, comment=comment)
    return a


# --- the executor's personal link ---------------------------------------------------------------


@dataclass(frozen=True)
class Addressee:
    email: str
    language: str
    is_member: bool


def addressee(a: Assignment) -> Addressee | None:
    """Where the executor's mail goes: a member's own address, else the assignment's, else the
    unit's; None when there is none."""
    member = a.executor_member if a.executor_member_id is not None else None
    # the unit read only when its address is the one needed
    unit = a.executor_unit if member is None and not a.executor_email and a.executor_unit_id else None
    return addressee_of(
        member=(member.email, member.language) if member is not None else None,
        email=a.executor_email,
        unit_email=unit.email if unit is not None else "",
        language=a.executor_language,
    )


def addressee_of(
    *, member: tuple[str, str] | None, email: str, unit_email: str, language: str
) -> Addressee | None:
    """`addressee` from the columns it reads (for rows read without their models): the member's
    address and language when the executor is a member, else the assignment's address or the
    unit's, in the assignment's language."""
    if member is not None:
        member_email, member_language = member
        return Addressee(member_email, member_language or "ru", True) if member_email else None
    to = email or unit_email
    return Addressee(to, language or "ru", False) if to else None


def _revoke_links(a: Assignment, now: datetime) -> None:
    ExecutorLink.objects.filter(assignment=a, revoked_at__isnull=True).update(revoked_at=now)


def live_link(a: Assignment) -> ExecutorLink | None:
    return ExecutorLink.objects.filter(assignment=a, revoked_at__isnull=True).first()


def send_link(a: Assignment, *, actor: User | None, now: datetime | None = None) -> ExecutorLink:
    """Mails a non-member executor their personal link (in their language, through the outbox);
    the live link is mailed again rather than a second one made. Effects: the link, the mail,
    `assignment.link_sent`."""
    from alqa.domain.outbox import queue_mail

    now = now or timezone.now()
    with transaction.atomic():
        lock_assignment(a)
        _require_open(a)
        to = addressee(a)
        if to is None or to.is_member:
            raise ValidationError(
                {
                    "executor_email": _(
                        "Give the executor's e-mail: the link is sent to an executor who is not a member."
                    )
                }
            )
        link = live_link(a) or ExecutorLink.objects.create(assignment=a, email=to.email, language=to.language)
        link.outbox = queue_mail(
            to=to.email,
            template="assignment_link",
            context={"assignment": a, "link": link, "body_name": _body_name(a, to.language)},
            language=to.language,
            body=a.body,
        )
        link.save(update_fields=["outbox"])
        _event(a, "assignment.link_sent", actor, to=to.email)
    return link


def revoke_link(a: Assignment, *, actor: User, now: datetime | None = None) -> int:
    """Effects: the executor's live link stops answering; `assignment.link_revoked`."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_assignment(a)
        revoked = ExecutorLink.objects.filter(assignment=a, revoked_at__isnull=True).update(revoked_at=now)
        if revoked:
            _event(a, "assignment.link_revoked", actor)
    return revoked


def assignment_for_token(token: str) -> Assignment:
    """The assignment a personal link opens. Raises ExecutorLink.DoesNotExist for an unknown
    token, and ValidationError (code `revoked` or `closed`) for a link that no longer answers."""
    if not token or len(token) > 64:
        raise ExecutorLink.DoesNotExist
    link = ExecutorLink.objects.select_related(
        "assignment__body", "assignment__decision__meeting", "assignment__plan_item__plan"
    ).get(token=token)
    if link.revoked_at is not None:
        if link.assignment.status not in OPEN_ASSIGNMENT:
            raise ValidationError(_("The assignment is closed: this link no longer opens it."), code="closed")
        raise ValidationError(_("This link was revoked. Ask the secretary for a new one."), code="revoked")
    if link.assignment.status not in OPEN_ASSIGNMENT:
        raise ValidationError(_("The assignment is closed: this link no longer opens it."), code="closed")
    return link.assignment


def _body_name(a: Assignment, language: str) -> str:
    body = a.body
    return body.name_kk if language == "kk" and body.name_kk else body.name_ru


def member_executor(a: Assignment, user: User) -> Member | None:
    """The member the user is, when they are the assignment's executor."""
    m = a.executor_member
    return m if m is not None and m.user_id == user.pk else None
