"""Meetings as the regulation runs them (clauses 2.2.4, 2.2.9, 2.2.10, 3.2, 3.3, 3.4).

Every function takes the acting user, validates everything before writing, writes in one
transaction, and records its audit event in that transaction.
"""

from __future__ import annotations

import typing
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alqa.domain.audit import diff, record_event
from alqa.domain.cadence import NO_ATTENDANCE, NO_QUORUM, Cadence, NotHeld, cadence
from alqa.domain.case_guard import audit_data, check_texts
from alqa.domain.errors import Conflict, atomic_unique
from alqa.domain.hearing import record_hearing
from alqa.domain.outbox import attachment, queue_mail
from alqa.domain.quorum import Quorum, compute_quorum
from alqa.domain.workdays import LAST_YEAR, MAX_DAYS, CalendarRangeError, add_working_days
from alqa.domain.workdays_calendar import calendar_for_deadlines, load_calendar
from alqa.enums import (
    AgendaItemKind,
    ExtraordinaryInitiator,
    InvitationReply,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    OnlineGround,
    ProposalStatus,
    Role,
    Side,
)
from alqa.models import (
    AgendaItem,
    Assignment,
    Attendance,
    Body,
    ComplaintNote,
    Decision,
    Guest,
    Invitation,
    Meeting,
    Member,
    PlanItem,
    Proposal,
    Unit,
    User,
)
from alqa.models.links import clean_web_address
from alqa.models.meetings import DURATION_MINUTES

MEETING_FIELDS = (
    "kind",
    "format",
    "starts_at",
    "duration_minutes",
    "place",
    "conference_url",
    "online_ground",
    "online_ground_note",
    "presiding",
    "delegation_basis",
    "retrospective",
    "initiator_kind",
    "initiator_name",
    "initiator_unit",
    "decided_by",
    "chair_consent",
)
# Changes to these fields are sent to the invited as an iCalendar update.
CALENDAR_FIELDS = ("starts_at", "duration_minutes", "place", "conference_url", "format")


def meeting_day(meeting: Meeting) -> date:
    return timezone.localtime(meeting.starts_at).date()


def member_of(user: User, body: Body, *, on: date | None = None) -> Member | None:
    """The user's membership in `body` on a date (today by default)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Member.objects.filter(body=body, user=user)
        .on(on or timezone.localdate())
        .order_by("-active_from")
        .first()
    )


def current_chair(body: Body, *, on: date) -> Member | None:
    return Member.objects.filter(body=body, role=Role.CHAIR).on(on).first()


def lock_meeting(meeting: Meeting) -> None:
    """Row lock on the meeting until the end of the transaction, then its state as committed by
    whoever changed it before: parallel approvals, invitations and agenda changes of one meeting
    run one after another and each sees the others' result. Locks come in one order — the meeting,
    then a proposal, then the audit head. FOR NO KEY UPDATE, so rows that merely refer to the
    meeting may still be written. On SQLite every transaction begins IMMEDIATE (settings), which
    already takes the database's write lock."""
    Meeting.objects.select_for_update(no_key=True).filter(pk=meeting.pk).values_list("pk", flat=True).first()
    meeting.refresh_from_db()


# --- what the state of a meeting allows ---------------------------------------------------

CHANGE = "change"
CANCEL = "cancel"
EDIT_AGENDA = "edit_agenda"
ADD_QUESTION = EDIT_AGENDA  # adding, changing, moving and removing questions go together
APPROVE = "approve"
RECORD_DECISION = "record_decision"


@dataclass(frozen=True)
class MeetingState:
    """What decides which actions a meeting allows: read by `meeting_state`, or given by a page
    that has read the same things already (alqa.queries.meetings)."""

    cancelled: bool
    begun: bool
    approved: bool
    has_items: bool
    has_decisions: bool
    closed: bool  # its protocol is signed
    quorum_met: bool
    quorum_text: str = ""


class Acting(typing.Protocol):
    """Who asks: whether they manage the body (chair, deputy, secretary) and preside the meeting
    (permissions.MeetingReader is one)."""

    @property
    def manages(self) -> bool: ...

    @property
    def presiding(self) -> bool: ...


@dataclass(frozen=True)
class MeetingActions:
    change: bool = False
    cancel: bool = False
    edit_agenda: bool = False
    approve: bool = False
    record_decision: bool = False

    @property
    def add_question(self) -> bool:
        return self.edit_agenda


def meeting_state(meeting: Meeting, *, now: datetime | None = None) -> MeetingState:
    from alqa.enums import ProtocolStatus
    from alqa.models import Protocol

    cancelled = meeting.status == MeetingStatus.CANCELLED
    quorum = quorum_for(meeting)
    return MeetingState(
        cancelled=cancelled,
        begun=meeting.starts_at <= (now or timezone.now()),
        approved=meeting.agenda_approved_at is not None,
        has_items=meeting.items.exists(),
        has_decisions=meeting.decisions.exists(),
        closed=Protocol.objects.filter(meeting=meeting).exclude(status=ProtocolStatus.DRAFT).exists(),
        quorum_met=quorum.met,
        quorum_text=describe_quorum(quorum),
    )


def why_not(meeting: Meeting, state: MeetingState, action: str) -> ValidationError | None:
    """The one rule of what a meeting's state allows, with the reason when it does not: the
    meeting page offers only what it allows, and the domain functions refuse the rest with this
    reason. A cancelled meeting allows nothing; a recorded decision ends changes, cancellation and
    the agenda; a signed protocol closes the meeting; decisions are recorded once the meeting has
    begun, on an approved agenda, with a quorum."""
    if state.cancelled:
        return ValidationError(_("The meeting is cancelled."), code="cancelled")
    if action in (CHANGE, CANCEL) and state.has_decisions:
        if action == CANCEL:
            return ValidationError(
                _("A meeting with recorded decisions cannot be cancelled."), code="decided"
            )
        return ValidationError(
            _("Decisions are recorded: the meeting can no longer be changed."), code="decided"
        )
    if action in (EDIT_AGENDA, RECORD_DECISION) and state.closed:
        return ValidationError(_("The protocol is signed: the meeting is closed."), code="closed")
    if action == EDIT_AGENDA and state.has_decisions:
        return ValidationError(_("Decisions are already recorded: the agenda is closed."), code="decided")
    if action == APPROVE:
        if state.approved:
            return ValidationError(_("The agenda is already approved."), code="approved")
        if not state.has_items:
            return ValidationError(_("The agenda is empty: add at least one question."), code="empty")
    if action == RECORD_DECISION:
        if not state.begun:
            return ValidationError(
                _("Decisions are recorded at or after the meeting, not before it."), code="not_begun"
            )
        if not state.approved:
            return _not_approved(meeting)
        if not state.quorum_met:
            return ValidationError(
                _("There is no quorum: decisions cannot be recorded. %(detail)s")
                % {"detail": state.quorum_text},
                code="no_quorum",
            )
    return None


def meeting_actions(meeting: Meeting, person: Acting, *, state: MeetingState | None = None) -> MeetingActions:
    """The actions `person` is offered on the meeting: those its state allows (`why_not`) and
    their part permits (managing the body; presiding, to approve the agenda)."""
    state = state or meeting_state(meeting)

    def allowed(action: str, may: bool) -> bool:
        return may and why_not(meeting, state, action) is None

    return MeetingActions(
        change=allowed(CHANGE, person.manages),
        cancel=allowed(CANCEL, person.manages),
        edit_agenda=allowed(EDIT_AGENDA, person.manages),
        approve=allowed(APPROVE, person.presiding),
        record_decision=allowed(RECORD_DECISION, person.manages),
    )


def refuse_action(meeting: Meeting, action: str, *, state: MeetingState | None = None) -> None:
    """Raises the reason when the meeting's state does not allow `action` (`why_not`)."""
    reason = why_not(meeting, state or meeting_state(meeting), action)
    if reason is not None:
        raise reason


# --- scheduling ---------------------------------------------------------------------------

ONLINE_GROUND_NOTE_MAX = 500


def _online_ground_errors(meeting: Meeting) -> dict[str, str]:
    """Clause 3.4 holds meetings in person; clause 3.3 allows an online one only in a case that
    cannot wait or under quarantine measures. An online meeting states its ground (with an
    optional note); an in-person one has none, so a ground left from an earlier format is cleared."""
    meeting.online_ground = meeting.online_ground or ""
    meeting.online_ground_note = (meeting.online_ground_note or "").strip()
    if meeting.format != MeetingFormat.ONLINE:
        meeting.online_ground = ""
        meeting.online_ground_note = ""
        return {}
    errors: dict[str, str] = {}
    if not meeting.online_ground:
        errors["online_ground"] = _(
            "Meetings are held in person (clause 3.4). Give the ground for holding this one online: "
            "a case that cannot wait, or quarantine measures (clause 3.3)."
        )
    elif meeting.online_ground not in OnlineGround.values:
        errors["online_ground"] = _(
            "Choose one of the grounds: a case that cannot wait, or quarantine measures."
        )
    if len(meeting.online_ground_note) > ONLINE_GROUND_NOTE_MAX:
        errors["online_ground_note"] = _("Enter at most %(limit)s characters.") % {
            "limit": ONLINE_GROUND_NOTE_MAX
        }
    return errors


def _conference_link_errors(meeting: Meeting) -> dict[str, str]:
    """The link is an https address (http where the body's policy allows it), stored with its
    scheme in lower case: the one check of alqa.models.links, for pages and API alike."""
    if not (meeting.conference_url or "").strip():
        meeting.conference_url = ""
        return {}
    allow_http = meeting.body.policy.allow_http_links
    try:
        meeting.conference_url = clean_web_address(meeting.conference_url, allow_http=allow_http)
    except ValidationError as exc:
        return {"conference_url": exc.messages[0]}
    return {}


def _validate_meeting(meeting: Meeting, *, actor: User, now: datetime, creating: bool) -> None:
    errors: dict[str, str] = {}
    body = meeting.body
    if meeting.starts_at is None:
        raise ValidationError({"starts_at": _("Give the date and time of the meeting.")})
    if timezone.is_naive(meeting.starts_at):
        errors["starts_at"] = _("Give the time with its time zone.")
        raise ValidationError(errors)
    day = meeting_day(meeting)
    if meeting.retrospective and meeting.starts_at > now:
        errors["retrospective"] = _("A meeting entered after the fact must be in the past.")
    if not meeting.retrospective and meeting.starts_at < now and creating:
        errors["starts_at"] = _(
            "This date is in the past. To record a meeting already held, mark it as entered after the fact."
        )
    if meeting.format == MeetingFormat.ONLINE and not meeting.conference_url:
        errors["conference_url"] = _("An online meeting needs a conference link.")
    if meeting.format == MeetingFormat.IN_PERSON and not meeting.place:
        errors["place"] = _("Give the place of an in-person meeting.")
    for field, message in (_online_ground_errors(meeting) | _conference_link_errors(meeting)).items():
        errors.setdefault(field, message)
    shortest, longest = DURATION_MINUTES
    if not shortest <= (meeting.duration_minutes or 0) <= longest:
        errors["duration_minutes"] = _("The duration must be from %(shortest)s to %(longest)s minutes.") % {
            "shortest": shortest,
            "longest": longest,
        }
    presiding = meeting.presiding if meeting.presiding_id else None
    if presiding is None:
        errors["presiding"] = _("Choose who presides.")
    elif presiding.body_id != body.pk or not presiding.is_active_on(day):
        errors["presiding"] = _(
            "The presiding person must be a member of this body on the day of the meeting."
        )
    elif presiding.role not in (Role.CHAIR, Role.DEPUTY_CHAIR):
        errors["presiding"] = _("Only the chair or a deputy chair may preside.")
    elif presiding.role == Role.DEPUTY_CHAIR:
        chair = current_chair(body, on=day)
        acting = member_of(actor, body)
        if chair is None:
            errors["presiding"] = _("The body has no chair on that day to instruct a deputy to preside.")
        elif acting is not None and acting.pk == chair.pk:
            meeting.delegated_by = chair
        elif meeting.delegation_basis.strip():
            meeting.delegated_by = chair
        else:
            errors["delegation_basis"] = _(
                "A deputy chair presides on the chair's instruction: record the instruction (clause 3.2)."
            )
    else:
        meeting.delegated_by = None
    if meeting.kind == MeetingKind.EXTRAORDINARY:
        if not meeting.initiator_kind:
            errors["initiator_kind"] = _("Record who proposed the extraordinary meeting.")
        elif meeting.initiator_kind == ExtraordinaryInitiator.POLICE_UNIT_HEAD and not (
            meeting.initiator_unit_id or meeting.initiator_name
        ):
            errors["initiator_unit"] = _("Name the police unit whose head proposed the meeting.")
        if meeting.initiator_unit is not None and meeting.initiator_unit.body_id != body.pk:
            errors["initiator_unit"] = _("This unit belongs to another body.")
        elif meeting.initiator_unit is not None and meeting.initiator_unit.side != Side.POLICE:
            errors["initiator_unit"] = _("Choose a police unit: its head proposed the meeting.")
        decider = meeting.decided_by if meeting.decided_by_id else None
        if decider is None:
            errors["decided_by"] = _("Record who decided to hold the extraordinary meeting.")
        elif decider.body_id != body.pk or decider.role not in (Role.CHAIR, Role.DEPUTY_CHAIR):
            errors["decided_by"] = _(
                "The chair, or a deputy chair with the chair's consent, decides (clause 3.3)."
            )
        elif decider.role == Role.DEPUTY_CHAIR and not meeting.chair_consent:
            errors["chair_consent"] = _("A deputy chair decides with the chair's consent: confirm it.")
    else:
        meeting.initiator_kind = ""
        meeting.initiator_name = ""
        meeting.initiator_unit = None
        meeting.decided_by = None
        meeting.chair_consent = False
    if errors:
        raise ValidationError(errors)


def schedule_meeting(*, body: Body, actor: User, now: datetime | None = None, **fields: Any) -> Meeting:
    """Effects: validates (past dates only when entered after the fact, link for online meetings,
    presiding person entitled, extraordinary meetings' proposer and decider); saves; records
    `meeting.scheduled` (or `meeting.entered_retrospectively`). Invitations go out when the
    presiding person approves the agenda; a retrospective meeting sends none."""
    now = now or timezone.now()
    meeting = Meeting(body=body, created_by=actor, **{k: v for k, v in fields.items() if k in MEETING_FIELDS})
    meeting.place = (meeting.place or "").strip()
    meeting.conference_url = (meeting.conference_url or "").strip()
    _validate_meeting(meeting, actor=actor, now=now, creating=True)
    with transaction.atomic():
        meeting.save()
        record_event(
            meeting,
            "meeting.entered_retrospectively" if meeting.retrospective else "meeting.scheduled",
            actor=actor,
            body=body,
            data={f: getattr(meeting, f) for f in MEETING_FIELDS},
        )
    return meeting


def update_meeting(
    meeting: Meeting, *, actor: User, changes: dict[str, Any], now: datetime | None = None
) -> Meeting:
    """Effects: validates as `schedule_meeting`; saves; records `meeting.changed`; when the date,
    place or link changed after invitations went out, raises the iCalendar sequence and sends an
    update to everyone invited."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be changed."))
    refuse_action(meeting, CHANGE)
    now = now or timezone.now()
    before = {f: getattr(meeting, f) for f in MEETING_FIELDS}
    for field, value in changes.items():
        if field in MEETING_FIELDS and field != "retrospective":
            setattr(meeting, field, value)
    try:
        _validate_meeting(meeting, actor=actor, now=now, creating=False)
    except ValidationError:
        meeting.refresh_from_db()
        raise
    changed = diff(before, {f: getattr(meeting, f) for f in MEETING_FIELDS})
    if not changed:
        return meeting
    with transaction.atomic():
        calendar_changed = any(f in changed for f in CALENDAR_FIELDS)
        if calendar_changed and meeting.invitations.exists():
            meeting.ical_sequence += 1
        meeting.save()
        record_event(meeting, "meeting.changed", actor=actor, body=meeting.body, data=changed)
        if calendar_changed and not meeting.retrospective:
            _send_to_invited(meeting, template="meeting_updated")
    return meeting


def cancel_meeting(
    meeting: Meeting, *, actor: User, reason: str, identifiers_confirmed: bool = False
) -> Meeting:
    """Effects: checks the reason (the case guard included); marks the meeting cancelled; raises
    the sequence; records `meeting.cancelled`; sends everyone invited a cancellation their
    calendars apply (METHOD:CANCEL)."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is already cancelled."))
    refuse_action(meeting, CANCEL)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the cancellation.")})
    confirmed = check_texts({"reason": reason}, confirmed=identifiers_confirmed, body=meeting.body)
    with transaction.atomic():
        meeting.status = MeetingStatus.CANCELLED
        meeting.ical_sequence += 1
        meeting.save(update_fields=["status", "ical_sequence"])
        record_event(
            meeting,
            "meeting.cancelled",
            actor=actor,
            body=meeting.body,
            data={"reason": reason} | audit_data(confirmed),
        )
        _send_to_invited(meeting, template="meeting_cancelled", extra={"reason": reason})
    return meeting


# --- agenda -------------------------------------------------------------------------------


# Positions on an agenda are unique per meeting (a database constraint); while items are being
# renumbered, those that move stand aside above this offset, so no two share a position at any
# moment of the statement, on SQLite and PostgreSQL alike.
_ASIDE = 1000
MAX_ITEMS = 999


def _check_open_agenda(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    if meeting.decisions.exists():
        raise ValidationError(_("Decisions are already recorded: the agenda is closed."))


def check_withdrawal(meeting: Meeting, *, withdraw_approval: bool) -> None:
    """A change to an approved agenda withdraws its approval (clause 3.2: the presiding person
    approves again). Whoever changes it says so beforehand: without `withdraw_approval` the
    change is refused (the API answers 409) and nothing is written."""
    if meeting.agenda_approved_at is not None and not withdraw_approval:
        raise Conflict(
            _(
                "The agenda is approved: this change withdraws the approval, and the presiding "
                "person must approve the agenda again. Confirm that the approval is withdrawn."
            ),
            code="approval_not_withdrawn",
        )


def _place(meeting: Meeting, ids: Sequence[int]) -> None:
    """Gives the items `ids` the positions 1, 2, … in that order. The caller holds the meeting's
    lock. Only the items whose position changes are written: first set aside, then placed."""
    current = dict(AgendaItem.objects.filter(meeting=meeting).values_list("pk", "order"))
    moving = {pk: n for n, pk in enumerate(ids, start=1) if current.get(pk) != n}
    if not moving:
        return
    AgendaItem.objects.filter(pk__in=list(moving)).update(order=F("order") + _ASIDE)
    for pk, n in moving.items():
        AgendaItem.objects.filter(pk=pk).update(order=n)


def _ordered_ids(meeting: Meeting) -> list[int]:
    return list(
        AgendaItem.objects.filter(meeting=meeting).order_by("order", "id").values_list("pk", flat=True)
    )


def _unapprove(meeting: Meeting, *, actor: User, what: str) -> None:
    if meeting.agenda_approved_at is not None:
        meeting.agenda_approved_at = None
        meeting.agenda_approved_by = None
        meeting.save(update_fields=["agenda_approved_at", "agenda_approved_by"])
        record_event(
            meeting,
            "agenda.approval_withdrawn",
            actor=actor,
            body=meeting.body,
            data={"reason": what, "version": meeting.agenda_version},
        )


def add_agenda_item(
    meeting: Meeting,
    *,
    actor: User,
    title_ru: str = "",
    title_kk: str = "",
    kind: str = AgendaItemKind.OTHER,
    speaker: Member | None = None,
    proposal: Proposal | None = None,
    plan_item_ref: str = "",
    remark_on: Decision | None = None,
    plan_item: PlanItem | None = None,
    complaint_note: ComplaintNote | None = None,
    order: int | None = None,
    identifiers_confirmed: bool = False,
    withdraw_approval: bool = False,
) -> AgendaItem:
    """Effects: adds the item (from an accepted proposal, a report on a plan item, a remark on an
    earlier decision, a generalisation note of complaints practice, or the secretary's own) at position `order` (the others after it move down)
    or last, its title checked by the case guard; on an approved agenda only with
    `withdraw_approval` (the approval is withdrawn, the presiding person approves again); records
    `agenda.item_added`."""
    errors: dict[str, str] = {}
    refuse_action(meeting, ADD_QUESTION)
    _check_open_agenda(meeting)
    title_ru, title_kk = (title_ru or "").strip(), (title_kk or "").strip()
    if proposal is not None:
        if proposal.body_id != meeting.body_id:
            errors["proposal"] = _("This proposal belongs to another body.")
        else:
            kind = AgendaItemKind.PROPOSAL
            title_ru = title_ru or proposal.title_ru
            title_kk = title_kk or proposal.title_kk
            speaker = speaker or proposal.author
    if complaint_note is not None:
        if complaint_note.body_id != meeting.body_id:
            errors["complaint_note"] = _("This note belongs to another body.")
        kind = AgendaItemKind.COMPLAINT_NOTE
        title_ru = title_ru or complaint_note.title_ru
        title_kk = title_kk or complaint_note.title_kk
    if remark_on is not None:
        if remark_on.meeting.body_id != meeting.body_id:
            errors["remark_on"] = _("This decision belongs to another body.")
        kind = AgendaItemKind.REMARK
    if plan_item is not None:
        if plan_item.plan.body_id != meeting.body_id:
            errors["plan_item"] = _("This plan item belongs to another body.")
        elif proposal is not None or kind == AgendaItemKind.REMARK:
            kind = AgendaItemKind.REMARK  # a compliance remark on the item, not its report
        else:
            kind = AgendaItemKind.PLAN_REPORT
            if not title_ru and not title_kk:
                title_ru = _report_title(plan_item, "ru")
                title_kk = _report_title(plan_item, "kk")
    if not title_ru and not title_kk:
        errors["title_ru"] = _("Give the question's title in Russian or Kazakh.")
    if speaker is not None and (
        speaker.body_id != meeting.body_id or not speaker.is_active_on(meeting_day(meeting))
    ):
        errors["speaker"] = _("The speaker must be a member of this body on the day of the meeting.")
    if errors:
        raise ValidationError(errors)
    confirmed = check_texts(
        {"title_ru": title_ru, "title_kk": title_kk, "plan_item_ref": plan_item_ref or ""},
        confirmed=identifiers_confirmed,
        body=meeting.body,
    )
    on_agenda = _("This proposal is already on this meeting's agenda.")
    note_on_agenda = _("This note is already on this meeting's agenda.")
    field, message = (
        ("complaint_note", note_on_agenda) if complaint_note is not None else ("proposal", on_agenda)
    )
    with atomic_unique(field, message):
        lock_meeting(meeting)
        _check_open_agenda(meeting)
        if proposal is not None and meeting.items.filter(proposal=proposal).exists():
            raise ValidationError({"proposal": on_agenda})
        if complaint_note is not None and meeting.items.filter(complaint_note=complaint_note).exists():
            raise ValidationError({"complaint_note": note_on_agenda})
        check_withdrawal(meeting, withdraw_approval=withdraw_approval)
        ids = _ordered_ids(meeting)
        if len(ids) >= MAX_ITEMS:
            raise ValidationError(_("An agenda holds at most %(limit)s questions.") % {"limit": MAX_ITEMS})
        order = len(ids) + 1 if order is None else max(1, min(order, len(ids) + 1))
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=2 * _ASIDE,
            kind=kind,
            title_ru=title_ru,
            title_kk=title_kk,
            speaker=speaker,
            proposal=proposal,
            plan_item_ref=(plan_item_ref or "").strip(),
            remark_on=remark_on,
            plan_item=plan_item,
            complaint_note=complaint_note,
        )
        _place(meeting, [*ids[: order - 1], item.pk, *ids[order - 1 :]])
        item.order = order
        record_event(
            item,
            "agenda.item_added",
            actor=actor,
            body=meeting.body,
            data={
                "meeting": meeting.pk,
                "order": order,
                "kind": kind,
                "title_ru": title_ru,
                "title_kk": title_kk,
                "proposal": proposal.pk if proposal else None,
                "complaint_note": complaint_note.pk if complaint_note else None,
                "plan_item": plan_item.pk if plan_item else None,
            }
            | audit_data(confirmed),
        )
        _unapprove(meeting, actor=actor, what="item added")
    return item


def _report_title(plan_item: PlanItem, language: str) -> str:
    """«Report on item N of the plan …: activity» in one language (empty when the item has no
    activity in it)."""
    activity = plan_item.activity_kk if language == "kk" else plan_item.activity_ru
    if not activity:
        return ""
    with translation.override(language):
        text = _("Report on plan item %(number)s (%(plan)s): %(activity)s") % {
            "number": plan_item.number,
            "plan": plan_item.plan.label,
            "activity": activity,
        }
    return text[:500]


ITEM_TEXT_FIELDS = ("title_ru", "title_kk", "plan_item_ref", "speaker")


def _locked_item(item: AgendaItem) -> AgendaItem:
    """The item as committed, read after the meeting's lock; a question removed meanwhile is
    gone."""
    try:
        return AgendaItem.objects.select_related("speaker").get(pk=item.pk, meeting_id=item.meeting_id)
    except AgendaItem.DoesNotExist:
        raise ValidationError(_("This question is no longer on the agenda.")) from None


def change_agenda_item(
    item: AgendaItem,
    *,
    actor: User,
    title_ru: str = "",
    title_kk: str = "",
    plan_item_ref: str = "",
    speaker: Member | None = None,
    withdraw_approval: bool = False,
    identifiers_confirmed: bool = False,
) -> AgendaItem:
    """Effects: changes the question's titles, plan item and speaker (checked as when added, the
    case guard included), under the meeting's lock; on an approved agenda only with
    `withdraw_approval`, which withdraws the approval; records `agenda.item_changed` with the
    fields before and after. Saving the same texts again changes nothing and records nothing."""
    meeting = item.meeting
    refuse_action(meeting, EDIT_AGENDA)
    title_ru, title_kk = (title_ru or "").strip(), (title_kk or "").strip()
    plan_item_ref = (plan_item_ref or "").strip()
    errors: dict[str, str] = {}
    if not title_ru and not title_kk:
        errors["title_ru"] = _("Give the question's title in Russian or Kazakh.")
    if speaker is not None and (
        speaker.body_id != meeting.body_id or not speaker.is_active_on(meeting_day(meeting))
    ):
        errors["speaker"] = _("The speaker must be a member of this body on the day of the meeting.")
    if errors:
        raise ValidationError(errors)
    confirmed = check_texts(
        {"title_ru": title_ru, "title_kk": title_kk, "plan_item_ref": plan_item_ref},
        confirmed=identifiers_confirmed,
        body=meeting.body,
    )
    with transaction.atomic():
        lock_meeting(meeting)
        _check_open_agenda(meeting)
        current = _locked_item(item)
        before = {f: getattr(current, f) for f in ("title_ru", "title_kk", "plan_item_ref")}
        before["speaker"] = current.speaker.full_name if current.speaker else ""
        after = {"title_ru": title_ru, "title_kk": title_kk, "plan_item_ref": plan_item_ref}
        after["speaker"] = speaker.full_name if speaker else ""
        changed = diff(before, after)
        if not changed:
            return current
        check_withdrawal(meeting, withdraw_approval=withdraw_approval)
        current.title_ru, current.title_kk, current.plan_item_ref = title_ru, title_kk, plan_item_ref
        current.speaker = speaker
        current.save(update_fields=["title_ru", "title_kk", "plan_item_ref", "speaker"])
        record_event(
            current,
            "agenda.item_changed",
            actor=actor,
            body=meeting.body,
            data={"meeting": meeting.pk, "order": current.order, "title_ru": title_ru, "title_kk": title_kk}
            | {"changes": changed}
            | audit_data(confirmed),
        )
        _unapprove(meeting, actor=actor, what="item changed")
    return current


UP, DOWN = "up", "down"


def move_agenda_item(
    item: AgendaItem, *, actor: User, direction: str, withdraw_approval: bool = False
) -> AgendaItem:
    """Effects: swaps the question with the one above (`up`) or below (`down`), under the
    meeting's lock, so parallel moves run one after another and the positions stay 1…n; on an
    approved agenda only with `withdraw_approval`; records `agenda.item_moved`. The first
    question moved up, or the last down, stays where it is and nothing is recorded."""
    if direction not in (UP, DOWN):
        raise ValidationError({"direction": _("Choose up or down.")})
    meeting = item.meeting
    refuse_action(meeting, EDIT_AGENDA)
    with transaction.atomic():
        lock_meeting(meeting)
        _check_open_agenda(meeting)
        current = _locked_item(item)
        ids = _ordered_ids(meeting)
        index = ids.index(current.pk)
        other = index - 1 if direction == UP else index + 1
        if not 0 <= other < len(ids):
            _place(meeting, ids)  # positions left uneven by older data become 1…n
            current.refresh_from_db(fields=["order"])
            return current
        check_withdrawal(meeting, withdraw_approval=withdraw_approval)
        ids[index], ids[other] = ids[other], ids[index]
        _place(meeting, ids)
        before = current.order
        current.refresh_from_db(fields=["order"])
        record_event(
            current,
            "agenda.item_moved",
            actor=actor,
            body=meeting.body,
            data={
                "meeting": meeting.pk,
                "title_ru": current.title_ru,
                "title_kk": current.title_kk,
                "from": before,
                "to": current.order,
            },
        )
        _unapprove(meeting, actor=actor, what="item moved")
    return current


def remove_agenda_item(item: AgendaItem, *, actor: User, withdraw_approval: bool = False) -> None:
    """Effects: removes the question (and its files) from the agenda, under the meeting's lock;
    the questions after it move up; on an approved agenda only with `withdraw_approval`; records
    `agenda.item_removed` with its titles; a member's proposal on no other agenda waits for a
    decision again (`proposal.back_in_queue`). A question already removed (a second click) is
    refused with a message."""
    meeting = item.meeting
    refuse_action(meeting, EDIT_AGENDA)
    with transaction.atomic():
        lock_meeting(meeting)
        _check_open_agenda(meeting)
        current = _locked_item(item)
        check_withdrawal(meeting, withdraw_approval=withdraw_approval)
        record_event(
            current,
            "agenda.item_removed",
            actor=actor,
            body=meeting.body,
            data={
                "meeting": meeting.pk,
                "order": current.order,
                "title_ru": current.title_ru,
                "title_kk": current.title_kk,
                "proposal": current.proposal_id,
            },
        )
        proposal_id = current.proposal_id
        current.delete()
        _place(meeting, _ordered_ids(meeting))
        if proposal_id and not AgendaItem.objects.filter(proposal_id=proposal_id).exists():
            _back_in_queue(proposal_id, actor=actor, meeting=meeting)
        _unapprove(meeting, actor=actor, what="item removed")


def _back_in_queue(proposal_id: int, *, actor: User, meeting: Meeting) -> None:
    """A member's proposal whose question left its last agenda waits for a decision again (it may
    be accepted onto another meeting or returned); locked after the meeting, as everywhere."""
    proposal = Proposal.objects.select_for_update(no_key=True).get(pk=proposal_id)
    proposal.status = ProposalStatus.SUBMITTED
    proposal.decided_by = None
    proposal.decided_at = None
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        proposal, "proposal.back_in_queue", actor=actor, body=proposal.body, data={"meeting": meeting.pk}
    )


def approve_agenda(meeting: Meeting, *, actor: User, now: datetime | None = None) -> Meeting:
    """Only the presiding person approves (clause 3.2). Effects: stamps the approval and a new
    version; records `agenda.approved` with the items; invites every member of the body on the
    day and the invited participants (first approval), or sends an update (re-approval), each in
    the recipient's language with an .ics file — except for a meeting entered after the fact.
    Approving again an agenda already approved (a second click, a parallel request) is refused
    with a message and sends nothing."""
    with transaction.atomic():
        lock_meeting(meeting)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("The meeting is cancelled."))
        if meeting.presiding.user_id is None or meeting.presiding.user_id != getattr(actor, "pk", None):
            raise ValidationError(_("Only the presiding person approves the agenda."))
        if meeting.agenda_approved_at is not None:
            raise ValidationError(_("The agenda is already approved."))
        items = list(meeting.items.all())
        if not items:
            raise ValidationError(_("The agenda is empty: add at least one question."))
        first = meeting.agenda_version == 0
        meeting.agenda_version += 1
        meeting.agenda_approved_at = now or timezone.now()
        meeting.agenda_approved_by = meeting.presiding
        if not first:
            meeting.ical_sequence += 1
        meeting.save(
            update_fields=["agenda_version", "agenda_approved_at", "agenda_approved_by", "ical_sequence"]
        )
        record_event(
            meeting,
            "agenda.approved",
            actor=actor,
            body=meeting.body,
            data={
                "version": meeting.agenda_version,
                "items": [{"order": i.order, "title_ru": i.title_ru, "title_kk": i.title_kk} for i in items],
            },
        )
        if not meeting.retrospective:
            _ensure_member_invitations(meeting)
            _send_to_invited(meeting, template="meeting_invitation" if first else "meeting_updated")
    return meeting


# --- invitations --------------------------------------------------------------------------


def _ensure_member_invitations(meeting: Meeting) -> None:
    day = meeting_day(meeting)
    invited = set(meeting.invitations.filter(member__isnull=False).values_list("member_id", flat=True))
    Invitation.objects.bulk_create(
        Invitation(meeting=meeting, member=m, email=m.email, language=m.language)
        for m in Member.objects.filter(body=meeting.body).on(day)
        if m.pk not in invited
    )


def invite_guest(meeting: Meeting, *, guest: Guest, actor: User) -> Invitation:
    """Effects: invites an expert or public representative (clause 2.2.9); links a user to the
    guest's e-mail, so they can sign in and see this meeting only; records `meeting.guest_invited`;
    sends the invitation at once when the agenda is already approved."""
    if guest.body_id != meeting.body_id:
        raise ValidationError({"guest": _("This participant belongs to another body.")})
    from alqa.domain.members import user_for_email

    already = _("This participant is already invited.")
    # the lock makes a parallel second invitation see the first; the constraint backs it up
    with atomic_unique("guest", already):
        lock_meeting(meeting)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("The meeting is cancelled."))
        if meeting.invitations.filter(guest=guest).exists():
            raise ValidationError({"guest": already})
        if guest.email and guest.user_id is None:
            guest.user = user_for_email(guest.email, full_name=guest.full_name, language=guest.language)
            guest.save(update_fields=["user"])
        invitation = Invitation.objects.create(
            meeting=meeting, guest=guest, email=guest.email, language=guest.language
        )
        record_event(
            invitation,
            "meeting.guest_invited",
            actor=actor,
            body=meeting.body,
            data={"meeting": meeting.pk, "guest": guest.full_name},
        )
        if meeting.agenda_approved_at is not None and not meeting.retrospective:
            _send(invitation, template="meeting_invitation")
    return invitation


def _send_to_invited(meeting: Meeting, *, template: str, extra: dict[str, Any] | None = None) -> None:
    for invitation in meeting.invitations.select_related("member__user", "guest__user"):
        _send(invitation, template=template, extra=extra)


def _send(invitation: Invitation, *, template: str, extra: dict[str, Any] | None = None) -> None:
    from alqa.documents.ics import meeting_ics
    from alqa.domain.members import invitation_link

    if not invitation.email:
        return
    meeting = invitation.meeting
    person = invitation.person
    user = getattr(person, "user", None)
    context = {
        "meeting": meeting,
        "body": meeting.body,
        "person": person,
        # a draft (an agenda changed since its approval) is not sent: it goes out once approved
        "items": list(meeting.items.all()) if meeting.agenda_approved_at is not None else [],
        "agenda_pending": meeting.agenda_approved_at is None,
        "reply_path": f"/invitations/{invitation.token}/",
        "set_password_path": invitation_link(user)
        if user is not None and not user.has_usable_password()
        else "",
        "starts": timezone.localtime(meeting.starts_at),
    } | (extra or {})
    ics = meeting_ics(meeting, attendee=invitation.email, language=invitation.language)
    method = "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST"
    queue_mail(
        to=invitation.email,
        template=template,
        context=context,
        language=invitation.language,
        body=meeting.body,
        attachments=[attachment("meeting.ics", ics, f"text/calendar; method={method}; charset=UTF-8")],
    )
    invitation.sent_sequence = meeting.ical_sequence
    invitation.save(update_fields=["sent_sequence"])


def reply_to_invitation(invitation: Invitation, *, reply: str, now: datetime | None = None) -> Invitation:
    """Effects: stores the reply (will attend / will not / will send materials); records
    `invitation.replied`. Reached through the private link in the mail, no sign-in needed."""
    if reply not in InvitationReply.values or reply == InvitationReply.PENDING:
        raise ValidationError({"reply": _("Choose one of the answers.")})
    if invitation.meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    with transaction.atomic():
        invitation.reply = reply
        invitation.replied_at = now or timezone.now()
        invitation.save(update_fields=["reply", "replied_at"])
        user = getattr(invitation.person, "user", None)
        record_event(
            invitation,
            "invitation.replied",
            actor=user,
            body=invitation.meeting.body,
            data={"meeting": invitation.meeting_id, "reply": reply},
        )
    return invitation


# --- attendance and quorum ----------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    member_id: int
    present: bool


def record_attendance(
    meeting: Meeting, *, actor: User, members: list[AttendanceRow], guests: Sequence[tuple[int, bool]] = ()
) -> Quorum:
    """Effects: validates that every row is a member (or invited participant) of this body on the
    day, without duplicates; upserts the rows; records `meeting.attendance_recorded`; returns the
    quorum now. Nothing is written when any row is wrong."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    day = meeting_day(meeting)
    ids = [row.member_id for row in members]
    if len(ids) != len(set(ids)):
        raise ValidationError({"attendance": _("A member appears more than once in the attendance list.")})
    valid = set(Member.objects.filter(body=meeting.body, pk__in=ids).on(day).values_list("pk", flat=True))
    unknown = [i for i in ids if i not in valid]
    if unknown:
        raise ValidationError(
            {
                "attendance": _("Not members of this body on the day of the meeting: %(ids)s.")
                % {"ids": ", ".join(map(str, unknown))}
            }
        )
    guest_ids = [g for g, _present in guests]
    if len(guest_ids) != len(set(guest_ids)):
        raise ValidationError({"guests": _("A participant appears more than once in the attendance list.")})
    valid_guests = set(Guest.objects.filter(body=meeting.body, pk__in=guest_ids).values_list("pk", flat=True))
    if set(guest_ids) - valid_guests:
        raise ValidationError({"guests": _("Some participants are not invited participants of this body.")})
    with transaction.atomic():
        existing = {a.member_id: a for a in meeting.attendance.filter(member_id__in=ids)}
        new, changed = [], []
        for row in members:
            if row.member_id in existing:
                a = existing[row.member_id]
                if a.present != row.present:
                    a.present = row.present
                    changed.append(a)
            else:
                new.append(Attendance(meeting=meeting, member_id=row.member_id, present=row.present))
        existing_g = {a.guest_id: a for a in meeting.attendance.filter(guest_id__in=guest_ids)}
        for guest_id, present in guests:
            if guest_id in existing_g:
                a = existing_g[guest_id]
                if a.present != present:
                    a.present = present
                    changed.append(a)
            else:
                new.append(Attendance(meeting=meeting, guest_id=guest_id, present=present))
        try:
            Attendance.objects.bulk_create(new)
        except IntegrityError:
            raise ValidationError(
                {"attendance": _("The attendance was changed at the same time; reload and retry.")}
            ) from None
        Attendance.objects.bulk_update(changed, ["present"])
        quorum = quorum_for(meeting)
        record_event(
            meeting,
            "meeting.attendance_recorded",
            actor=actor,
            body=meeting.body,
            data={
                "present": sorted(r.member_id for r in members if r.present),
                "absent": sorted(r.member_id for r in members if not r.present),
                "guests_present": sorted(g for g, p in guests if p),
                "quorum_met": quorum.met,
            },
        )
    return quorum


def quorum_for(meeting: Meeting) -> Quorum:
    """Members in office on the day, by side, and those marked present: two queries."""
    day = meeting_day(meeting)
    totals = dict(
        Member.objects.filter(body=meeting.body)
        .on(day)
        .values_list("side")
        .annotate(n=Count("id"))
        .order_by()
    )
    present = dict(
        Member.objects.filter(body=meeting.body, attendance__meeting=meeting, attendance__present=True)
        .on(day)
        .values_list("side")
        .annotate(n=Count("id"))
        .order_by()
    )
    return compute_quorum(rule=meeting.body.policy.quorum_rule, present=present, total=totals)


def body_cadence(body: Body, *, today: date | None = None) -> Cadence:
    """The cadence of meetings (clause 3.3). A meeting counts as held only when it took place with
    a quorum under the body's rule (clause 3.4, `compute_quorum`, members in office on its day):
    one whose time has passed without attendance recorded, or without a quorum, is listed in
    `not_held` and leaves the interval open. Cancelled meetings do not count; those still to
    begin count as scheduled. Three queries at most, whatever the number of meetings."""
    now = timezone.now()
    today = today or timezone.localdate()
    started: list[tuple[int, date]] = []
    scheduled: list[date] = []
    rows = (
        Meeting.objects.filter(body=body)
        .exclude(status=MeetingStatus.CANCELLED)
        .values_list("pk", "starts_at")
    )
    for pk, starts in rows:
        day = timezone.localtime(starts).date()
        if day < today or (day == today and starts <= now):
            started.append((pk, day))
        else:
            scheduled.append(day)
    held, not_held = _held_with_quorum(body, started)
    return cadence(
        held=held,
        scheduled=scheduled,
        not_held=not_held,
        interval_months=body.policy.meeting_interval_months,
        today=today,
    )


def _held_with_quorum(body: Body, started: list[tuple[int, date]]) -> tuple[list[date], list[NotHeld]]:
    """Of the meetings that took place, the days of those held with a quorum, and the others."""
    if not started:
        return [], []
    members = list(Member.objects.filter(body=body).values_list("pk", "side", "active_from", "active_to"))
    recorded: set[int] = set()
    present: defaultdict[int, set[int]] = defaultdict(set)
    for meeting_id, member_id, is_present in Attendance.objects.filter(
        meeting_id__in=[pk for pk, _day in started], member__isnull=False
    ).values_list("meeting_id", "member_id", "present"):
        recorded.add(meeting_id)
        if is_present:
            present[meeting_id].add(member_id)
    rule = body.policy.quorum_rule
    held: list[date] = []
    not_held: list[NotHeld] = []
    for pk, day in started:
        if pk not in recorded:
            not_held.append(NotHeld(day, pk, NO_ATTENDANCE))
            continue
        in_office = [
            (m, side) for m, side, start, end in members if start <= day and (end is None or end >= day)
        ]
        quorum = compute_quorum(
            rule=rule,
            present=Counter(side for m, side in in_office if m in present[pk]),
            total=Counter(side for _m, side in in_office),
        )
        if quorum.met:
            held.append(day)
        else:
            not_held.append(NotHeld(day, pk, NO_QUORUM))
    return held, not_held


# --- decisions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExecutorInput:
    member_id: int | None = None
    unit_id: int | None = None
    name: str = ""
    due_date: date | None = None
    due_working_days: int | None = None
    # Where an executor who is not a member gets the personal link to the assignment.
    email: str = ""
    language: str = "ru"


def _not_approved(meeting: Meeting) -> ValidationError:
    """Clause 3.2: the presiding person approves the agenda, and decisions are taken on it. A
    meeting whose agenda was never approved, or whose approval was withdrawn by a change, takes
    none until the presiding person, named in the refusal, approves it."""
    name = meeting.presiding.full_name
    if meeting.agenda_version:
        message = _(
            "The agenda has changed since it was approved: the presiding person, %(name)s, must "
            "approve it again before decisions are recorded (clause 3.2)."
        )
    else:
        message = _(
            "The agenda is not approved: decisions are recorded only on an agenda approved by the "
            "presiding person, %(name)s (clause 3.2)."
        )
    return ValidationError(message % {"name": name}, code="agenda_not_approved")


def record_decision(
    meeting: Meeting,
    *,
    actor: User,
    agenda_item: AgendaItem,
    text_ru: str = "",
    text_kk: str = "",
    executors: Sequence[ExecutorInput] = (),
    identifiers_confirmed: bool = False,
) -> Decision:
    """Effects: refuses while the agenda is not approved by the presiding person (clause 3.2) and
    while the quorum is not met (clause 3.4); validates the wording (the case
    guard included) and every executor and deadline (a date, or N working days counted from the
    meeting day); saves the decision with the quorum at that moment and its assignments; records
    `decision.recorded`."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    if agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item_id": _("This question is not on this meeting's agenda.")})
    refuse_action(meeting, RECORD_DECISION)
    quorum = quorum_for(meeting)
    text_ru, text_kk = (text_ru or "").strip(), (text_kk or "").strip()
    errors: dict[str, str] = {}
    if not text_ru and not text_kk:
        errors["text_ru"] = _("Give the wording of the decision in Russian or Kazakh.")
    day = meeting_day(meeting)
    assignments: list[Assignment] = []
    calendar = None
    for index, ex in enumerate(executors):
        key = f"executors.{index}"
        member = unit = None
        if ex.member_id is not None:
            member = Member.objects.filter(pk=ex.member_id, body=meeting.body).first()
            if member is None:
                errors[key] = _("The executor is not a member of this body.")
                continue
        if ex.unit_id is not None:
            unit = Unit.objects.filter(pk=ex.unit_id, body=meeting.body).first()
            if unit is None:
                errors[key] = _("The unit does not belong to this body.")
                continue
        name = (ex.name or "").strip()
        if member is None and unit is None and not name:
            errors[key] = _("Name the executor: a member, a unit or an official.")
            continue
        email = (ex.email or "").strip()
        if email:
            from django.core.validators import validate_email

            try:
                validate_email(email)
            except ValidationError:
                errors[key] = _("Enter a valid e-mail address.")
                continue
        if ex.language not in ("ru", "kk", "en"):
            errors[key] = _("Choose Russian, Kazakh or English.")
            continue
        if (ex.due_date is None) == (ex.due_working_days is None):
            errors[key] = _("Give the execution deadline either as a date or as a number of working days.")
            continue
        if ex.due_date is not None:
            if ex.due_date < day:
                errors[key] = _("The execution deadline cannot be before the meeting.")
                continue
            due = ex.due_date
        else:
            working_days = ex.due_working_days
            assert working_days is not None  # exactly one of the two is given (checked above)
            if not 1 <= working_days <= MAX_DAYS:
                errors[key] = _("Enter a number of working days from 1 to %(limit)s.") % {"limit": MAX_DAYS}
                continue
            calendar = calendar or load_calendar()
            try:
                result = add_working_days(calendar, start=day, days=working_days)
            except CalendarRangeError:
                errors[key] = _(
                    "The due date would fall after %(last)s, beyond the calendar known to the system."
                ) % {"last": LAST_YEAR}
                continue
            due = result.due
        assignments.append(
            Assignment(
                executor_member=member,
                executor_unit=unit,
                executor_name=name,
                due_date=due,
                due_working_days=ex.due_working_days,
                executor_email=email,
                executor_language=ex.language,
            )
        )
    if errors:
        raise ValidationError(errors)
    confirmed = check_texts(
        {"text_ru": text_ru, "text_kk": text_kk}
        | {f"executors.{i}": (ex.name or "") for i, ex in enumerate(executors)},
        confirmed=identifiers_confirmed,
        body=meeting.body,
    )
    with transaction.atomic():
        # what was checked above, again as committed: an attendance change or a cancellation in
        # flight finishes first (the meeting's lock), and the quorum stored is the one in force
        lock_meeting(meeting)
        refuse_action(meeting, RECORD_DECISION)
        quorum = quorum_for(meeting)
        number = (meeting.decisions.filter(agenda_item=agenda_item).aggregate(m=Max("number"))["m"] or 0) + 1
        decision = Decision.objects.create(
            meeting=meeting,
            agenda_item=agenda_item,
            number=number,
            text_ru=text_ru,
            text_kk=text_kk,
            quorum=quorum.as_dict(),
            created_by=actor,
        )
        # locks in the one order: the meeting, a remark or plan item it closes, the audit head
        record_hearing(agenda_item, decision=decision, actor=actor)
        if any(a.due_working_days for a in assignments):
            # counted again on the calendar read under the audit head's lock: a calendar change
            # in flight has either moved the deadlines it saw or is seen here
            stored = calendar_for_deadlines()
            for a in assignments:
                if a.due_working_days:
                    try:
                        a.due_date = add_working_days(stored, start=day, days=a.due_working_days).due
                    except CalendarRangeError:
                        raise ValidationError(
                            _(
                                "The due date would fall after %(last)s, beyond the calendar known to the system."
                            )
                            % {"last": LAST_YEAR}
                        ) from None
        for a in assignments:
            a.decision, a.body_id = decision, meeting.body_id
        Assignment.objects.bulk_create(assignments)
        record_event(
            decision,
            "decision.recorded",
            actor=actor,
            body=meeting.body,
            data={
                "meeting": meeting.pk,
                "agenda_item": agenda_item.pk,
                "text_ru": text_ru,
                "text_kk": text_kk,
                "quorum": quorum.as_dict(),
                "executors": [{"executor": a.executor_label, "due": a.due_date} for a in assignments],
            }
            | audit_data(confirmed),
        )
    return decision


def describe_quorum(quorum: Quorum) -> str:
    """The arithmetic in words: «police: 5 of 8 present, more than half needed: 5 — met; …»."""
    names = {"police": _("police"), "bar": _("bar")}
    parts = []
    for side, count in quorum.sides.items():
        parts.append(
            _("%(side)s: %(present)s of %(total)s present, needed %(required)s — %(state)s")
            % {
                "side": names[side],
                "present": count.present,
                "total": count.total,
                "required": count.required,
                "state": _("met") if count.met else _("not met"),
            }
        )
    if quorum.rule != "each_side_majority":
        o = quorum.overall
        parts.append(
            _("all members: %(present)s of %(total)s present, needed %(required)s — %(state)s")
            % {
                "present": o.present,
                "total": o.total,
                "required": o.required,
                "state": _("met") if o.met else _("not met"),
            }
        )
    return "; ".join(parts) + "."
