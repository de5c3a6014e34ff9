"""Choices for every status and kind stored by Alqa."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    POLICE = "police", _("Police")
    BAR = "bar", _("Bar")


class Role(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


# Roles whose holders run the body: they edit its register and must use a second factor.
MANAGING_ROLES = frozenset({Role.CHAIR, Role.DEPUTY_CHAIR, Role.SECRETARY})


class Language(models.TextChoices):
    RU = "ru", "Русский"
    KK = "kk", "Қазақша"
    EN = "en", "English"


class AppointmentBasis(models.TextChoices):
    ORDER = "order", _("Order")
    PRESIDIUM_RESOLUTION = "presidium_resolution", _("Presidium resolution")
    OTHER = "other", _("Other document")


class UnitKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    STRUCTURAL = "structural", _("Structural unit")
    SUBORDINATE = "subordinate", _("Subordinate unit")
    PRESIDIUM = "presidium", _("Presidium of the Bar")


class QuorumRule(models.TextChoices):
    EACH_SIDE_MAJORITY = "each_side_majority", _("More than half of the members of each side")
    OVERALL_MAJORITY_BOTH_SIDES = (
        "overall_majority_both_sides",
        _("More than half of all members, both sides present"),
    )


class GuestKind(models.TextChoices):
    EXPERT = "expert", _("Expert")
    SPECIALIST = "specialist", _("Specialist")
    ORGANISATION = "organisation", _("Representative of an organisation")
    PUBLIC = "public", _("Public representative")


class CalendarExceptionKind(models.TextChoices):
    DAY_OFF = "day_off", _("Working day made a day off")
    WORKING_DAY = "working_day", _("Day off made a working day")
    HOLIDAY_ADDED = "holiday_added", _("Holiday added")
    HOLIDAY_REMOVED = "holiday_removed", _("Holiday removed")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted onto an agenda")
    RETURNED = "returned", _("Returned")


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    EXTRAORDINARY = "extraordinary", _("Extraordinary")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class OnlineGround(models.TextChoices):
    """Why a meeting is held online (clause 3.3): meetings are held in person otherwise (3.4)."""

    URGENT = "urgent", _("A case that cannot wait")
    QUARANTINE = "quarantine", _("Quarantine measures")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class AgendaItemKind(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal of a member")
    PLAN_REPORT = "plan_report", _("Report on a plan item")
    REMARK = "remark", _("Remark on an earlier decision")
    OTHER = "other", _("Other question")


class InvitationReply(models.TextChoices):
    PENDING = "pending", _("No reply yet")
    ATTEND = "attend", _("Will attend")
    DECLINE = "decline", _("Will not attend")
    MATERIALS = "materials", _("Will send materials")


class ExtraordinaryInitiator(models.TextChoices):
    BAR_MONITORING_HEAD = "bar_monitoring_head", _("Head of the Bar's monitoring group")
    POLICE_UNIT_HEAD = "police_unit_head", _("Head of a police unit")
    CHAIR = "chair", _("The chair")


class ComplaintArticle(models.TextChoices):
    """Where a complaint went (Criminal Procedure Code, chapter on appeals)."""

    ART_105 = "105", _("Art. 105: to the prosecutor or the head of the investigating body")
    ART_106 = "106", _("Art. 106: to the investigating judge")


class OfficialKind(models.TextChoices):
    INVESTIGATOR = "investigator", _("Investigator")
    INQUIRY_OFFICER = "inquiry_officer", _("Inquiry officer")
    HEAD_OF_UNIT = "head_of_unit", _("Head of unit")
    PROSECUTOR = "prosecutor", _("Prosecutor")


class ComplaintOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied in full")
    PARTLY_SATISFIED = "partly_satisfied", _("Satisfied in part")
    REFUSED = "refused", _("Refused")
    NOT_CONSIDERED = "not_considered", _("Left without consideration")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PENDING = "pending", _("Not yet decided")


# Outcomes counted as satisfied in the share of satisfied complaints.
SATISFIED_OUTCOMES = frozenset({ComplaintOutcome.SATISFIED, ComplaintOutcome.PARTLY_SATISFIED})


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for the column mapping")
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Being imported")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Refused: nothing imported")


class NoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved by the chair")
    SENT = "sent", _("Sent to the units")
