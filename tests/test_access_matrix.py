"""Who may reach what: every URL pattern and every API operation, for each kind of reader.

The table below is the one place that says who may use each page and API operation. Every reader
not listed for an entry must be turned away — 401, 403 or 404, or for a page a redirect to the
sign-in or the second-factor page — and every reader listed must not be. Writes are tried with an
empty or invalid body, so an allowed reader gets a form or a refusal of the input (never a change
the test depends on), and a turned-away reader must not get that far. A URL pattern or API
operation without a row fails the test, so a new page cannot be added without deciding who
reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from alqa.api import api
from alqa.domain.attachments import attach_files
from alqa.domain.bodies import add_guest
from alqa.domain.meetings import invite_guest
from alqa.domain.proposals import submit_proposal
from alqa.domain.tokens import issue_token
from alqa.domain.trusted_roots import add_trusted_root
from alqa.domain.workdays_calendar import add_calendar_exception
from alqa.enums import Role, Side
from alqa.models import CalendarException, Invitation
from tests.conftest import make_member, meeting_on
from tests.esign_pki import make_ca

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

READERS = (
    "anonymous",
    "outsider",  # a member of another body
    "guest",  # an invited participant of the meeting
    "police",  # a plain police-side member
    "bar",  # a plain bar-side member
    "secretary",
    "deputy",
    "chair",
    "admin_without_totp",
    "admin",
)

# Groups of readers, as the regulation and the register define them.
NOBODY: frozenset[str] = frozenset()
ANYONE = frozenset(READERS)
SIGNED_IN = ANYONE - {"anonymous"}
LEADERS = frozenset({"secretary", "deputy", "chair", "admin"})
MEMBERS = frozenset({"police", "bar"}) | LEADERS
# Members in their own right: an administrator reads every body but is nobody's member.
OWN_MEMBERS = MEMBERS - {"admin"}
MEETING_READERS = MEMBERS | {"guest"}
POLICY_KEEPERS = frozenset({"secretary", "chair", "admin"})
PRESIDING = frozenset({"chair"})
# The chair, or the deputy chair presiding in the chair's place, decides on an assignment (3.2).
DECIDERS = frozenset({"chair", "deputy"})
ADMINS = frozenset({"admin"})
# A second factor is asked of leaders and administrators on pages; an API token stands on its own
# (it is issued on the profile page, behind the second factor, or by the operator's command).
API_ADMINS = frozenset({"admin", "admin_without_totp"})


@dataclass(frozen=True)
class Row:
    allowed: frozenset[str]
    methods: tuple[str, ...] = ("GET",)


# Pages, by URL name. Django's and allauth's own pages (admin, accounts) are listed apart below.
PAGES: dict[str, Row] = {
    "home": Row(SIGNED_IN - {"admin_without_totp"}),
    "body_new": Row(ADMINS, ("GET", "POST")),
    "switch_body": Row(MEMBERS, ("POST",)),
    "body": Row(MEMBERS),
    "members": Row(MEMBERS),
    "member_new": Row(LEADERS, ("GET", "POST")),
    "units": Row(MEMBERS),
    "unit_new": Row(LEADERS, ("GET", "POST")),
    "unit_edit": Row(LEADERS, ("GET", "POST")),
    "guests": Row(MEMBERS),
    "policy": Row(MEMBERS, ("GET",)),
    "policy:POST": Row(POLICY_KEEPERS, ("POST",)),
    "body_audit": Row(LEADERS),
    "member": Row(MEMBERS),
    "member_edit": Row(LEADERS, ("GET", "POST")),
    "audit": Row(ADMINS),
    "meetings": Row(MEMBERS),
    "meeting_new": Row(LEADERS, ("GET", "POST")),
    "meeting": Row(MEETING_READERS),
    "meeting_edit": Row(LEADERS, ("GET", "POST")),
    "meeting_cancel": Row(LEADERS, ("GET", "POST")),
    "agenda_item_new": Row(LEADERS, ("GET", "POST")),
    "agenda_item_edit": Row(LEADERS, ("GET", "POST")),
    "agenda_item_move": Row(LEADERS, ("GET", "POST")),  # an empty POST names no direction
    "agenda_item_remove": Row(LEADERS, ("GET",)),  # destructive: its POST is tried in its own tests
    # the reader's own invitation: the world's meeting is not approved yet, so only the invited
    # participant has one (members are invited on approval)
    "meeting_reply": Row(frozenset({"guest"}), ("GET", "POST")),
    "meeting_materials": Row(frozenset({"guest"}), ("GET", "POST")),
    "agenda_approve": Row(PRESIDING, ("POST",)),
    "meeting_invite_guest": Row(LEADERS, ("POST",)),
    "meeting_attendance": Row(LEADERS, ("POST",)),
    "decision_new": Row(LEADERS, ("GET", "POST")),
    "meeting_attachment": Row(MEETING_READERS),
    "invitation_reply": Row(ANYONE, ("GET",)),
    "proposals": Row(MEMBERS),
    "proposal_new": Row(OWN_MEMBERS, ("GET", "POST")),
    "proposal": Row(MEMBERS),
    "proposal_accept": Row(LEADERS, ("POST",)),
    "proposal_return": Row(LEADERS, ("POST",)),
    "proposal_attachment": Row(MEMBERS),
    # compliance remarks (clause 2.2.3): any member files one; the leaders close it
    "remarks": Row(MEMBERS),
    "remark_new": Row(OWN_MEMBERS, ("GET", "POST")),
    "plan_item_remark_new": Row(OWN_MEMBERS, ("GET", "POST")),
    "remark": Row(MEMBERS),
    "remark_close": Row(LEADERS, ("POST",)),
    # work plans (clauses 2.1.1, 2.1.2, 2.2.10): the leaders draft, the chair approves
    "plans": Row(MEMBERS),
    "plan_new": Row(LEADERS, ("POST",)),
    "plan": Row(MEMBERS),
    "plan_item_new": Row(LEADERS, ("POST",)),
    "plan_approve": Row(PRESIDING, ("POST",)),
    "plan_copy_forward": Row(LEADERS, ("POST",)),
    "plan_report": Row(MEMBERS),
    "plan_item_result": Row(LEADERS, ("GET", "POST")),
    "plan_item_change": Row(LEADERS, ("GET", "POST")),
    "meeting_print_pack": Row(MEMBERS),
    "meeting_ics": Row(MEETING_READERS),
    "calendar_token_reset": Row(SIGNED_IN - {"admin_without_totp"}, ("POST",)),
    "calendar_feed": Row(ANYONE),
    "complaints": Row(MEMBERS),
    "complaint_new": Row(LEADERS, ("GET", "POST")),
    "complaint_export": Row(MEMBERS),
    "complaint_analytics": Row(MEMBERS),
    "complaint_import_new": Row(LEADERS, ("GET", "POST")),
    "complaint_edit": Row(LEADERS, ("GET", "POST")),
    "complaint_delete": Row(LEADERS, ("POST",)),
    "complaint_import": Row(MEMBERS),
    "complaint_import:POST": Row(LEADERS, ("POST",)),
    "complaint_notes": Row(MEMBERS),
    "complaint_note_new": Row(LEADERS, ("GET", "POST")),
    "complaint_note": Row(MEMBERS),
    "complaint_note_edit": Row(LEADERS, ("GET", "POST")),
    "complaint_note_approve": Row(frozenset({"chair"}), ("POST",)),
    "complaint_note_send": Row(LEADERS, ("POST",)),
    "complaint_note_pdf": Row(MEMBERS),
    "complaint_note_docx": Row(MEMBERS),
    "complaint_note_agenda": Row(LEADERS, ("POST",)),
    "complaint_subjects": Row(MEMBERS),
    "complaint_subjects:POST": Row(LEADERS, ("POST",)),
    "complaint_subject_edit": Row(LEADERS, ("GET", "POST")),
    "complaint_subject_switch": Row(LEADERS, ("POST",)),
    "note_receipt": Row(ANYONE),
    "note_receipt_pdf": Row(ANYONE),
    "workdays": Row(ANYONE),
    # protocols (alqa/views/protocols.py): members read, the leaders draft and distribute
    "protocol_create": Row(MEMBERS),
    "protocol": Row(MEMBERS),
    "protocol_edit": Row(LEADERS),
    "protocol_sign": Row(MEMBERS),
    "protocol_signing_pdf": Row(MEMBERS),
    "protocol_amend": Row(LEADERS, ("POST",)),
    "protocol_distribute": Row(LEADERS, ("POST",)),
    "protocol_recipient_add": Row(LEADERS, ("POST",)),
    "protocol_recipient": Row(LEADERS, ("POST",)),
    "protocol_document": Row(MEMBERS),
    "protocol_keeping": Row(ADMINS),
    "protocol_search": Row(MEMBERS),
    # the world's protocol is a draft: its recipient's link is not live until the signed protocol
    # is sent, so it answers 404 to everyone (tests/protocols/ follow a live link to the end)
    "protocol_ack": Row(NOBODY),
    "favicon": Row(ANYONE),
    "calendar": Row(ANYONE),
    "calendar_exception_new": Row(ADMINS, ("GET", "POST")),
    "trusted_roots": Row(ADMINS, ("GET", "POST")),
    "trusted_root_deactivate": Row(ADMINS, ("POST",)),
    # oversight between meetings (issue 12)
    "oversight": Row(MEMBERS),
    "facility_new": Row(LEADERS, ("GET", "POST")),
    "facility_edit": Row(LEADERS, ("GET", "POST")),
    "facility": Row(MEMBERS),
    "checklist": Row(MEMBERS),
    "checklist:POST": Row(LEADERS, ("POST",)),
    "checklist_item_toggle": Row(LEADERS, ("POST",)),
    "visit_new": Row(MEMBERS, ("GET", "POST")),
    "visit": Row(MEMBERS),
    "visit_record": Row(MEMBERS, ("GET", "POST")),
    "visit_cancel": Row(MEMBERS, ("POST",)),
    "finding_new": Row(MEMBERS, ("GET", "POST")),
    "visit_report": Row(MEMBERS),
    "finding_propose": Row(OWN_MEMBERS, ("POST",)),
    "finding_remark": Row(OWN_MEMBERS, ("POST",)),
    "finding_file": Row(MEMBERS),
    "publications": Row(MEMBERS),
    "publication_new": Row(LEADERS, ("GET", "POST")),
    "publication_edit": Row(LEADERS, ("GET", "POST")),
    "publication": Row(MEMBERS),
    "publication_approve": Row(frozenset({"chair", "deputy"}), ("POST",)),
    "publication_publish": Row(LEADERS, ("POST",)),
    "publication_withdraw": Row(LEADERS, ("POST",)),
    "requests": Row(MEMBERS),
    "request_new": Row(LEADERS, ("GET", "POST")),
    "request": Row(MEMBERS),
    "request_send": Row(LEADERS, ("POST",)),
    "request_answer": Row(LEADERS, ("POST",)),
    "request_letter": Row(MEMBERS),
    "request_file": Row(MEMBERS),
    # urgent contacts (clause 2.2.5): members read and log; the agenda's keepers report them
    "urgent_contacts": Row(MEMBERS),
    "urgent_contact_new": Row(OWN_MEMBERS, ("GET", "POST")),
    "meeting_urgent_contacts": Row(LEADERS, ("POST",)),
    # legislative proposals (clause 2.2.11): members read; the leaders draft and record the steps
    "legislation": Row(MEMBERS),
    "legislation_new": Row(LEADERS, ("GET", "POST")),
    "legislative_proposal": Row(MEMBERS),
    "legislation_edit": Row(LEADERS, ("GET", "POST")),
    "legislation_step": Row(LEADERS, ("POST",)),
    "public_body": Row(ANYONE),
    "public_feed": Row(ANYONE),
    "public_publication": Row(ANYONE),
    "profile": Row(SIGNED_IN - {"admin_without_totp"}),
    "set_language": Row(ANYONE, ("POST",)),
    # execution control (issue 11): members read an assignment, the leaders keep the control page,
    # the chair and the deputy chair decide; the executor's personal link is its own key
    "execution_control": Row(LEADERS),
    "execution_control_export": Row(LEADERS),
    "execution_control_report": Row(LEADERS),
    "assignment": Row(MEMBERS),
    "assignment:POST": Row(DECIDERS, ("POST",)),
    "assignment_file": Row(MEMBERS),
    "executor_link": Row(ANYONE),
    "executor_link_file": Row(ANYONE),
}

# Operations of the API, as "METHOD path" in the OpenAPI schema.
OPERATIONS: dict[str, frozenset[str]] = {
    "GET /api/v1/workdays/deadline": ANYONE,
    "GET /api/v1/calendar/exceptions": ANYONE,
    "POST /api/v1/calendar/exceptions": API_ADMINS,
    "GET /api/v1/bodies": SIGNED_IN,
    "POST /api/v1/bodies": API_ADMINS,
    "GET /api/v1/bodies/{body_id}": MEMBERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/policy": MEMBERS | API_ADMINS,
    "PATCH /api/v1/bodies/{body_id}/policy": POLICY_KEEPERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/units": MEMBERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/units": LEADERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/members": MEMBERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/members": LEADERS | API_ADMINS,
    "GET /api/v1/members/{member_id}": MEMBERS | API_ADMINS,
    "PATCH /api/v1/members/{member_id}": LEADERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/proposals": OWN_MEMBERS,
    "GET /api/v1/bodies/{body_id}/proposals": MEMBERS | API_ADMINS,
    "GET /api/v1/proposals/{proposal_id}": MEMBERS | API_ADMINS,
    "POST /api/v1/meetings/{meeting_id}/protocol": LEADERS | API_ADMINS,
    "GET /api/v1/protocols/{protocol_id}": MEMBERS | API_ADMINS,
    "PATCH /api/v1/protocols/{protocol_id}": LEADERS | API_ADMINS,
    "POST /api/v1/protocols/{protocol_id}/amendments": LEADERS | API_ADMINS,
    "POST /api/v1/protocols/{protocol_id}/sign": MEMBERS | API_ADMINS,
    "POST /api/v1/protocols/{protocol_id}/distribute": LEADERS | API_ADMINS,
    "GET /api/v1/protocols/{protocol_id}/document": MEMBERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/protocols/search": MEMBERS | API_ADMINS,
    "POST /api/v1/proposals/{proposal_id}/accept": LEADERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/remarks": MEMBERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/remarks": OWN_MEMBERS,
    "GET /api/v1/remarks/{remark_id}": MEMBERS | API_ADMINS,
    "GET /api/v1/remarks/{remark_id}/files/{remark_file_id}": MEMBERS | API_ADMINS,
    "POST /api/v1/remarks/{remark_id}/close": LEADERS | API_ADMINS,
    "POST /api/v1/plans/{plan_id}/copy-forward": LEADERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/plans": MEMBERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/plans": LEADERS | API_ADMINS,
    "GET /api/v1/plans/{plan_id}": MEMBERS | API_ADMINS,
    "POST /api/v1/plans/{plan_id}/items": LEADERS | API_ADMINS,
    "POST /api/v1/plans/{plan_id}/approve": PRESIDING,
    "POST /api/v1/proposals/{proposal_id}/return": LEADERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/meetings": LEADERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/meetings": MEMBERS | API_ADMINS,
    "GET /api/v1/meetings/{meeting_id}": MEETING_READERS | API_ADMINS,
    "PATCH /api/v1/meetings/{meeting_id}": LEADERS | API_ADMINS,
    "POST /api/v1/meetings/{meeting_id}/cancel": LEADERS | API_ADMINS,
    "GET /api/v1/meetings/{meeting_id}/ical": MEETING_READERS | API_ADMINS,
    "PUT /api/v1/meetings/{meeting_id}/attendance": LEADERS | API_ADMINS,
    "POST /api/v1/meetings/{meeting_id}/agenda-items": LEADERS | API_ADMINS,
    "POST /api/v1/meetings/{meeting_id}/agenda/approve": PRESIDING,
    "PATCH /api/v1/meetings/{meeting_id}/agenda/{item_id}": LEADERS | API_ADMINS,
    "POST /api/v1/meetings/{meeting_id}/agenda/{item_id}/move": LEADERS | API_ADMINS,
    # on an approved agenda (APPROVED_AGENDA): without withdraw_approval it answers 409, removing nothing
    "DELETE /api/v1/meetings/{meeting_id}/agenda/{item_id}": LEADERS | API_ADMINS,
    "POST /api/v1/meetings/{meeting_id}/guests": LEADERS | API_ADMINS,
    "POST /api/v1/meetings/{meeting_id}/decisions": LEADERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/complaints": MEMBERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/complaints": LEADERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/complaints/aggregates": MEMBERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/complaints/imports": LEADERS | API_ADMINS,
    "GET /api/v1/complaint-imports/{import_id}": MEMBERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/complaint-notes": LEADERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/complaint-notes": MEMBERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/complaint-subjects": MEMBERS | API_ADMINS,
    "POST /api/v1/complaint-subjects/{subject_id}/switch-off": LEADERS | API_ADMINS,
    "POST /api/v1/complaint-subjects/{subject_id}/switch-on": LEADERS | API_ADMINS,
    "GET /api/v1/complaint-notes/{note_id}": MEMBERS | API_ADMINS,
    # oversight between meetings (alqa/api/oversight.py)
    "GET /api/v1/bodies/{body_id}/facilities": MEMBERS | API_ADMINS,
    "GET /api/v1/facilities/{facility_id}": MEMBERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/visits": MEMBERS | API_ADMINS,
    "GET /api/v1/visits/{visit_id}": MEMBERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/visits": MEMBERS | API_ADMINS,
    "POST /api/v1/visits/{visit_id}/cancel": MEMBERS | API_ADMINS,
    "POST /api/v1/findings/{finding_id}/propose": OWN_MEMBERS,
    "POST /api/v1/findings/{finding_id}/remark": OWN_MEMBERS,
    "POST /api/v1/visits/{visit_id}/record": MEMBERS | API_ADMINS,
    "POST /api/v1/visits/{visit_id}/findings": MEMBERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/facilities": LEADERS | API_ADMINS,
    "PATCH /api/v1/facilities/{facility_id}": LEADERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/checklist": MEMBERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/checklist": LEADERS | API_ADMINS,
    "GET /api/v1/checklist-items/{checklist_item_id}": MEMBERS | API_ADMINS,
    "PATCH /api/v1/checklist-items/{checklist_item_id}": LEADERS | API_ADMINS,
    "PUT /api/v1/publications/{publication_id}": LEADERS | API_ADMINS,
    "POST /api/v1/publications/{publication_id}/withdraw": LEADERS | API_ADMINS,
    "PUT /api/v1/legislative-proposals/{legislative_proposal_id}": LEADERS | API_ADMINS,
    "POST /api/v1/meetings/{meeting_id}/urgent-contacts": LEADERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/publications": LEADERS | API_ADMINS,
    "POST /api/v1/publications/{publication_id}/approve": frozenset({"chair", "deputy"}),
    "POST /api/v1/publications/{publication_id}/publish": LEADERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/findings": MEMBERS | API_ADMINS,
    "GET /api/v1/findings/{finding_id}": MEMBERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/requests": MEMBERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/requests": LEADERS | API_ADMINS,
    "GET /api/v1/requests/{request_id}": MEMBERS | API_ADMINS,
    "POST /api/v1/requests/{request_id}/send": LEADERS | API_ADMINS,
    "POST /api/v1/requests/{request_id}/answer": LEADERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/urgent-contacts": MEMBERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/urgent-contacts": OWN_MEMBERS,
    "GET /api/v1/urgent-contacts/{urgent_contact_id}": MEMBERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/legislative-proposals": MEMBERS | API_ADMINS,
    "POST /api/v1/bodies/{body_id}/legislative-proposals": LEADERS | API_ADMINS,
    "GET /api/v1/legislative-proposals/{legislative_proposal_id}": MEMBERS | API_ADMINS,
    "POST /api/v1/legislative-proposals/{legislative_proposal_id}/steps": LEADERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/publications": MEMBERS | API_ADMINS,
    "GET /api/v1/publications/{publication_id}": MEMBERS | API_ADMINS,
    "GET /api/v1/bodies/{body_id}/assignments": MEMBERS | API_ADMINS,
    "GET /api/v1/assignments/{assignment_id}": MEMBERS | API_ADMINS,
    "POST /api/v1/assignments/{assignment_id}/receipt": LEADERS | API_ADMINS,
    "POST /api/v1/assignments/{assignment_id}/reports": LEADERS | API_ADMINS,
    "POST /api/v1/assignments/{assignment_id}/extension-requests": LEADERS | API_ADMINS,
    "POST /api/v1/assignments/{assignment_id}/close": DECIDERS,
    "POST /api/v1/assignment-reports/{report_id}/decision": DECIDERS,
    "POST /api/v1/extension-requests/{extension_id}/decision": DECIDERS,
    "GET /api/v1/assignment-reports/{report_id}/files": MEMBERS | API_ADMINS,
    "GET /api/v1/assignment-files/{assignment_file_id}": MEMBERS | API_ADMINS,
    "POST /api/v1/assignments/{assignment_id}/link": LEADERS | API_ADMINS,
    "POST /api/v1/assignments/{assignment_id}/link/revoke": LEADERS | API_ADMINS,
    "GET /api/v1/plans/{plan_id}/statistics": MEMBERS | API_ADMINS,
    "PATCH /api/v1/plan-items/{plan_item_id}": LEADERS | API_ADMINS,
    "POST /api/v1/plan-items/{plan_item_id}/result": LEADERS | API_ADMINS,
}

# Whole URL trees that are not Alqa's pages: Django's admin site (administrators with a second
# factor; everyone else is sent to its sign-in page) and allauth's sign-in pages (open to all).
ADMIN_SITE_PROBES = ("/admin/", "/admin/alqa/body/", "/admin/alqa/auditevent/")


@dataclass
class World:
    """One body with everything a URL can point at, a second body, and a client per reader."""

    kwargs: dict[str, int | str]
    pages: dict[str, Client]
    tokens: dict[str, str | None]


def _with_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def world(db, body, admin_user, police_unit, chair, secretary, outsider, settings) -> World:
    from alqa.models import User

    settings.ACCOUNT_RATE_LIMITS = False
    deputy = make_member(
        body,
        admin_user,
        email="deputy@alqa.test",
        role=Role.DEPUTY_CHAIR,
        side=Side.BAR,
        name="Жумабаева Алия",
    )
    police = make_member(body, admin_user, email="police@alqa.test", side=Side.POLICE, name="Ермеков Даулет")
    bar = make_member(body, admin_user, email="bar@alqa.test", side=Side.BAR, name="Исаев Тимур")
    meeting, item = meeting_on(body, secretary, chair, days=10)
    guest = add_guest(body=body, actor=admin_user, full_name="Эксперт Нурланов", email="expert@alqa.test")
    invite_guest(meeting, guest=guest, actor=secretary.user)
    guest.refresh_from_db()
    proposal = submit_proposal(
        body=body,
        author=bar,
        actor=bar.user,
        title_ru="О доступе адвокатов",
        memo_ru="Обоснование",
        files=[SimpleUploadedFile("memo.pdf", PDF, content_type="application/pdf")],
    )
    item_file = attach_files(item, files=[SimpleUploadedFile("report.pdf", PDF)], actor=secretary.user)[0]
    admin_without_totp = User.objects.create_superuser(
        email="root2@alqa.test", password="x-long-password-1", full_name="Second Root"
    )
    users = {
        "anonymous": None,
        "outsider": outsider.user,
        "guest": guest.user,
        "police": police.user,
        "bar": bar.user,
        "secretary": _with_totp(secretary.user),
        "deputy": _with_totp(deputy.user),
        "chair": _with_totp(chair.user),
        "admin_without_totp": admin_without_totp,
        "admin": _with_totp(admin_user),
    }
    add_calendar_exception(
        day=date(2027, 1, 6),
        kind="day_off",
        name_ru="Перенос",
        name_kk="Ауыстыру",
        legal_act="ПП РК",
        actor=admin_user,
    )
    complaint_ids = _complaints_world(body, admin_user, police_unit, chair)
    pages: dict[str, Client] = {}
    tokens: dict[str, str | None] = {}
    for reader, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        pages[reader] = client
        tokens[reader] = None if user is None else issue_token(user=user, name="matrix", actor=user).secret
    kwargs = {
        "body_id": body.pk,
        "unit_id": police_unit.pk,
        "member_id": police.pk,
        "meeting_id": meeting.pk,
        "item_id": item.pk,
        "attachment_id": item_file.pk,
        "proposal_id": proposal.pk,
        "proposal_attachment_id": proposal.attachments.get().pk,
        "token": Invitation.objects.get(meeting=meeting, guest=guest).token,
        "calendar_token": bar.user.calendar_token,
        "exception_id": CalendarException.objects.get().pk,
        "root_id": add_trusted_root(
            name="Root", certificate=make_ca("Matrix Root").pem.encode(), body=None, actor=admin_user
        ).pk,
        **complaint_ids,
    }
    kwargs |= _oversight_kwargs(body, admin_user, police_unit, chair=chair, deputy=deputy, bar=bar)
    kwargs |= _protocol_kwargs(body, admin_user, secretary, chair, police, bar)
    kwargs |= _plans_kwargs(body, secretary, chair, police, bar, deputy)
    kwargs |= _execution_kwargs(body, secretary, chair, (police, bar, deputy))
    return World(kwargs=kwargs, pages=pages, tokens=tokens)


def _protocol_kwargs(body, admin_user, secretary, chair, police, bar) -> dict[str, int | str]:
    """A held meeting's protocol (a draft), one recipient added by hand, and a recipient's
    acknowledgement link."""
    from alqa.domain.protocols import add_recipient, create_protocol

    held, held_item = meeting_on(
        body, secretary, chair, days=-2, present=(chair, secretary, police, bar), approved=True
    )
    protocol = create_protocol(held, actor=secretary.user)
    recipient = add_recipient(protocol, actor=secretary.user, name="Президиум", email="presidium@alqa.test")
    return {
        "protocol_id": protocol.pk,
        "recipient_id": recipient.pk,
        "protocol_ack_token": recipient.token,
        "approved_meeting_id": held.pk,
        "approved_item_id": held_item.pk,
    }


def _plans_kwargs(body, secretary, chair, police, bar, deputy) -> dict[str, int | str]:
    """A decision of a held meeting with a compliance remark on it, and a draft plan with an item."""
    from alqa.domain.meetings import record_decision
    from alqa.domain.plans import PlanExecutor, add_plan_item, create_plan
    from alqa.domain.remarks import file_remark

    held, item = meeting_on(
        body, secretary, chair, days=-3, present=(chair, secretary, police, bar, deputy), approved=True
    )
    decision = record_decision(held, actor=secretary.user, agenda_item=item, text_ru="Обеспечить доступ")
    remark = file_remark(
        body=body,
        author=bar,
        actor=bar.user,
        decision=decision,
        facts_ru="Не исполнено",
        files=[SimpleUploadedFile("act.pdf", PDF, content_type="application/pdf")],
    )
    plan = create_plan(body=body, actor=secretary.user, period="year", year=2030)
    plan_item = add_plan_item(
        plan,
        actor=secretary.user,
        activity_ru="Посещение ИВС",
        due_date=date(2030, 6, 30),
        executors=[PlanExecutor(member_id=police.pk)],
    )
    return {
        "decision_id": decision.pk,
        "remark_id": remark.pk,
        "remark_file_id": remark.proposal.attachments.get().pk,
        "plan_id": plan.pk,
        "plan_item_id": plan_item.pk,
    }


def _execution_kwargs(body, secretary, chair, others) -> dict[str, int | str]:
    """A decision with a named official as executor: their information with a file, a request for
    an extension awaiting the chair, and their personal link."""
    from alqa.domain.execution import request_extension, send_link, submit_report
    from alqa.domain.meetings import ExecutorInput, record_decision

    held, item = meeting_on(
        body, secretary, chair, days=-3, present=(chair, secretary, *others), approved=True
    )
    decision = record_decision(
        held,
        actor=secretary.user,
        agenda_item=item,
        text_ru="Обеспечить доступ",
        executors=[ExecutorInput(name="Начальник ИВС", due_working_days=10, email="ivs@police.test")],
    )
    assignment = decision.assignments.get()
    report, _new = submit_report(
        assignment,
        kind="info",
        text="Начато",
        actor=None,
        files=[SimpleUploadedFile("info.pdf", PDF, content_type="application/pdf")],
    )
    extension, _new = request_extension(assignment, reason="Ремонт", working_days=5, actor=None)
    link = send_link(assignment, actor=secretary.user)
    return {
        "assignment_id": assignment.pk,
        "report_id": report.pk,
        "extension_id": extension.pk,
        "executor_token": link.token,
        "assignment_file_id": report.files.get().pk,
    }


def _oversight_kwargs(body, admin_user, unit, *, chair, deputy, bar) -> dict[str, int | str]:
    """A facility with a recorded visit, a finding with a file, a published publication."""
    from django.utils import timezone

    from alqa.domain.legislation import create_proposal
    from alqa.domain.publications import approve_publication, create_publication, publish
    from alqa.domain.requests import create_request, mark_sent, record_answer
    from alqa.domain.urgent_contacts import log_contact
    from alqa.domain.visits import add_finding, create_facility, plan_visit, record_visit
    from alqa.models import ChecklistItem

    facility = create_facility(
        body=body, actor=admin_user, name_ru="ИВС", kind="temporary_detention", unit=unit
    )
    visit = plan_visit(body=body, facility=facility, actor=chair.user, planned_on=timezone.localdate())
    record_visit(visit, actor=chair.user, visited_on=timezone.localdate(), participants=[chair, bar])
    finding = add_finding(
        visit,
        actor=chair.user,
        kind="other",
        description="Нарушение",
        files=[SimpleUploadedFile("photo.pdf", PDF, content_type="application/pdf")],
    )
    publication = create_publication(
        body=body, actor=admin_user, title_ru="Итоги", title_kk="Қорытынды", text_ru="Текст", text_kk="Мәтін"
    )
    approve_publication(publication, actor=chair.user, approver=chair)
    approve_publication(publication, actor=deputy.user, approver=deputy)
    publish(publication, actor=admin_user)
    request = create_request(
        body=body,
        actor=admin_user,
        addressee_kind="police_unit",
        addressee="ДП",
        subject="Журнал",
        legal_basis="2.2.8",
    )
    mark_sent(request, actor=admin_user, sent_on=timezone.localdate())
    record_answer(
        request,
        actor=admin_user,
        answered_on=timezone.localdate(),
        files=[SimpleUploadedFile("answer.pdf", PDF, content_type="application/pdf")],
    )
    legislative = create_proposal(
        body=body,
        actor=admin_user,
        title_ru="О допуске адвоката",
        text_ru="Редакция",
        act="УПК РК",
        justification="Обоснование",
        addressee="Мажилис",
    )
    contact = log_contact(
        body=body,
        actor=chair.user,
        member=chair,
        unit=unit,
        contact_person="Начальник ИВС",
        contacted_at=timezone.now(),
        reason="Допуск адвоката",
    )
    return {
        "facility_id": facility.pk,
        "checklist_item_id": ChecklistItem.objects.filter(body=body).first().pk,
        "visit_id": visit.pk,
        "finding_id": finding.pk,
        "file_id": finding.files.get().pk,
        "extension": "pdf",
        "publication_id": publication.pk,
        "request_id": request.pk,
        "request_file_id": request.files.get().pk,
        "legislative_proposal_id": legislative.pk,
        "urgent_contact_id": contact.pk,
        "language": "ru",
    }


def _complaints_world(body, admin_user, police_unit, chair) -> dict[str, int | str]:
    """A complaint, an import waiting for its columns, an approved note and a unit's receipt."""
    from alqa.domain.complaint_import import receive_import
    from alqa.domain.complaint_notes import approve_note, create_note
    from alqa.domain.complaints import create_complaint
    from alqa.models import ComplaintSubject, NoteReceipt

    complaint = create_complaint(
        body=body,
        actor=admin_user,
        article="105",
        filed_on=date(2025, 3, 1),
        decided_on=date(2025, 3, 5),
        unit=police_unit,
        official="investigator",
        subject=ComplaintSubject.objects.get(body=body, code="detention"),
        outcome="refused",
    )
    job = receive_import(
        body=body,
        actor=admin_user,
        upload=SimpleUploadedFile("stat.csv", "Статья;Дата подачи\n105;01.03.2025\n".encode()),
        source="Статистика",
    )
    note = create_note(
        body=body,
        actor=admin_user,
        title_ru="Обобщение",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 6, 30),
    )
    approve_note(note, actor=chair.user)
    receipt = NoteReceipt.objects.create(
        note=note, unit=police_unit, email="su@police.test", token="receipt-token"
    )
    return {
        "complaint_id": complaint.pk,
        "import_id": job.pk,
        "note_id": note.pk,
        "receipt_token": receipt.token,
        "subject_id": ComplaintSubject.objects.get(body=body, code="other").pk,
    }


def _page_patterns() -> dict[str, str]:
    """{url name: route} of every page outside the admin site, allauth and the API."""
    found: dict[str, str] = {}

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if route.startswith(("admin/", "accounts/", "api/")):
                    continue
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                assert p.name, f"the page {route} has no URL name"
                found[p.name] = route

    walk(get_resolver().url_patterns)
    return found


def _fill(route: str, kwargs: dict) -> str:
    path = "/" + route.replace("<str:token>.ics", f"{kwargs['calendar_token']}.ics")
    if route.startswith("receipt/"):
        path = path.replace("<str:token>", str(kwargs["protocol_ack_token"]))
    if route.startswith("receipts/"):
        path = path.replace("<str:token>", str(kwargs["receipt_token"]))
    if route.startswith("proposals/"):
        path = path.replace("<int:attachment_id>", str(kwargs["proposal_attachment_id"]))
    if route.startswith("tasks/"):
        path = path.replace("<str:token>", str(kwargs["executor_token"]))
    if route.startswith(("tasks/", "assignment-files/")):
        path = path.replace("<int:file_id>", str(kwargs["assignment_file_id"]))
    if route.startswith("requests/"):
        path = path.replace("<int:file_id>", str(kwargs["request_file_id"]))
    for name, value in kwargs.items():
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<str:{name}>", str(value))
    assert "<" not in path, f"no value for a parameter of {route}"
    return path


def _turned_away(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code == 302:
        return response["Location"].startswith(("/accounts/login/", "/accounts/2fa/", "/admin/login/"))
    return False


def test_every_page_and_operation_has_a_row():
    assert set(_page_patterns()) == {name.split(":")[0] for name in PAGES}
    schema = api.get_openapi_schema()
    operations = {f"{m.upper()} {path}" for path, ops in schema["paths"].items() for m in ops}
    assert operations == set(OPERATIONS)


def _answers(client_for, send) -> dict[str, int]:
    return {reader: send(client_for(reader)) for reader in READERS}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_access(world: World, name: str):
    row = PAGES[name]
    route = _page_patterns()[name.split(":")[0]]
    path = _fill(route, world.kwargs)
    post_data = {
        "switch_body": {"body_id": world.kwargs["body_id"]},
        "complaint_note_agenda": {"meeting": world.kwargs["meeting_id"]},
    }
    wrong: list[str] = []
    for method in row.methods:
        for reader in READERS:
            client = world.pages[reader]
            if method == "GET":
                response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
            else:
                response = client.post(path, post_data.get(name, {}), HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code != 500, (method, path, reader)
            allowed = reader in row.allowed
            if allowed == _turned_away(response):
                where = response.get("Location", "")
                wrong.append(f"{method} {path} as {reader}: {response.status_code} {where}")
    assert not wrong, "\n".join(wrong)


# Destructive operations run on the approved agenda of the held meeting: an allowed reader's
# request (without `withdraw_approval`) is refused with 409 and changes nothing.
APPROVED_AGENDA = {
    "DELETE /api/v1/meetings/{meeting_id}/agenda/{item_id}": {
        "meeting_id": "approved_meeting_id",
        "item_id": "approved_item_id",
    },
}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_api_access(world: World, operation: str):
    method, route = operation.split(" ", 1)
    path = route
    for name, value in APPROVED_AGENDA.get(operation, {}).items():
        path = path.replace("{" + name + "}", str(world.kwargs[value]))
    for name, value in world.kwargs.items():
        path = path.replace("{" + name + "}", str(value))
    wrong: list[str] = []
    for reader in READERS:
        client = Client()
        headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
        if world.tokens[reader]:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[reader]}"
        if method == "GET":
            response = client.get(path, **headers)
        else:
            response = getattr(client, method.lower())(
                path, data="{}", content_type="application/json", **headers
            )
        assert response.status_code != 500, (operation, reader)
        allowed = reader in OPERATIONS[operation]
        if allowed == (response.status_code in (401, 403, 404)):
            wrong.append(f"{operation} as {reader}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", ADMIN_SITE_PROBES)
def test_admin_site_only_for_administrators_with_a_second_factor(world: World, path: str):
    wrong = []
    for reader in READERS:
        response = world.pages[reader].get(path)
        if (reader == "admin") == _turned_away(response):
            wrong.append(f"{path} as {reader}: {response.status_code} {response.get('Location', '')}")
    assert not wrong, "\n".join(wrong)
