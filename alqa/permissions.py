"""The one door to protected data.

Views and the API reach bodies and everything in them only through these functions. A record
that exists but belongs to a body the user cannot see answers exactly as a record that does not
exist (Http404), so that nothing leaks across bodies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias, TypeGuard

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa import request_memo
from alqa.domain import execution
from alqa.domain.meetings import member_of
from alqa.enums import MANAGING_ROLES, PublicationStatus, Role
from alqa.fragments import remember_until_change
from alqa.models import (
    AgendaItem,
    Assignment,
    AssignmentFile,
    AssignmentReport,
    Attachment,
    AuditEvent,
    Body,
    BodyPolicy,
    ChecklistItem,
    Complaint,
    ComplaintImport,
    ComplaintNote,
    ComplaintSubject,
    ComplianceRemark,
    Decision,
    DocumentRequest,
    ExtensionRequest,
    Facility,
    Finding,
    Guest,
    Invitation,
    LegislativeProposal,
    Meeting,
    Member,
    PlanItem,
    Proposal,
    Protocol,
    Publication,
    Unit,
    UrgentContact,
    User,
    Visit,
    WorkPlan,
)

# Whoever asks: a signed-in user or the anonymous one (`request.user`).
AnyUser: TypeAlias = "User | AnonymousUser"


def _authenticated(user: AnyUser) -> TypeGuard[User]:
    return user is not None and user.is_authenticated and user.is_active


def is_installation_admin(user: AnyUser) -> bool:
    return _authenticated(user) and user.is_superuser


@dataclass(frozen=True)
class Memberships:
    """Where a user is a member today: their roles in each body, and the bodies' ids in the
    bodies' order (by Russian name)."""

    roles: dict[int, frozenset[str]]
    body_ids: tuple[int, ...]


def _memberships(user: User) -> Memberships:
    """The user's memberships today (`Member.objects.on(today)`), with their roles and the bodies'
    order: one query, kept for the request (alqa.request_memo) and in the cache until the next
    audited change (alqa.fragments.remember_until_change: keyed by the audit head, today's date and
    the release). Every change of a membership, a role or a body's name is audited, and
    tests/audit_guard.py fails any test whose writes are not."""

    def read() -> Memberships:
        rows = (
            Member.objects.filter(user_id=user.pk)
            .on(timezone.localdate())
            .values_list("body_id", "role", "body__name_ru")
        )
        roles: dict[int, set[str]] = {}
        names: dict[int, str] = {}
        for body_id, role, name_ru in rows:
            roles.setdefault(body_id, set()).add(role)
            names[body_id] = name_ru
        return Memberships(
            roles={pk: frozenset(r) for pk, r in roles.items()},
            body_ids=tuple(sorted(names, key=lambda pk: (names[pk], pk))),
        )

    return request_memo.remember(
        ("memberships", user.pk, timezone.localdate()),
        lambda: remember_until_change(("memberships", user.pk), read, per_language=False),
    )


def bodies_for_user(user: AnyUser) -> QuerySet[Body]:
    """Bodies whose register the user may read: current members, and installation admins."""
    if not _authenticated(user):
        return Body.objects.none()
    if user.is_superuser:
        return Body.objects.all()
    return Body.objects.filter(pk__in=_memberships(user).body_ids)


def body_ids_for_user(user: AnyUser) -> tuple[int, ...]:
    """The ids of bodies_for_user, in the bodies' order; without a query of its own when the
    user's memberships have been read in this request."""
    if not _authenticated(user):
        return ()
    if user.is_superuser:
        return request_memo.remember(
            ("all body ids",), lambda: tuple(Body.objects.values_list("pk", flat=True))
        )
    return _memberships(user).body_ids


def current_body_id(user: AnyUser, session: SessionBase | None) -> int | None:
    """The body the user works in: the one last opened (kept in the session) while they may still
    read it, else the first of their bodies; None for a user of no body."""
    body_ids = body_ids_for_user(user)
    chosen = session.get(settings.BODY_SESSION_KEY) if session is not None else None
    return chosen if chosen in body_ids else (body_ids[0] if body_ids else None)


def listed_bodies_for_user(user: AnyUser) -> list[Body]:
    """bodies_for_user as a list in the bodies' order, read once a request."""
    return request_memo.remember(
        ("listed bodies", getattr(user, "pk", None)), lambda: list(bodies_for_user(user))
    )


def can_read_body(user: AnyUser, body_id: int) -> bool:
    """Whether the body's register is open to the user (bodies_for_user, without a query when the
    user's memberships have been read in this request)."""
    if not _authenticated(user):
        return False
    return user.is_superuser or body_id in _memberships(user).roles


def roles_in_body(user: AnyUser, body: Body) -> set[str]:
    if not _authenticated(user):
        return set()
    return set(_memberships(user).roles.get(body.pk, ()))


def can_manage_body(user: AnyUser, body: Body) -> bool:
    """Chair, deputy chair and secretary keep the register; installation admins may too."""
    return is_installation_admin(user) or bool(roles_in_body(user, body) & MANAGING_ROLES)


def can_change_policy(user: AnyUser, body: Body) -> bool:
    return is_installation_admin(user) or bool(roles_in_body(user, body) & {Role.CHAIR, Role.SECRETARY})


def can_view_audit(user: AnyUser, body: Body | None) -> bool:
    if body is None:
        return is_installation_admin(user)
    return can_manage_body(user, body)


def can_create_body(user: AnyUser) -> bool:
    return is_installation_admin(user)


def can_edit_calendar(user: AnyUser) -> bool:
    return _authenticated(user) and (user.is_superuser or user.is_staff)


def can_manage_trusted_roots(user: AnyUser) -> bool:
    """Installing and deactivating the roots qualified e-signatures are verified against: the
    installation's administrators only (a wrong root would make forged signatures pass)."""
    return is_installation_admin(user)


def requires_second_factor(user: AnyUser) -> bool:
    """Chair, deputy chair, secretary and administrators cannot work without a second factor."""
    if not _authenticated(user):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return Member.objects.filter(user=user, role__in=MANAGING_ROLES).on(timezone.localdate()).exists()


def get_body_for_user(user: AnyUser, body_id: int | str, *, write: bool = False) -> Body:
    try:
        body = bodies_for_user(user).get(pk=int(body_id))
    except (Body.DoesNotExist, ValueError, TypeError):
        raise Http404("No such body.") from None
    if write and not can_manage_body(user, body):
        raise PermissionDenied
    return body


def get_policy_for_user(user: AnyUser, body_id: int | str, *, write: bool = False) -> BodyPolicy:
    """The body's policy. Reading never writes: every body gets its policy when it is created
    (`domain.bodies.create_body`, the admin) and migration 0006 gave one to older bodies; a body
    without one anyway is shown the regulation's defaults, unsaved, and `update_policy` stores
    them with its audit event."""
    body = get_body_for_user(user, body_id)
    if write and not can_change_policy(user, body):
        raise PermissionDenied
    policy = BodyPolicy.objects.select_related("body").filter(body=body).first()
    if policy is None:
        policy = BodyPolicy()
        body.policy = policy  # both ways, as select_related leaves a stored one
    return policy


def get_member_for_user(user: AnyUser, member_id: int | str, *, write: bool = False) -> Member:
    try:
        member = Member.objects.select_related("body", "unit", "user").get(pk=int(member_id))
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404("No such member.") from None
    get_body_for_user(user, member.body_id, write=write)
    return member


def get_unit_for_user(user: AnyUser, unit_id: int | str, *, write: bool = False) -> Unit:
    try:
        unit = Unit.objects.select_related("body", "parent").get(pk=int(unit_id))
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404("No such unit.") from None
    get_body_for_user(user, unit.body_id, write=write)
    return unit


def get_guest_for_user(user: AnyUser, guest_id: int | str, *, write: bool = False) -> Guest:
    try:
        guest = Guest.objects.select_related("body").get(pk=int(guest_id))
    except (Guest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such participant.") from None
    get_body_for_user(user, guest.body_id, write=write)
    return guest


def audit_events_for_user(user: AnyUser, body: Body | None) -> QuerySet[AuditEvent]:
    """A body's trail for those who manage it; the whole installation's for admins."""
    if not can_view_audit(user, body):
        raise PermissionDenied
    qs = AuditEvent.objects.select_related("body", "actor")
    return qs if body is None else qs.filter(body=body)


def units_of(body: Body) -> QuerySet[Unit]:
    return Unit.objects.filter(body=body).select_related("parent")


def meetings_for_user(user: AnyUser) -> QuerySet[Meeting]:
    """Meetings of the bodies the user belongs to, and those an invited participant is invited to."""
    if not _authenticated(user):
        return Meeting.objects.none()
    if user.is_superuser:
        return Meeting.objects.all()
    return Meeting.objects.filter(
        Q(body__in=bodies_for_user(user)) | Q(invitations__guest__user=user)
    ).distinct()


def is_invited_guest(user: AnyUser, meeting: Meeting) -> bool:
    return _authenticated(user) and meeting.invitations.filter(guest__user=user).exists()


@dataclass(frozen=True)
class MeetingReader:
    """What one reader sees of one meeting. Decided here, once, for the meeting page, its
    documents and the API alike: nothing else may decide it.

    A member of the body (or an installation administrator) sees everything: attendance and the
    quorum, the invitations and replies, decisions, the print pack. An invited participant (a
    guest) sees the meeting, its agenda and the files on it, and their own invitation — no names
    of others, no replies, no decisions, no print pack."""

    member: bool
    manages: bool
    presiding: bool
    guest_user_id: int | None = None

    @property
    def sees_attendance(self) -> bool:
        return self.member

    @property
    def sees_invitations(self) -> bool:
        return self.member

    @property
    def sees_decisions(self) -> bool:
        return self.member

    @property
    def sees_print_pack(self) -> bool:
        return self.member

    @property
    def sees_cadence(self) -> bool:
        """When the body's next regular meeting is due: the body's own business."""
        return self.member

    @property
    def sees_own_invitation(self) -> bool:
        """An invited participant sees their own invitation and reply (a member, all of them)."""
        return not self.member

    @property
    def cache_parts(self) -> tuple[object, ...]:
        """The key of what this kind of reader is shown: the same for every reader of one kind;
        an invited participant's includes their own reply, so theirs is kept per person."""
        if self.member:
            return ("member", self.manages, self.presiding)
        return ("participant", self.guest_user_id)


def meeting_reader(user: AnyUser, meeting: Meeting) -> MeetingReader:
    """The reader's view of a meeting they may read (get_meeting_for_user has let them in)."""
    member = can_read_body(user, meeting.body_id)
    presiding = member and meeting.presiding.user_id is not None and meeting.presiding.user_id == user.pk
    if member:
        return MeetingReader(member=True, manages=can_manage_body(user, meeting.body), presiding=presiding)
    return MeetingReader(member=False, manages=False, presiding=False, guest_user_id=user.pk)


def get_meeting_for_user(user: AnyUser, meeting_id: int | str, *, write: bool = False) -> Meeting:
    """Members of the body read; chair, deputy chair and secretary change; an invited participant
    reads only the meetings they are invited to; everyone else gets 404.

    A read (write=False) may take the meeting from the cache, as it was after the latest change
    (alqa.fragments.remember_until_change); whoever is about to change it asks with write=True and
    gets it from the database. The permission itself is always checked afresh."""
    try:
        meeting_id = int(meeting_id)

        def load() -> Meeting:
            # with its protocol, if any: whether a signed protocol closed it (domain.meetings.why_not)
            return Meeting.objects.select_related("body", "body__policy", "presiding", "protocol").get(
                pk=meeting_id
            )

        # A page that only reads the meeting takes it from the cache while nothing has changed.
        meeting = load() if write else remember_until_change(("meeting", meeting_id), load)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No such meeting.") from None
    if can_read_body(user, meeting.body_id):
        if write and not can_manage_body(user, meeting.body):
            raise PermissionDenied
        return meeting
    if not write and is_invited_guest(user, meeting):
        return meeting
    raise Http404("No such meeting.")


def get_proposal_for_user(user: AnyUser, proposal_id: int | str, *, write: bool = False) -> Proposal:
    """Members read the body's proposals; the chair, deputies and secretary decide them."""
    try:
        proposal = Proposal.objects.select_related("body", "author").get(pk=int(proposal_id))
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise Http404("No such proposal.") from None
    get_body_for_user(user, proposal.body_id, write=write)
    return proposal


def calendar_feed_user(token: str) -> User | None:
    """The active user whose calendar feed address carries `token` (the token is the key: no
    sign-in), or None for an unknown, reset or malformed one."""
    if not token or len(token) > 64:
        return None
    return User.objects.filter(calendar_token=token, is_active=True).first()


def feed_meetings_for_user(user: User) -> QuerySet[Meeting]:
    """What a user's calendar feed holds: every meeting of the bodies the user is a member of
    today, and the meetings the user is invited to as an invited participant (guest)."""
    bodies = Member.objects.filter(user=user).on(timezone.localdate()).values("body_id")
    return (
        Meeting.objects.filter(Q(body_id__in=bodies) | Q(invitations__guest__user=user))
        .distinct()
        .select_related("body")
        .prefetch_related("items")
        .order_by("starts_at", "pk")
    )


def get_agenda_item_for_user(
    user: AnyUser, meeting_id: int | str, item_id: int | str, *, write: bool = False
) -> AgendaItem:
    """A question of a meeting the user may read (or change, with `write`); a question of another
    meeting, or none, is 404."""
    meeting = get_meeting_for_user(user, meeting_id, write=write)
    try:
        item = AgendaItem.objects.get(pk=int(item_id), meeting=meeting)
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise Http404("No such question on this agenda.") from None
    item.meeting = meeting
    return item


def get_own_invitation(user: AnyUser, meeting_id: int | str) -> Invitation:
    """The signed-in user's own invitation to a meeting they may read: as a member of the body on
    its day, or as an invited participant. Anyone else, and a reader not invited, gets 404."""
    meeting = get_meeting_for_user(user, meeting_id)
    invitation = (
        Invitation.objects.filter(meeting=meeting)
        .filter(Q(member__user_id=user.pk) | Q(guest__user_id=user.pk))
        .select_related("member", "guest")
        .first()
        if _authenticated(user)
        else None
    )
    if invitation is None:
        raise Http404("You are not invited to this meeting.")
    invitation.meeting = meeting
    return invitation


def get_meeting_to_approve(user: AnyUser, meeting_id: int | str) -> Meeting:
    """The meeting whose agenda the user approves: only its presiding person may (clause 3.2)."""
    meeting = get_meeting_for_user(user, meeting_id, write=True)
    if not meeting_reader(user, meeting).presiding:
        raise PermissionDenied(_("Only the presiding person approves the agenda."))
    return meeting


def get_author_for_user(user: AnyUser, body_id: int | str) -> Member:
    """The user's membership in the body today, with which they submit a proposal: a member of the
    body only (an installation administrator reads every body but is nobody's member)."""
    body = get_body_for_user(user, body_id)
    author = member_of(user, body) if _authenticated(user) else None
    if author is None:
        raise PermissionDenied(_("Only a member of this body may submit a proposal."))
    author.body = body
    return author


def get_contact_member_for_user(user: AnyUser, body_id: int | str) -> Member:
    """The user's membership in the body today, with which they log an urgent contact (clause
    2.2.5): any member of the body, of either side; an installation administrator is nobody's
    member and logs none."""
    body = get_body_for_user(user, body_id)
    member = member_of(user, body) if _authenticated(user) else None
    if member is None:
        raise PermissionDenied(_("Only a member of this body may log an urgent contact."))
    member.body = body
    return member


# --- protocols --------------------------------------------------------------------------------


def get_protocol_for_user(user: AnyUser, protocol_id: int | str, *, write: bool = False) -> Protocol:
    """Members of the body read a protocol; the chair, deputy chair and secretary change it (and
    installation administrators, who read and keep every body's). Anybody else: 404."""
    try:
        protocol = Protocol.objects.select_related(
            "body", "body__policy", "meeting", "meeting__presiding"
        ).get(pk=int(protocol_id))
    except (Protocol.DoesNotExist, ValueError, TypeError):
        raise Http404("No such protocol.") from None
    if not can_read_body(user, protocol.body_id):
        raise Http404("No such protocol.")
    if write and not can_manage_body(user, protocol.body):
        raise PermissionDenied
    return protocol


def get_protocol_to_sign(user: AnyUser, protocol_id: int | str) -> Protocol:
    """A protocol the user may read; whether they may sign it is the domain's rule (the presiding
    person, the secretary, members present), checked against the text being signed."""
    return get_protocol_for_user(user, protocol_id)


def can_keep_archive(user: AnyUser) -> bool:
    """Archive decisions and the verification of protocols: installation administrators."""
    return is_installation_admin(user)


# --- oversight between meetings: facilities, visits, findings, publications (issue 12) --------


def get_facility_for_user(user: AnyUser, facility_id: int | str, *, write: bool = False) -> Facility:
    """Members read the facilities' register and plan visits; chair, deputies and secretary keep
    the register."""
    try:
        facility = Facility.objects.select_related("body", "unit").get(pk=int(facility_id))
    except (Facility.DoesNotExist, ValueError, TypeError):
        raise Http404("No such facility.") from None
    get_body_for_user(user, facility.body_id, write=write)
    return facility


def get_checklist_item_for_user(
    user: AnyUser, checklist_item_id: int | str, *, write: bool = False
) -> ChecklistItem:
    """An item of a body's checklist of visits: members read it, the leaders keep it."""
    try:
        item = ChecklistItem.objects.select_related("body").get(pk=int(checklist_item_id))
    except (ChecklistItem.DoesNotExist, ValueError, TypeError):
        raise Http404("No such checklist item.") from None
    get_body_for_user(user, item.body_id, write=write)
    return item


def get_visit_for_user(user: AnyUser, visit_id: int | str) -> Visit:
    """Every member of the body reads, records and adds findings to its visits: members of both
    sides go on them (clause 2.2.7)."""
    try:
        visit = Visit.objects.select_related("body", "facility", "facility__unit").get(pk=int(visit_id))
    except (Visit.DoesNotExist, ValueError, TypeError):
        raise Http404("No such visit.") from None
    get_body_for_user(user, visit.body_id)
    return visit


def get_finding_for_user(user: AnyUser, finding_id: int | str) -> Finding:
    try:
        finding = Finding.objects.select_related("body", "visit", "facility", "unit").get(pk=int(finding_id))
    except (Finding.DoesNotExist, ValueError, TypeError):
        raise Http404("No such finding.") from None
    get_body_for_user(user, finding.body_id)
    return finding


def get_publication_for_user(user: AnyUser, publication_id: int | str, *, write: bool = False) -> Publication:
    """Members read the body's drafts and publications; chair, deputies and secretary write and
    publish them (the approvals are the chair's and the deputy chair's: domain.publications)."""
    try:
        publication = Publication.objects.select_related("body").get(pk=int(publication_id))
    except (Publication.DoesNotExist, ValueError, TypeError):
        raise Http404("No such publication.") from None
    get_body_for_user(user, publication.body_id, write=write)
    return publication


def get_publication_approver(user: AnyUser, publication_id: int | str) -> tuple[Publication, Member]:
    """The publication and the user's membership with which they approve it: the chair or a deputy
    chair of its body only (clause 2.2.2)."""
    publication = get_publication_for_user(user, publication_id)
    approver = member_of(user, publication.body) if _authenticated(user) else None
    if approver is None or approver.role not in (Role.CHAIR, Role.DEPUTY_CHAIR):
        raise PermissionDenied(
            _("Publications are approved by the chair and the deputy chair (clause 2.2.2).")
        )
    return publication, approver


def get_public_body(body_id: int | str) -> Body:
    """A body's public page (clause 2.2.2) is open to anyone: the body itself, nothing else."""
    try:
        return Body.objects.get(pk=int(body_id))
    except (Body.DoesNotExist, ValueError, TypeError):
        raise Http404("No such body.") from None


def get_public_publication(body: Body, publication_id: int | str) -> Publication:
    """A published item of the body for anyone; a draft or another body's item is not found."""
    try:
        return Publication.objects.get(pk=int(publication_id), body=body, status=PublicationStatus.PUBLISHED)
    except (Publication.DoesNotExist, ValueError, TypeError):
        raise Http404("No such publication.") from None


def get_request_for_user(user: AnyUser, request_id: int | str, *, write: bool = False) -> DocumentRequest:
    """Members read the body's requests for documents; chair, deputies and secretary write, send
    them and record the answers."""
    try:
        request = DocumentRequest.objects.select_related("body").get(pk=int(request_id))
    except (DocumentRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such request.") from None
    get_body_for_user(user, request.body_id, write=write)
    return request


def get_urgent_contact_for_user(user: AnyUser, urgent_contact_id: int | str) -> UrgentContact:
    """Members of the body read its log of urgent contacts (clause 2.2.5)."""
    try:
        contact = UrgentContact.objects.select_related("body", "member", "unit", "agenda_item").get(
            pk=int(urgent_contact_id)
        )
    except (UrgentContact.DoesNotExist, ValueError, TypeError):
        raise Http404("No such urgent contact.") from None
    get_body_for_user(user, contact.body_id)
    return contact


def get_legislative_proposal_for_user(
    user: AnyUser, proposal_id: int | str, *, write: bool = False
) -> LegislativeProposal:
    """Members read the body's legislative proposals (clause 2.2.11); chair, deputies and
    secretary draft them and record their way."""
    try:
        proposal = LegislativeProposal.objects.select_related("body", "decision__meeting").get(
            pk=int(proposal_id)
        )
    except (LegislativeProposal.DoesNotExist, ValueError, TypeError):
        raise Http404("No such legislative proposal.") from None
    get_body_for_user(user, proposal.body_id, write=write)
    return proposal


# --- complaints (clause 2.1.4): members read the register; chair, deputy chair and secretary keep it


def get_complaint_for_user(user: AnyUser, complaint_id: int | str, *, write: bool = False) -> Complaint:
    try:
        complaint = Complaint.objects.select_related("body").get(pk=int(complaint_id))
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise Http404("No such complaint.") from None
    get_body_for_user(user, complaint.body_id, write=write)
    return complaint


def get_complaint_import_for_user(
    user: AnyUser, import_id: int | str, *, write: bool = False
) -> ComplaintImport:
    try:
        job = ComplaintImport.objects.select_related("body").get(pk=int(import_id))
    except (ComplaintImport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import.") from None
    get_body_for_user(user, job.body_id, write=write)
    return job


def get_complaint_subject_for_user(
    user: AnyUser, subject_id: int | str, *, write: bool = False
) -> ComplaintSubject:
    try:
        subject = ComplaintSubject.objects.select_related("body").get(pk=int(subject_id))
    except (ComplaintSubject.DoesNotExist, ValueError, TypeError):
        raise Http404("No such subject.") from None
    get_body_for_user(user, subject.body_id, write=write)
    return subject


def get_note_for_user(user: AnyUser, note_id: int | str, *, write: bool = False) -> ComplaintNote:
    try:
        note = ComplaintNote.objects.select_related("body", "approved_by").get(pk=int(note_id))
    except (ComplaintNote.DoesNotExist, ValueError, TypeError):
        raise Http404("No such note.") from None
    get_body_for_user(user, note.body_id, write=write)
    return note


def get_note_to_approve(user: AnyUser, note_id: int | str) -> ComplaintNote:
    """The note the user approves: only the body's chair may (issue #13.4)."""
    note = get_note_for_user(user, note_id, write=True)
    if Role.CHAIR not in roles_in_body(user, note.body):
        raise PermissionDenied(_("Only the chair approves a generalisation note."))
    return note


# --- compliance remarks (clause 2.2.3) and work plans (2.1.1, 2.1.2, 2.2.10) ----------------------


def _remark_author(user: AnyUser, body: Body) -> Member:
    author = member_of(user, body) if _authenticated(user) else None
    if author is None:
        raise PermissionDenied(_("Only a member of this body may file a remark."))
    author.body = body
    return author


def get_decision_to_remark(user: AnyUser, decision_id: int | str) -> tuple[Decision, Member]:
    """The decision a member files a compliance remark on, and the member's membership today: any
    member of its body, not only the leaders (clause 2.2.3)."""
    try:
        decision = Decision.objects.select_related("meeting", "agenda_item").get(pk=int(decision_id))
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise Http404("No such decision.") from None
    body = get_body_for_user(user, decision.meeting.body_id)
    return decision, _remark_author(user, body)


def get_plan_item_to_remark(user: AnyUser, item_id: int | str) -> tuple[PlanItem, Member]:
    """The plan item a member files a compliance remark on, and the member's membership today."""
    item = get_plan_item_for_user(user, item_id)
    return item, _remark_author(user, item.plan.body)


def get_remark_author(user: AnyUser, body_id: int | str) -> Member:
    """The user's membership in the body today, with which they file a remark (the API)."""
    return _remark_author(user, get_body_for_user(user, body_id))


def get_remark_for_user(user: AnyUser, remark_id: int | str, *, write: bool = False) -> ComplianceRemark:
    """Members read the body's remarks; the chair, deputies and secretary close them."""
    try:
        remark = ComplianceRemark.objects.select_related(
            "body", "author", "decision__meeting", "plan_item__plan", "proposal"
        ).get(pk=int(remark_id))
    except (ComplianceRemark.DoesNotExist, ValueError, TypeError):
        raise Http404("No such remark.") from None
    get_body_for_user(user, remark.body_id, write=write)
    return remark


def get_remark_file_for_user(user: AnyUser, remark_id: int | str, remark_file_id: int | str) -> Attachment:
    """A file filed with a remark (kept on its proposal), for the members who read the remark;
    a file of another remark or none: 404."""
    remark = get_remark_for_user(user, remark_id)
    if remark.proposal_id is None:
        raise Http404("No such file.")
    try:
        return Attachment.objects.get(pk=int(remark_file_id), proposal_id=remark.proposal_id)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such file.") from None


def get_plan_for_user(user: AnyUser, plan_id: int | str, *, write: bool = False) -> WorkPlan:
    """Members read the body's plans; the chair, deputies and secretary draft and amend them."""
    try:
        plan = WorkPlan.objects.select_related("body", "approved_by").get(pk=int(plan_id))
    except (WorkPlan.DoesNotExist, ValueError, TypeError):
        raise Http404("No such plan.") from None
    get_body_for_user(user, plan.body_id, write=write)
    return plan


def get_plan_item_for_user(user: AnyUser, item_id: int | str, *, write: bool = False) -> PlanItem:
    try:
        item = PlanItem.objects.select_related("plan__body").get(pk=int(item_id))
    except (PlanItem.DoesNotExist, ValueError, TypeError):
        raise Http404("No such plan item.") from None
    get_body_for_user(user, item.plan.body_id, write=write)
    return item


def get_plan_approver(user: AnyUser, plan_id: int | str) -> tuple[WorkPlan, Member]:
    """The plan and the user's membership with which they approve it: the chair only (2.1.1)."""
    plan = get_plan_for_user(user, plan_id)
    approver = member_of(user, plan.body) if _authenticated(user) else None
    if approver is None or approver.role != Role.CHAIR:
        raise PermissionDenied(_("Only the chair approves the plan."))
    return plan, approver


def can_approve_plan(user: AnyUser, body: Body) -> bool:
    return Role.CHAIR in roles_in_body(user, body)


# --- execution control of assignments (issue 11) -------------------------------------------------


def get_assignment_for_user(
    user: AnyUser, assignment_id: int | str, *, write: bool = False, report: bool = False
) -> Assignment:
    """Members of the body read an assignment; the chair, deputy chair and secretary keep it
    (`write`: the receipt, the executor's link); `report`: also the executor who is a member,
    who gives their own information and reports. Whether the user decides on it (the chair or the
    deputy chair) is `can_decide_assignment`. Anybody else: 404."""
    try:
        assignment = Assignment.objects.select_related(
            "body", "decision__meeting", "plan_item__plan", "executor_member", "executor_unit"
        ).get(pk=int(assignment_id))
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such assignment.") from None
    body = assignment.body
    if not can_read_body(user, body.pk):
        raise Http404("No such assignment.")
    if write or report:
        own = (
            report
            and assignment.executor_member is not None
            and _authenticated(user)
            and assignment.executor_member.user_id == user.pk
        )
        if not own and not can_manage_body(user, body):
            raise PermissionDenied
    return assignment


def can_decide_assignment(user: AnyUser, assignment: Assignment) -> bool:
    """The chair, or the deputy chair presiding in the chair's place (clause 3.2)."""
    return _authenticated(user) and execution.can_decide(user, assignment)


def can_read_chair_reminders(user: AnyUser, assignment: Assignment) -> bool:
    """Who sees the reminders sent to the chair about an assignment (its page and the API): the
    body's managers and whoever decides on the assignment; never the executor's link."""
    return can_manage_body(user, assignment.body) or can_decide_assignment(user, assignment)


def get_assignment_to_decide(user: AnyUser, assignment_id: int | str) -> Assignment:
    assignment = get_assignment_for_user(user, assignment_id)
    if not can_decide_assignment(user, assignment):
        raise PermissionDenied(_("Only the chair or the deputy chair decides on an assignment."))
    return assignment


def can_control_execution(user: AnyUser, body: Body) -> bool:
    """The control page of execution (clause 3.2): the chair, deputy chair and secretary."""
    return can_manage_body(user, body)


def get_report_to_decide(user: AnyUser, report_id: int | str) -> AssignmentReport:
    """A report of an assignment the user decides on (the chair, the deputy chair); a reader of the
    body who may not decide: 403; anybody else: 404."""
    try:
        report = AssignmentReport.objects.get(pk=int(report_id))
    except (AssignmentReport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such report.") from None
    report.assignment = get_assignment_to_decide(user, report.assignment_id)
    return report


def get_report_for_user(user: AnyUser, report_id: int | str) -> AssignmentReport:
    """A report on an assignment the user reads (members of the body); anybody else: 404."""
    try:
        report = AssignmentReport.objects.get(pk=int(report_id))
    except (AssignmentReport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such report.") from None
    report.assignment = get_assignment_for_user(user, report.assignment_id)
    return report


def get_assignment_file_for_user(user: AnyUser, file_id: int | str) -> AssignmentFile:
    """A file of a report on an assignment the user reads (members of the body); anybody else: 404."""
    try:
        found = AssignmentFile.objects.select_related("report").get(pk=int(file_id))
    except (AssignmentFile.DoesNotExist, ValueError, TypeError):
        raise Http404("No such file.") from None
    get_assignment_for_user(user, found.report.assignment_id)
    return found


def get_extension_to_decide(user: AnyUser, extension_id: int | str) -> ExtensionRequest:
    try:
        request = ExtensionRequest.objects.get(pk=int(extension_id))
    except (ExtensionRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such request.") from None
    request.assignment = get_assignment_to_decide(user, request.assignment_id)
    return request
