"""What the meeting pages show, read in one function per page.

`meeting_page` gathers everything the meeting page shows to one reader, as decided by
permissions.MeetingReader (never by flags of its own): plain frozen dataclasses of values, in a
fixed number of queries whatever the size of the meeting. Bilingual texts and executors come from
the models' own properties (`title`, `text`, `executor_label`, `due_explanation`), labels of
choices from the enums (translated once a page), the quorum from the domain. Markup is the
templates' (alqa/templates/alqa/meetings/_*.html).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from alqa.domain.cadence import Cadence
from alqa.domain.execution import shown_status
from alqa.domain.meetings import (
    MeetingActions,
    MeetingState,
    body_cadence,
    describe_quorum,
    meeting_actions,
    meeting_day,
    quorum_for,
)
from alqa.domain.quorum import Quorum, quorum_of_roster, stored_quorum
from alqa.enums import (
    OVERDUE,
    SHOWN_ASSIGNMENT_STATUS,
    AgendaItemKind,
    GuestKind,
    InvitationReply,
    MeetingStatus,
    ProtocolStatus,
    RemarkStatus,
    Role,
    Side,
)
from alqa.models import (
    AgendaItem,
    Assignment,
    Attachment,
    AuditEvent,
    Body,
    ComplianceRemark,
    Guest,
    Invitation,
    Meeting,
    Member,
)
from alqa.permissions import MeetingReader
from alqa.queries.oversight import UrgentContactRow, urgent_contacts_waiting

# --- the quorum box -------------------------------------------------------------------------


@dataclass(frozen=True)
class QuorumSummary:
    """The quorum as the page says it: met or not, the arithmetic in words, the body's rule."""

    met: bool
    text: str
    rule: str

    @classmethod
    def of(cls, quorum: Quorum, meeting: Meeting) -> QuorumSummary:
        return cls(
            met=quorum.met,
            text=describe_quorum(quorum),
            rule=meeting.body.policy.get_quorum_rule_display(),
        )


def quorum_summary(meeting: Meeting) -> QuorumSummary:
    """The meeting's quorum now (domain.meetings.quorum_for): for the attendance answer and the
    decision form."""
    return QuorumSummary.of(quorum_for(meeting), meeting)


# --- the meeting page ---------------------------------------------------------------------


@dataclass(frozen=True)
class FileLink:
    pk: int
    name: str
    size: int


@dataclass(frozen=True)
class ProposalOnAgenda:
    pk: int
    title: str
    author: str
    memo_ru: str
    memo_kk: str


@dataclass(frozen=True)
class RemarkTarget:
    """The earlier decision an agenda item remarks on."""

    meeting_id: int
    decision_id: int
    order: int
    number: int
    starts_at: datetime
    text: str


@dataclass(frozen=True)
class AgendaRow:
    pk: int
    order: int
    title_ru: str
    title_kk: str
    kind: str
    speaker: str
    plan_item_ref: str
    proposal: ProposalOnAgenda | None
    remark_on: RemarkTarget | None
    files: tuple[FileLink, ...]
    # the plan item reported on: (plan id, item id, «plan, N. activity»)
    plan_item: tuple[int, int, str] | None = None


@dataclass(frozen=True)
class InvitationRow:
    name: str
    guest: bool
    part: str  # a member's role, or the kind of invited participant
    side: str  # a member's side; empty for an invited participant
    reply: str
    replied_at: datetime | None
    notified: bool = True  # False: no e-mail address, so no invitation went out


@dataclass(frozen=True)
class MyInvitation:
    """The reader's own invitation, read on every request (outside the page's cached part)."""

    meeting_id: int
    reply: str  # InvitationReply value
    reply_label: str
    replied_at: datetime | None


def my_invitation(meeting: Meeting, user_id: int | None) -> MyInvitation | None:
    """The signed-in member's own invitation to `meeting`, with their reply: one query."""
    if not user_id:
        return None
    row = (
        Invitation.objects.filter(meeting=meeting, member__user_id=user_id)
        .values_list("reply", "replied_at")
        .first()
    )
    if row is None:
        return None
    reply, replied_at = row
    return MyInvitation(meeting.pk, reply, _labels(InvitationReply.choices).get(reply, reply), replied_at)


@dataclass(frozen=True)
class OwnInvitation:
    """An invited participant's own invitation: their reply and the link to change it."""

    reply: str
    token: str


@dataclass(frozen=True)
class PersonPresence:
    pk: int
    full_name: str
    present: bool
    role: str = ""  # a member's role (Role value), to name all but plain members'
    role_label: str = ""


@dataclass(frozen=True)
class SideRoster:
    side: str
    label: str
    rows: tuple[PersonPresence, ...]


@dataclass(frozen=True)
class AttendanceSheet:
    """Members in office on the day by side, invited participants, who was marked present, and
    the quorum they make."""

    sides: tuple[SideRoster, ...]
    guests: tuple[PersonPresence, ...]
    recorded: bool
    quorum: QuorumSummary


@dataclass(frozen=True)
class ExecutorRow:
    label: str
    due_date: date
    explanation: str
    pk: int = 0
    status: str = ""  # the control state as shown (alqa/domain/execution.py shown_status), translated
    overdue: bool = False


@dataclass(frozen=True)
class DecisionCard:
    pk: int
    order: int
    number: int
    item_title: str
    text: str
    executors: tuple[ExecutorRow, ...]
    quorum_text: str
    # members' compliance remarks on the decision (clause 2.2.3): (id, status label, closed)
    remarks: tuple[tuple[int, str, bool], ...] = ()


@dataclass(frozen=True)
class MeetingPage:
    """Everything the meeting page shows to one kind of reader. Sections the reader may not see
    are empty (and not read)."""

    meeting: Meeting
    reader: MeetingReader
    cancelled: bool
    cancel_reason: str
    approved_by: str
    agenda: tuple[AgendaRow, ...]
    own_invitation: OwnInvitation | None = None
    invitations: tuple[InvitationRow, ...] = ()
    attendance: AttendanceSheet | None = None
    decisions: tuple[DecisionCard, ...] = ()
    guests_to_invite: bool = False
    # the urgent contacts waiting to be reported (clause 2.2.5), for those who keep the agenda
    urgent_contacts: tuple[UrgentContactRow, ...] = ()
    actions: MeetingActions = MeetingActions()
    # invited without an e-mail address: the secretary tells them another way
    not_notified: tuple[str, ...] = ()

    @property
    def body(self) -> Body:
        return self.meeting.body


def meeting_page(meeting: Meeting, reader: MeetingReader) -> MeetingPage:
    """The meeting page's content for `reader` (permissions.meeting_reader): a fixed number of
    queries for any number of agenda items, files, invitations, members and decisions."""
    cancelled = meeting.status == MeetingStatus.CANCELLED
    extra: dict = {}
    if reader.sees_own_invitation:
        extra["own_invitation"] = _own_invitation(meeting, reader.guest_user_id)
    if reader.sees_invitations or reader.sees_attendance:
        invitations = list(
            Invitation.objects.filter(meeting=meeting)
            # members by side and name, then invited participants (on PostgreSQL too, which sorts
            # empty values last)
            .order_by(F("guest_id").asc(nulls_first=True), "member__side", "member__full_name")
            .values_list(*INVITATION_COLUMNS)
        )
        if reader.sees_invitations:
            extra["invitations"] = _invitation_rows(invitations)
            if reader.manages:
                extra["not_notified"] = tuple(row.name for row in extra["invitations"] if not row.notified)
        if reader.sees_attendance:
            invited = [(row[4], row[5]) for row in invitations if row[4]]
            extra["attendance"] = attendance_sheet(meeting, guests=invited)
    if reader.sees_decisions:
        extra["decisions"] = _decisions(meeting)
    if reader.manages and not cancelled:
        extra["guests_to_invite"] = (
            Guest.objects.filter(body_id=meeting.body_id).exclude(invitations__meeting=meeting).exists()
        )
        if not extra.get("decisions"):  # decisions close the agenda
            extra["urgent_contacts"] = tuple(urgent_contacts_waiting(meeting))
    approved_by = ""
    if meeting.agenda_approved_by_id:
        approved_by = Member.objects.values_list("full_name", flat=True).get(pk=meeting.agenda_approved_by_id)
    agenda = _agenda(meeting)
    if reader.manages or reader.presiding:
        # what the page offers: the domain's one rule, on the state this page has read already
        attendance = extra.get("attendance")
        quorum = attendance.quorum if attendance is not None else quorum_summary(meeting)
        state = MeetingState(
            cancelled=cancelled,
            begun=meeting.starts_at <= timezone.now(),
            approved=meeting.agenda_approved_at is not None,
            has_items=bool(agenda),
            has_decisions=bool(extra.get("decisions")),
            closed=_protocol_status(meeting) not in (None, ProtocolStatus.DRAFT),
            quorum_met=quorum.met,
            quorum_text=quorum.text,
        )
        extra["actions"] = meeting_actions(meeting, reader, state=state)
    return MeetingPage(
        meeting=meeting,
        reader=reader,
        cancelled=cancelled,
        cancel_reason=_cancel_reason(meeting) if cancelled else "",
        approved_by=approved_by,
        agenda=agenda,
        **extra,
    )


def _protocol_status(meeting: Meeting) -> str | None:
    """The status of the meeting's protocol, None without one (read with the meeting by
    permissions.get_meeting_for_user)."""
    try:
        return meeting.protocol.status
    except ObjectDoesNotExist:
        return None


def _cancel_reason(meeting: Meeting) -> str:
    event = (
        AuditEvent.objects.filter(
            object_type="meeting", object_id=str(meeting.pk), action="meeting.cancelled"
        )
        .order_by("-id")
        .first()
    )
    return (event.data or {}).get("reason", "") if event else ""


# What the agenda shows of each item and of what hangs on it (its speaker, proposal, the decision
# it remarks on): only these columns are read, since every column of every joined row costs.
AGENDA_FIELDS = (
    "order",
    "title_ru",
    "title_kk",
    "kind",
    "plan_item_ref",
    "speaker__full_name",
    "proposal__title_ru",
    "proposal__title_kk",
    "proposal__memo_ru",
    "proposal__memo_kk",
    "proposal__author__full_name",
    "remark_on__number",
    "remark_on__text_ru",
    "remark_on__text_kk",
    "remark_on__meeting__starts_at",
    "remark_on__agenda_item__order",
    "plan_item__number",
    "plan_item__activity_ru",
    "plan_item__activity_kk",
    "plan_item__plan__period",
    "plan_item__plan__year",
    "plan_item__plan__quarter",
)


def _agenda(meeting: Meeting) -> tuple[AgendaRow, ...]:
    """Two queries: the items with their speakers, proposals and remarked decisions; then the
    files of the items and of their proposals."""
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related(
            "speaker", "proposal__author", "remark_on__meeting", "remark_on__agenda_item", "plan_item__plan"
        )
        .only(*AGENDA_FIELDS)
    )
    if not items:
        return ()
    proposal_ids = {item.proposal_id for item in items if item.proposal_id}
    files: dict[tuple[str, int], list[FileLink]] = {}
    for pk, name, size, item_id, proposal_id in (
        Attachment.objects.filter(Q(agenda_item__meeting=meeting) | Q(proposal_id__in=proposal_ids))
        .order_by("id")
        .values_list("pk", "name", "size", "agenda_item_id", "proposal_id")
    ):
        link = FileLink(pk, name, size)
        if item_id:
            files.setdefault(("item", item_id), []).append(link)
        if proposal_id:
            files.setdefault(("proposal", proposal_id), []).append(link)
    kinds = _labels(AgendaItemKind.choices)
    rows = []
    for item in items:
        proposal, remark = item.proposal, item.remark_on
        rows.append(
            AgendaRow(
                pk=item.pk,
                order=item.order,
                title_ru=item.title_ru,
                title_kk=item.title_kk,
                kind=kinds.get(item.kind, item.kind),
                speaker=item.speaker.full_name if item.speaker else "",
                plan_item_ref=item.plan_item_ref,
                plan_item=(
                    (
                        item.plan_item.plan_id,
                        item.plan_item.pk,
                        f"{item.plan_item.plan.label}, {item.plan_item.number}. {item.plan_item.activity}",
                    )
                    if item.plan_item
                    else None
                ),
                proposal=(
                    ProposalOnAgenda(
                        pk=proposal.pk,
                        title=proposal.title,
                        author=proposal.author.full_name,
                        memo_ru=proposal.memo_ru,
                        memo_kk=proposal.memo_kk,
                    )
                    if proposal
                    else None
                ),
                remark_on=(
                    RemarkTarget(
                        meeting_id=remark.meeting_id,
                        decision_id=remark.pk,
                        order=remark.agenda_item.order,
                        number=remark.number,
                        starts_at=remark.meeting.starts_at,
                        text=remark.text,
                    )
                    if remark
                    else None
                ),
                files=tuple(files.get(("item", item.pk), []))
                + (tuple(files.get(("proposal", proposal.pk), [])) if proposal else ()),
            )
        )
    return tuple(rows)


def _own_invitation(meeting: Meeting, user_id: int | None) -> OwnInvitation | None:
    invitation = (
        Invitation.objects.filter(meeting=meeting, guest__user_id=user_id).only("reply", "token").first()
        if user_id
        else None
    )
    return OwnInvitation(invitation.get_reply_display(), invitation.token) if invitation else None


INVITATION_COLUMNS = (
    "member_id",
    "member__full_name",
    "member__role",
    "member__side",
    "guest_id",
    "guest__full_name",
    "guest__kind",
    "reply",
    "replied_at",
    "email",
)


_NOT_NOTIFIED = gettext_lazy("not notified — no e-mail")


def _labels(choices) -> dict[str, str]:
    """A TextChoices' labels in the reader's language, translated once for all the rows."""
    return {value: str(label) for value, label in choices}


def _invitation_rows(invitations: list[tuple]) -> tuple[InvitationRow, ...]:
    roles, sides = _labels(Role.choices), _labels(Side.choices)
    kinds, replies = _labels(GuestKind.choices), _labels(InvitationReply.choices)
    rows = []
    for (
        member_id,
        member_name,
        role,
        side,
        _guest_id,
        guest_name,
        kind,
        reply,
        replied_at,
        email,
    ) in invitations:
        notified = bool(email)
        if not notified and reply == InvitationReply.PENDING:
            label = str(_NOT_NOTIFIED)
        else:
            label = replies.get(reply, reply)
        rows.append(
            InvitationRow(
                name=member_name if member_id else guest_name,
                guest=not member_id,
                part=roles.get(role, role) if member_id else kinds.get(kind, kind),
                side=sides.get(side, side) if member_id else "",
                reply=label,
                replied_at=replied_at,
                notified=notified,
            )
        )
    return tuple(rows)


def attendance_sheet(meeting: Meeting, *, guests: list[tuple[int, str]] | None = None) -> AttendanceSheet:
    """The attendance rows and the members in office on the meeting's day (two queries), with the
    invited participants `guests` as (id, name) (read here when not given). The quorum is counted
    by the domain from the same roster (quorum_of_roster), as quorum_for counts it."""
    day = meeting_day(meeting)
    marked: dict[tuple[int | None, int | None], bool] = {
        (member_id, guest_id): present
        for member_id, guest_id, present in meeting.attendance.values_list("member_id", "guest_id", "present")
    }
    if guests is None:
        guests = list(
            Invitation.objects.filter(meeting=meeting, guest__isnull=False)
            .order_by("guest_id")
            .values_list("guest_id", "guest__full_name")
        )
    sides: dict[str, list[PersonPresence]] = {}
    roster = []
    roles, side_labels = _labels(Role.choices), _labels(Side.choices)
    members = Member.objects.filter(body_id=meeting.body_id).on(day).order_by("side", "full_name")
    for pk, full_name, side, role in members.values_list("pk", "full_name", "side", "role"):
        present = marked.get((pk, None), False)
        roster.append((side, present))
        sides.setdefault(side, []).append(
            PersonPresence(pk, full_name, present, role=role, role_label=roles.get(role, role))
        )
    quorum = quorum_of_roster(rule=meeting.body.policy.quorum_rule, roster=roster)
    return AttendanceSheet(
        sides=tuple(
            SideRoster(side, side_labels.get(side, side), tuple(rows)) for side, rows in sides.items()
        ),
        guests=tuple(PersonPresence(pk, name, marked.get((None, pk), False)) for pk, name in guests),
        recorded=bool(marked),
        quorum=QuorumSummary.of(quorum, meeting),
    )


DECISION_FIELDS = (
    "meeting",
    "number",
    "text_ru",
    "text_kk",
    "quorum",
    "agenda_item__order",
    "agenda_item__title_ru",
    "agenda_item__title_kk",
)
EXECUTOR_FIELDS = (
    "decision",
    "executor_member__full_name",
    "executor_unit__name_ru",
    "executor_unit__name_kk",
    "executor_name",
    "due_date",
    "due_recounted",
    "due_working_days",
    "due_start",
    "status",
    "info_due",
)


def _decisions(meeting: Meeting) -> tuple[DecisionCard, ...]:
    """Two queries: the decisions with their questions, then all their executors."""
    # through the meeting's manager each decision knows its meeting, from whose day the executors'
    # deadlines in working days are explained
    decisions = list(meeting.decisions.select_related("agenda_item").only(*DECISION_FIELDS))
    if not decisions:
        return ()
    by_id = {decision.pk: decision for decision in decisions}
    executors: dict[int, list[ExecutorRow]] = {}
    today = timezone.localdate()
    for a in (
        Assignment.objects.filter(decision__meeting=meeting)
        .select_related("executor_member", "executor_unit")
        .only(*EXECUTOR_FIELDS)
        .order_by("id")
    ):
        assert a.decision_id is not None  # filtered by the decision's meeting
        a.decision = by_id[a.decision_id]
        shown = shown_status(a, today)
        executors.setdefault(a.decision_id, []).append(
            ExecutorRow(
                a.executor_label,
                a.due_date,
                a.due_explanation,
                pk=a.pk,
                status=str(dict(SHOWN_ASSIGNMENT_STATUS)[shown]),
                overdue=shown == OVERDUE,
            )
        )
    remarks: dict[int, list[tuple[int, str, bool]]] = {}
    for remark in (
        ComplianceRemark.objects.filter(decision__meeting=meeting)
        .only("pk", "decision_id", "status")
        .order_by("id")
    ):
        assert remark.decision_id is not None
        remarks.setdefault(remark.decision_id, []).append(
            (remark.pk, remark.get_status_display(), remark.status == RemarkStatus.CLOSED)
        )
    described: dict[str, str] = {}  # decisions of one sitting mostly share their quorum
    cards = []
    for decision in decisions:
        key = json.dumps(decision.quorum, sort_keys=True, default=str)
        if key not in described:
            quorum = stored_quorum(decision.quorum)
            described[key] = describe_quorum(quorum) if quorum else ""
        cards.append(
            DecisionCard(
                pk=decision.pk,
                order=decision.agenda_item.order,
                number=decision.number,
                item_title=decision.agenda_item.title,
                text=decision.text,
                executors=tuple(executors.get(decision.pk, ())),
                quorum_text=described[key],
                remarks=tuple(remarks.get(decision.pk, ())),
            )
        )
    return tuple(cards)


# --- the list of meetings -----------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRow:
    pk: int
    label: str
    starts_at: datetime
    cancelled: bool
    retrospective: bool
    kind: str
    format: str
    presiding: str
    item_count: int
    agenda_approved: bool


@dataclass(frozen=True)
class MeetingList:
    upcoming: tuple[MeetingRow, ...]  # soonest first
    past: tuple[MeetingRow, ...]  # latest first, the cancelled among them
    cadence: Cadence

    @property
    def next_meeting(self) -> MeetingRow | None:
        return self.upcoming[0] if self.upcoming else None


def meeting_list(body: Body) -> MeetingList:
    """A body's meetings, upcoming and past, and the cadence of regular meetings."""
    now = timezone.now()
    upcoming: list[Any] = []
    past: list[Any] = []
    for m in (
        Meeting.objects.filter(body=body)
        .select_related("presiding")
        .annotate(item_count=Count("items"))
        .order_by("-starts_at")
    ):
        row = MeetingRow(
            pk=m.pk,
            label=str(m),
            starts_at=m.starts_at,
            cancelled=m.status == MeetingStatus.CANCELLED,
            retrospective=m.retrospective,
            kind=m.get_kind_display(),
            format=m.get_format_display(),
            presiding=m.presiding.full_name,
            item_count=m.item_count,
            agenda_approved=m.agenda_approved,
        )
        (upcoming if m.starts_at >= now and m.status == MeetingStatus.SCHEDULED else past).append(row)
    return MeetingList(upcoming=tuple(reversed(upcoming)), past=tuple(past), cadence=body_cadence(body))
