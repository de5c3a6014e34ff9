from alqa.models.audit import AuditEvent, AuditHead
from alqa.models.bodies import Body, BodyPolicy, Unit
from alqa.models.calendar import CalendarException
from alqa.models.complaints import (
    Complaint,
    ComplaintImport,
    ComplaintNote,
    ComplaintSubject,
    ImportMapping,
    NoteReceipt,
)
from alqa.models.esign import RevocationList, TrustedRoot
from alqa.models.execution import (
    AssignmentFile,
    AssignmentReminder,
    AssignmentReport,
    ExecutorLink,
    ExtensionRequest,
)
from alqa.models.meetings import (
    AgendaItem,
    Assignment,
    Attachment,
    Attendance,
    Decision,
    Invitation,
    Meeting,
    Proposal,
)
from alqa.models.outbox import OutboxMessage
from alqa.models.oversight import (
    ChecklistItem,
    DocumentRequest,
    Facility,
    Finding,
    OversightFile,
    Publication,
    Visit,
    VisitCheck,
)
from alqa.models.people import Guest, Member
from alqa.models.protocols import (
    Protocol,
    ProtocolCounter,
    ProtocolRecipient,
    ProtocolReminder,
    ProtocolRevision,
    ProtocolSignature,
)
from alqa.models.users import ApiToken, User

__all__ = [
    "AssignmentFile",
    "AssignmentReminder",
    "AssignmentReport",
    "ExecutorLink",
    "ExtensionRequest",
    "AgendaItem",
    "Assignment",
    "Attachment",
    "Attendance",
    "Decision",
    "Invitation",
    "Meeting",
    "Proposal",
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "Body",
    "BodyPolicy",
    "CalendarException",
    "ChecklistItem",
    "DocumentRequest",
    "Facility",
    "Finding",
    "OversightFile",
    "Publication",
    "Visit",
    "VisitCheck",
    "Complaint",
    "ComplaintImport",
    "ComplaintNote",
    "ComplaintSubject",
    "ImportMapping",
    "NoteReceipt",
    "Guest",
    "Member",
    "OutboxMessage",
    "RevocationList",
    "TrustedRoot",
    "Protocol",
    "ProtocolCounter",
    "ProtocolRecipient",
    "ProtocolReminder",
    "ProtocolRevision",
    "ProtocolSignature",
    "Unit",
    "User",
]
