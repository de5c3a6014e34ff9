"""Who may use an operation, decided before anything it was sent is read.

ninja runs an operation's `auth` before it parses the path, query and body (ninja.operation
`run`: `_run_checks`, then `_get_values`). Each operation therefore declares its gate once, as
`auth=`: the bearer token names the user, and the gate, built from the permission functions in
`alqa.permissions`, takes the path's ids (`request.resolver_match.kwargs`) and returns the record
the operation works on — the handler reads it from `request.auth`. A reader the gate turns away
gets the same answer as before, whatever they sent: 401 without a valid token, 404 for a record
they may not see, 403 (with the reason where the check gives one) for one they may see but not
use this way. Nobody is told what their input would have been refused for.

A gate raises to refuse; it never returns a false value (ninja would answer that with 401).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer

from alqa import permissions
from alqa.domain.tokens import user_for_secret
from alqa.models import User


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; with a `check`, also the operation's gate: the check is
    called with the user and the path's ids and returns what `request.auth` holds."""

    def __init__(self, check: Callable[..., Any] | None = None):
        super().__init__()
        self.check = check

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_secret(token.strip())
        if user is None:
            return None
        request.user = user
        if self.check is None:
            return user
        match = request.resolver_match
        return self.check(user, **(match.kwargs if match is not None else {}))


# --- the checks, each named for who passes it ---------------------------------------------------


def _body_creator(user: User) -> User:
    if not permissions.can_create_body(user):
        raise PermissionDenied
    return user


def _calendar_editor(user: User) -> User:
    if not permissions.can_edit_calendar(user):
        raise PermissionDenied
    return user


def _gate(check: Callable[..., Any]) -> BearerToken:
    return BearerToken(check)


SIGNED_IN = BearerToken()  # any valid token: request.auth is the user
BODY_CREATOR = _gate(_body_creator)
CALENDAR_EDITOR = _gate(_calendar_editor)

BODY_READER = _gate(lambda user, body_id: permissions.get_body_for_user(user, body_id))
BODY_MANAGER = _gate(lambda user, body_id: permissions.get_body_for_user(user, body_id, write=True))
POLICY_READER = _gate(lambda user, body_id: permissions.get_policy_for_user(user, body_id))
POLICY_KEEPER = _gate(lambda user, body_id: permissions.get_policy_for_user(user, body_id, write=True))
MEMBER_READER = _gate(lambda user, member_id: permissions.get_member_for_user(user, member_id))
MEMBER_MANAGER = _gate(lambda user, member_id: permissions.get_member_for_user(user, member_id, write=True))

BODY_AUTHOR = _gate(permissions.get_author_for_user)
PROPOSAL_READER = _gate(lambda user, proposal_id: permissions.get_proposal_for_user(user, proposal_id))
PROPOSAL_MANAGER = _gate(
    lambda user, proposal_id: permissions.get_proposal_for_user(user, proposal_id, write=True)
)

MEETING_READER = _gate(lambda user, meeting_id: permissions.get_meeting_for_user(user, meeting_id))
MEETING_MANAGER = _gate(
    lambda user, meeting_id: permissions.get_meeting_for_user(user, meeting_id, write=True)
)
PRESIDING = _gate(permissions.get_meeting_to_approve)
AGENDA_ITEM_MANAGER = _gate(
    lambda user, meeting_id, item_id: permissions.get_agenda_item_for_user(
        user, meeting_id, item_id, write=True
    )
)
PROTOCOL_READER = _gate(lambda user, protocol_id: permissions.get_protocol_for_user(user, protocol_id))
PROTOCOL_MANAGER = _gate(
    lambda user, protocol_id: permissions.get_protocol_for_user(user, protocol_id, write=True)
)
PROTOCOL_SIGNER = _gate(permissions.get_protocol_to_sign)
# complaints (clause 2.1.4): alqa/api/complaints.py
COMPLAINT_IMPORT_READER = _gate(
    lambda user, import_id: permissions.get_complaint_import_for_user(user, import_id)
)
NOTE_READER = _gate(lambda user, note_id: permissions.get_note_for_user(user, note_id))
COMPLAINT_SUBJECT_MANAGER = _gate(
    lambda user, subject_id: permissions.get_complaint_subject_for_user(user, subject_id, write=True)
)
# compliance remarks and work plans: alqa/api/plans.py
REMARK_AUTHOR = _gate(permissions.get_remark_author)
REMARK_READER = _gate(lambda user, remark_id: permissions.get_remark_for_user(user, remark_id))
REMARK_MANAGER = _gate(lambda user, remark_id: permissions.get_remark_for_user(user, remark_id, write=True))
REMARK_FILE_READER = _gate(permissions.get_remark_file_for_user)
PLAN_READER = _gate(lambda user, plan_id: permissions.get_plan_for_user(user, plan_id))
PLAN_MANAGER = _gate(lambda user, plan_id: permissions.get_plan_for_user(user, plan_id, write=True))
PLAN_APPROVER = _gate(permissions.get_plan_approver)
PLAN_ITEM_MANAGER = _gate(
    lambda user, plan_item_id: permissions.get_plan_item_for_user(user, plan_item_id, write=True)
)
# oversight between meetings (issue 12): alqa/api/oversight.py
FACILITY_READER = _gate(lambda user, facility_id: permissions.get_facility_for_user(user, facility_id))
FACILITY_MANAGER = _gate(
    lambda user, facility_id: permissions.get_facility_for_user(user, facility_id, write=True)
)
CHECKLIST_ITEM_READER = _gate(
    lambda user, checklist_item_id: permissions.get_checklist_item_for_user(user, checklist_item_id)
)
CHECKLIST_ITEM_MANAGER = _gate(
    lambda user, checklist_item_id: permissions.get_checklist_item_for_user(
        user, checklist_item_id, write=True
    )
)
VISIT_READER = _gate(lambda user, visit_id: permissions.get_visit_for_user(user, visit_id))
FINDING_READER = _gate(lambda user, finding_id: permissions.get_finding_for_user(user, finding_id))
PUBLICATION_READER = _gate(
    lambda user, publication_id: permissions.get_publication_for_user(user, publication_id)
)
REQUEST_READER = _gate(lambda user, request_id: permissions.get_request_for_user(user, request_id))
REQUEST_MANAGER = _gate(
    lambda user, request_id: permissions.get_request_for_user(user, request_id, write=True)
)
CONTACT_AUTHOR = _gate(permissions.get_contact_member_for_user)
URGENT_CONTACT_READER = _gate(
    lambda user, urgent_contact_id: permissions.get_urgent_contact_for_user(user, urgent_contact_id)
)
LEGISLATIVE_READER = _gate(
    lambda user, legislative_proposal_id: permissions.get_legislative_proposal_for_user(
        user, legislative_proposal_id
    )
)
LEGISLATIVE_MANAGER = _gate(
    lambda user, legislative_proposal_id: permissions.get_legislative_proposal_for_user(
        user, legislative_proposal_id, write=True
    )
)
VISIT_PLANNER = BODY_READER  # every member plans visits (both sides go on them, clause 2.2.7)
PUBLICATION_MANAGER = _gate(
    lambda user, publication_id: permissions.get_publication_for_user(user, publication_id, write=True)
)
PUBLICATION_APPROVER = _gate(permissions.get_publication_approver)
FINDING_REMARKER = _gate(
    lambda user, finding_id: (
        permissions.get_finding_for_user(user, finding_id),
        permissions.get_remark_author(user, permissions.get_finding_for_user(user, finding_id).body_id),
    )
)
FINDING_PROPOSER = _gate(
    lambda user, finding_id: (
        permissions.get_finding_for_user(user, finding_id),
        permissions.get_author_for_user(user, permissions.get_finding_for_user(user, finding_id).body_id),
    )
)
# execution control (clauses 3.2, 3.8): alqa/api/execution.py
ASSIGNMENT_READER = _gate(
    lambda user, assignment_id: permissions.get_assignment_for_user(user, assignment_id)
)
ASSIGNMENT_KEEPER = _gate(
    lambda user, assignment_id: permissions.get_assignment_for_user(user, assignment_id, write=True)
)
ASSIGNMENT_REPORTER = _gate(
    lambda user, assignment_id: permissions.get_assignment_for_user(user, assignment_id, report=True)
)
ASSIGNMENT_DECIDER = _gate(permissions.get_assignment_to_decide)
REPORT_DECIDER = _gate(permissions.get_report_to_decide)
EXTENSION_DECIDER = _gate(permissions.get_extension_to_decide)
REPORT_READER = _gate(lambda user, report_id: permissions.get_report_for_user(user, report_id))
ASSIGNMENT_FILE_READER = _gate(
    lambda user, assignment_file_id: permissions.get_assignment_file_for_user(user, assignment_file_id)
)
