"""Choices for every status and kind stored by Alqa."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    COMPLAINT_NOTE = "complaint_note", _("Generalisation of complaints practice")
    OTHER = "other", _("Other question")


class InvitationReply(models.TextChoices):
    PENDING = "pending", _("No reply yet")
    ATTEND = "attend", _("Will attend")
    DECLINE = "decline", _("Will not attend")
    MATERIALS = "materials", _("Will send materials")


# The same replies as the invited person gives them, in the first person (the reply page's buttons).
REPLY_IN_FIRST_PERSON = {
    InvitationReply.ATTEND: pgettext_lazy("my reply", "I will attend"),
    InvitationReply.DECLINE: pgettext_lazy("my reply", "I will not attend"),
    InvitationReply.MATERIALS: pgettext_lazy("my reply", "I will send materials"),
}


class ExtraordinaryInitiator(models.TextChoices):
    BAR_MONITORING_HEAD = "bar_monitoring_head", _("Head of the Bar's monitoring group")
    POLICE_UNIT_HEAD = "police_unit_head", _("Head of a police unit")
    CHAIR = "chair", _("The chair")


class ProtocolStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    AMENDED = "amended", _("Amended")
    DESTROYED = "destroyed", _("Destroyed")


class SignatureRole(models.TextChoices):
    PRESIDING = "presiding", _("Presiding")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member present")


class SignatureRefusal(models.TextChoices):
    """Why a qualified e-signature was refused (alqa.domain.esign): the code recorded with
    `protocol.signature_refused`, read in the audit as its reason."""

    MALFORMED = "malformed", _("the file is not a readable signature")
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm", _("its algorithm or key is not supported")
    DOCUMENT_MISMATCH = "document_mismatch", _("it was made over another document")
    UNTRUSTED = "untrusted", _("the certificate was not issued by a trusted certification authority")
    EXPIRED = "expired", _("the certificate had expired")
    NOT_YET_VALID = "not_yet_valid", _("the certificate was not valid yet")
    NOT_FOR_SIGNING = "not_for_signing", _("the certificate is not meant for signing")
    WRONG_PERSON = "wrong_person", _("the certificate belongs to another person")
    REVOKED = "revoked", _("the certificate was revoked")


class SignatureMethod(models.TextChoices):
    """How a signature was made. An open list: the stored column is not limited to these, so a
    method added later (a qualified e-signature, `cms`) needs no change of the table."""

    HASH = "hash", _("Confirmed in Alqa with the second factor")
    PAPER = "paper", _("Signed on paper")
    CMS = "cms", _("Qualified electronic signature")


class ProtocolStep(models.TextChoices):
    SIGN = "sign", _("Signing")
    DISTRIBUTE = "distribute", _("Distribution")


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("The working day before")
    DUE = "due", _("On the due date")


# --- execution control (clauses 3.2, 3.8) ---------------------------------------------------


class AssignmentStatus(models.TextChoices):
    """The stored state of an assignment. "Overdue" is not stored: an open assignment is overdue
    while today is past one of its open deadlines (alqa/domain/execution.py `is_overdue`)."""

    ISSUED = "issued", _("Issued")
    RECEIVED = "received", _("Received")
    INFO_GIVEN = "info_given", _("Information given")
    REPORT_SUBMITTED = "report_submitted", _("Report submitted")
    RETURNED = "returned", _("Returned for rework")
    DONE = "done", _("Done")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The states in which an assignment is still followed (deadlines, reminders, the executor's link).
OPEN_ASSIGNMENT = frozenset(
    {
        AssignmentStatus.ISSUED,
        AssignmentStatus.RECEIVED,
        AssignmentStatus.INFO_GIVEN,
        AssignmentStatus.REPORT_SUBMITTED,
        AssignmentStatus.RETURNED,
    }
)
OVERDUE = "overdue"  # the computed state shown and filtered like a status
# The states as pages and the API show them: the stored ones and the computed `overdue`.
SHOWN_ASSIGNMENT_STATUS = [*AssignmentStatus.choices, (OVERDUE, _("Overdue"))]
# The states in which each deadline runs: the information deadline until the information is
# given, the execution deadline until a report on execution is submitted (again once returned).
INFO_OPEN = frozenset({AssignmentStatus.ISSUED, AssignmentStatus.RECEIVED})
DUE_OPEN = frozenset(
    {
        AssignmentStatus.ISSUED,
        AssignmentStatus.RECEIVED,
        AssignmentStatus.INFO_GIVEN,
        AssignmentStatus.RETURNED,
    }
)


class ReportKind(models.TextChoices):
    INFO = "info", _("Information")
    FINAL = "final", _("Report on execution")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting decision")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class ExecutionDeadline(models.TextChoices):
    """Which deadline of an assignment a reminder is about; CHAIR: the chair told of an overdue."""

    INFO = "info", _("Information deadline")
    DUE = "due", _("Execution deadline")
    CHAIR = "chair", _("Overdue, the chair told")


# --- oversight between meetings (clauses 2.1.5, 2.2.2, 2.2.7) ---------------------------------


class FacilityKind(models.TextChoices):
    TEMPORARY_DETENTION = "temporary_detention", _("Temporary detention facility")
    SPECIAL_RECEPTION = "special_reception", _("Special reception centre")
    DISTRICT_DEPARTMENT = "district_department", _("District police department")
    LOCAL_POLICE_SERVICE = "local_police_service", _("Local police service")
    OTHER = "other", _("Other police premises")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RECORDED = "recorded", _("Recorded")
    CANCELLED = "cancelled", _("Cancelled")


class CheckResult(models.TextChoices):
    COMPLIANT = "compliant", _("No violation")
    VIOLATION = "violation", _("Violation found")
    NOT_CHECKED = "not_checked", _("Not checked")


class ViolationKind(models.TextChoices):
    CONDITIONS = "conditions", _("Conditions of detention")
    LAWYER_ACCESS = "lawyer_access", _("Lawyers' access to clients")
    REGISTER = "register", _("Keeping of the detainees' register")
    TIME_LIMITS = "time_limits", _("Time limits of detention")
    RIGHTS = "rights", _("Explanation of rights")
    OTHER = "other", _("Other violation")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PROPOSED = "proposed", _("Turned into a proposal")
    REMARKED = "remarked", _("Turned into a compliance remark")
    CLOSED = "closed", _("Remedied")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class AddresseeKind(models.TextChoices):
    """Whom the group asks for documents and information (clause 2.2.8); the answer's time limit
    depends on it (alqa/domain/requests.py, ANSWER_POLICY)."""

    STATE_BODY = "state_body", _("State body")
    POLICE_UNIT = "police_unit", _("Police unit")
    LAW_ENFORCEMENT = "law_enforcement", _("Prosecutor's office or court")
    ORGANISATION = "organisation", _("Other organisation")


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Not sent yet")
    SENT = "sent", _("Sent, awaiting the answer")
    ANSWERED = "answered", _("Answered")


class AnswerAssessment(models.TextChoices):
    COMPLETE = "complete", _("Complete answer")
    PARTIAL = "partial", _("Partial answer")
    REFUSED = "refused", _("Refusal")


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


class RenderingStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting in the queue")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Could not be prepared")


class NoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved by the chair")
    SENT = "sent", _("Sent to the units")


class RemarkStatus(models.TextChoices):
    OPEN = "open", _("Filed, awaiting the agenda")
    ON_AGENDA = "on_agenda", _("On a meeting's agenda")
    CLOSED = "closed", _("Closed")


class PlanPeriod(models.TextChoices):
    QUARTER = "quarter", _("Quarterly plan")
    YEAR = "year", _("Annual plan")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class PlanItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not done")
    CARRIED = "carried", _("Carried over to the next period")


class LegislativeStatus(models.TextChoices):
    """A legislative proposal's way (clause 2.2.11): drafted, approved by a decision of the group,
    submitted to the addressee, and the addressee's outcome."""

    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved by the group")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")


class RequestReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the answer is due")
    DUE = "due", _("On the day the answer is due")
    OVERDUE = "overdue", _("The answer is overdue")
