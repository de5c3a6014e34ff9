"""Proposals, meetings, agenda, invitations, attendance, decisions and their executors."""

import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from alqa.dates import date_of, human_date, inflected_date
from alqa.enums import (
    AgendaItemKind,
    AssignmentStatus,
    ExtraordinaryInitiator,
    InvitationReply,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    OnlineGround,
    ProposalStatus,
)
from alqa.models.bodies import Body, Unit
from alqa.models.files import StoredFile
from alqa.models.links import is_web_address, validate_web_address
from alqa.models.people import Guest, Member

# How long a meeting may last, in minutes: declared once, read by the domain and the API.
DURATION_MINUTES = (15, 600)


class BilingualTitle(models.Model):
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if get_language() == "kk" and self.title_kk:
            return self.title_kk
        return self.title_ru or self.title_kk


class Proposal(BilingualTitle):
    """A member's proposal with its justification memo (справка-обоснование), clause 2.2.1 / 3.3."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="proposals")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="proposals")
    memo_ru = models.TextField(_("justification memo (Russian)"), blank=True)
    memo_kk = models.TextField(_("justification memo (Kazakh)"), blank=True)
    status = models.CharField(max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED)
    return_reason = models.TextField(_("reason for return"), blank=True)
    decided_by = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(title_ru="", title_kk=""), name="proposal_has_title"),
            models.CheckConstraint(
                condition=~Q(status="returned", return_reason=""), name="proposal_return_has_reason"
            ),
        ]

    @property
    def memo(self) -> str:
        if get_language() == "kk" and self.memo_kk:
            return self.memo_kk
        return self.memo_ru or self.memo_kk


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    format = models.CharField(
        _("format"), max_length=20, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration, minutes"),
        default=120,
        validators=[MinValueValidator(DURATION_MINUTES[0]), MaxValueValidator(DURATION_MINUTES[1])],
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    conference_url = models.CharField(
        _("conference link"), max_length=500, blank=True, validators=[validate_web_address]
    )
    online_ground = models.CharField(
        _("ground for meeting online"), max_length=20, choices=OnlineGround.choices, blank=True
    )
    online_ground_note = models.CharField(_("ground for meeting online, details"), max_length=500, blank=True)
    presiding = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="presided_meetings", verbose_name=_("presiding")
    )
    delegated_by = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delegated by the chair"),
    )
    delegation_basis = models.CharField(_("chair's instruction"), max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    retrospective = models.BooleanField(_("entered after the fact"), default=False)
    initiator_kind = models.CharField(
        _("proposed by"), max_length=30, choices=ExtraordinaryInitiator.choices, blank=True
    )
    initiator_name = models.CharField(_("name of the proposer"), max_length=300, blank=True)
    initiator_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    chair_consent = models.BooleanField(_("with the chair's consent"), default=False)
    agenda_approved_at = models.DateTimeField(null=True, blank=True)
    agenda_approved_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agenda_version = models.PositiveIntegerField(default=0)
    ical_sequence = models.PositiveIntegerField(default=0)
    uid = models.CharField(max_length=80, unique=True, default=secrets.token_hex)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["body", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(format="online", conference_url=""), name="meeting_online_has_link"
            ),
            # An in-person meeting needs no ground (clause 3.4); an online one states it (3.3), which
            # the domain requires of every meeting scheduled or changed (older ones may lack it).
            models.CheckConstraint(
                condition=Q(format="online") | Q(online_ground="", online_ground_note=""),
                name="meeting_ground_only_online",
            ),
            models.CheckConstraint(
                condition=Q(online_ground__in=["", *OnlineGround.values]), name="meeting_online_ground_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"

    @property
    def agenda_approved(self) -> bool:
        return self.agenda_approved_at is not None

    @property
    def conference_link(self) -> str:
        """The conference link when a page may render it as a link (http or https), else ""."""
        return self.conference_url if is_web_address(self.conference_url) else ""


class AgendaItem(BilingualTitle):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.OTHER)
    speaker = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    plan_item_ref = models.CharField(_("plan item"), max_length=200, blank=True)
    # the plan item a "report on a plan item" is heard on (the text above is kept for older items)
    plan_item = models.ForeignKey(
        "alqa.PlanItem", on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    remark_on = models.ForeignKey(
        "Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="remarks"
    )
    # the generalisation of complaints practice heard as this question (clause 2.1.4)
    complaint_note = models.ForeignKey(
        "ComplaintNote", on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title_ru="", title_kk=""), name="agenda_item_has_title"),
            # a proposal comes onto a meeting's agenda once, however often "accept" is pressed
            models.UniqueConstraint("meeting", "proposal", name="agenda_item_proposal_unique"),
            # and a generalisation note once, likewise
            models.UniqueConstraint("meeting", "complaint_note", name="agenda_item_note_unique"),
            # one question per position: moves and removals renumber under the meeting's lock
            models.UniqueConstraint("meeting", "order", name="agenda_item_position_unique"),
        ]


class Attachment(StoredFile):
    """A file of a proposal or an agenda item: type checked by content, size limited."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to="attachments/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(StoredFile.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False) | Q(agenda_item__isnull=False),
                name="attachment_has_owner",
            ),
        ]


class Invitation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )
    guest = models.ForeignKey(
        Guest, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=2, default="ru")
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    reply = models.CharField(max_length=20, choices=InvitationReply.choices, default=InvitationReply.PENDING)
    replied_at = models.DateTimeField(null=True, blank=True)
    sent_sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("meeting", "member", name="invitation_member_unique"),
            models.UniqueConstraint("meeting", "guest", name="invitation_guest_unique"),
            models.CheckConstraint(
                condition=Q(member__isnull=False, guest__isnull=True)
                | Q(member__isnull=True, guest__isnull=False),
                name="invitation_member_xor_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.person}"

    @property
    def person(self):
        return self.member or self.guest


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="attendance"
    )
    guest = models.ForeignKey(
        Guest, on_delete=models.PROTECT, null=True, blank=True, related_name="attendance"
    )
    present = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("meeting", "member", name="attendance_member_unique"),
            models.UniqueConstraint("meeting", "guest", name="attendance_guest_unique"),
            models.CheckConstraint(
                condition=Q(member__isnull=False, guest__isnull=True)
                | Q(member__isnull=True, guest__isnull=False),
                name="attendance_member_xor_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.member or self.guest}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    number = models.PositiveSmallIntegerField(default=1)
    text_ru = models.TextField(_("decision (Russian)"), blank=True)
    text_kk = models.TextField(_("decision (Kazakh)"), blank=True)
    quorum = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agenda_item__order", "number", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text_ru="", text_kk=""), name="decision_has_text"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def text(self) -> str:
        return in_reader_language(self.text_ru, self.text_kk)


def in_reader_language(ru: str, kk: str) -> str:
    """A text entered in both languages as the reader reads it: the Kazakh for a Kazakh reader
    when there is one, else the Russian (the Kazakh when only it was entered)."""
    if get_language() == "kk" and kk:
        return kk
    return ru or kk


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        """Every row gets its body from its decision or plan item when the caller left it out
        (the domain sets it; a row without a source fails on the source's check)."""
        objs = list(objs)
        for a in objs:
            a.fill_body()
        return super().bulk_create(objs, *args, **kwargs)


class Assignment(models.Model):
    """An executor of a decision or of a plan item with an individual execution deadline
    (clause 3.8). `body` repeats the body of the source (the decision's meeting's, the plan
    item's plan's): set when the row is made (`fill_body`; sources never move between bodies), it
    lets the control page, the reminders and the recount select a body's assignments by an index
    of their own, without joining through meetings or plans."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="assignments")
    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    # a plan item's responsible executor (clause 2.1.2) instead of a decision's
    plan_item = models.ForeignKey(
        "alqa.PlanItem", on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    executor_member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    executor_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    executor_name = models.CharField(_("named official"), max_length=300, blank=True)
    due_date = models.DateField(_("execution deadline"))
    due_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # The last time a calendar change moved `due_date` (alqa/domain/deadlines.py): the date it
    # had, the day whose status changed and what that day became; {} when never moved.
    due_recounted = models.JSONField(default=dict, blank=True)
    # Execution control (alqa/domain/execution.py). The e-mail and language of an executor who is
    # not a member (a named official; a unit's own address when left empty) for the personal link.
    executor_email = models.EmailField(_("executor's e-mail"), blank=True)
    executor_language = models.CharField(max_length=2, default="ru")
    status = models.CharField(
        _("status"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ISSUED
    )
    # The executor's receipt of the protocol: the day (the acknowledgement's, or the day a paper
    # copy was handed over) and when it was recorded; the information deadline counts from it.
    received_on = models.DateField(_("protocol received on"), null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    received_via = models.CharField(max_length=20, blank=True)
    info_due = models.DateField(_("information deadline"), null=True, blank=True)
    info_days = models.PositiveSmallIntegerField(null=True, blank=True)
    info_due_recounted = models.JSONField(default=dict, blank=True)
    # After a granted extension the execution deadline counts from the grant's day, not the meeting.
    due_start = models.DateField(null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(executor_member__isnull=False)
                | Q(executor_unit__isnull=False)
                | ~Q(executor_name=""),
                name="assignment_has_executor",
            ),
            models.CheckConstraint(
                condition=Q(decision__isnull=False, plan_item__isnull=True)
                | Q(decision__isnull=True, plan_item__isnull=False),
                name="assignment_decision_xor_plan_item",
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(info_due__isnull=False),
                name="assignment_receipt_has_info_due",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="assignment_status_due"),
            # the control page and the reminder run: a body's open assignments by deadline
            models.Index(fields=["body", "status", "due_date"], name="assignment_body_status_due"),
            models.Index(fields=["body", "due_date", "id"], name="assignment_body_due"),
        ]

    def __str__(self) -> str:
        return self.executor_label

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            self.fill_body()
        super().save(*args, **kwargs)

    def source_body_id(self) -> int | None:
        """The body of the decision's meeting or of the plan item's plan (a query when not loaded)."""
        if self.decision_id is not None:
            if "decision" in self._state.fields_cache and self.decision is not None:
                return self.decision.meeting.body_id
            return (
                Decision.objects.filter(pk=self.decision_id)
                .values_list("meeting__body_id", flat=True)
                .first()
            )
        if self.plan_item_id is not None:
            from alqa.models.plans import PlanItem

            return (
                PlanItem.objects.filter(pk=self.plan_item_id).values_list("plan__body_id", flat=True).first()
            )
        return None

    def fill_body(self) -> None:
        """Sets `body` from the source when it is not set yet."""
        if self.body_id is None:
            body_id = self.source_body_id()
            if body_id is not None:
                self.body_id = body_id

    @property
    def meeting_day(self) -> date:
        """The day the deadline counts from unless extended: the meeting's for a decision; for a
        plan item, the day its plan was approved (or the period's first day while in draft)."""
        if self.decision is not None:
            return timezone.localtime(self.decision.meeting.starts_at).date()
        assert self.plan_item is not None  # exactly one of the two (assignment_decision_xor_plan_item)
        plan = self.plan_item.plan
        if plan.approved_at is not None:
            return timezone.localtime(plan.approved_at).date()
        return date(plan.year, 3 * plan.quarter - 2 if plan.quarter else 1, 1)

    @property
    def source_text(self) -> str:
        """What is to be done: the decision's wording, or the plan item's activity."""
        if self.decision is not None:
            return self.decision.text
        assert self.plan_item is not None
        return self.plan_item.activity

    @property
    def start_day(self) -> date:
        return self.due_start or self.meeting_day

    @property
    def due_explanation(self) -> str:
        """How the deadline was counted, in the reader's language (empty for a date set by hand)."""
        if not self.due_working_days or self.decision is None:
            return ""
        if self.due_start:
            return explain_extended(self.due_working_days, self.due_start, self.due_recounted)
        return explain_due(self.due_working_days, self.meeting_day, self.due_recounted)

    @property
    def info_due_explanation(self) -> str:
        if not self.info_days or not self.received_on:
            return ""
        return explain_info(self.info_days, self.received_on, self.received_via, self.info_due_recounted)

    @property
    def executor_label(self) -> str:
        member, unit = self.executor_member, self.executor_unit
        return executor_label_of(
            member=member.full_name if member else None,
            unit=(unit.name_ru, unit.name_kk) if unit else None,
            named=self.executor_name,
        )


def executor_label_of(*, member: str | None, unit: tuple[str, str] | None, named: str) -> str:
    """Who executes an assignment, as pages and documents name them (`Assignment.executor_label`,
    also for lists read as columns): the member's full name, else the unit's name in the reader's
    language (`Unit.name`), else the named official."""
    if member is not None:
        return member
    if unit is not None:
        return Unit.name_of(*unit)
    return named


def explain_due(working_days: int | None, meeting_day: date, recounted: dict) -> str:
    """How an execution deadline was counted, in the reader's language: «N working days after the
    meeting of …», and, once a calendar change has moved it, from which date and why."""
    if not working_days:
        return ""
    text = ngettext(
        "%(days)s working day after the meeting of %(day)s",
        "%(days)s working days after the meeting of %(day)s",
        working_days,
    ) % {"days": working_days, "day": date_of(meeting_day)}
    return _with_move(text, recounted)


def explain_extended(working_days: int, granted_on: date, recounted: dict) -> str:
    """An execution deadline counted again when an extension was granted: from the deadline it
    had, or from the day of the grant when that had passed."""
    text = ngettext(
        "%(days)s working day after %(day)s (the deadline extended)",
        "%(days)s working days after %(day)s (the deadline extended)",
        working_days,
    ) % {"days": working_days, "day": human_date(granted_on)}
    return _with_move(text, recounted)


def explain_info(working_days: int, received_on: date, via: str, recounted: dict) -> str:
    """The information deadline: N working days (the body's policy) after the receipt."""
    if via == "paper":
        text = ngettext(
            "%(days)s working day after the paper copy of the protocol was received on %(day)s",
            "%(days)s working days after the paper copy of the protocol was received on %(day)s",
            working_days,
        )
    else:
        text = ngettext(
            "%(days)s working day after the protocol was received on %(day)s",
            "%(days)s working days after the protocol was received on %(day)s",
            working_days,
        )
    return _with_move(text % {"days": working_days, "day": human_date(received_on)}, recounted)


def _with_move(text: str, recounted: dict) -> str:
    if recounted:
        moved = {
            "previous": inflected_date(date.fromisoformat(recounted["previous"]), "ablative_bare"),
            "day": human_date(date.fromisoformat(recounted["day"])),
        }
        if recounted["working"]:
            reason = gettext("moved from %(previous)s when %(day)s became a working day") % moved
        else:
            reason = gettext("moved from %(previous)s when %(day)s became a day off") % moved
        text = f"{text}; {reason}"
    return text
