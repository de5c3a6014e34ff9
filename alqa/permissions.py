"""The one door to protected data.

Views and the API reach bodies and everything in them only through these functions. A record
that exists but belongs to a body the user cannot see answers exactly as a record that does not
exist (Http404), so that nothing leaks across bodies.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from alqa.enums import MANAGING_ROLES, Role
from alqa.models import AuditEvent, Body, BodyPolicy, Guest, Meeting, Member, Proposal, Unit


def _authenticated(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_installation_admin(user) -> bool:
    return _authenticated(user) and user.is_superuser


def bodies_for_user(user) -> QuerySet[Body]:
    """Bodies whose register the user may read: current members, and installation admins."""
    if not _authenticated(user):
        return Body.objects.none()
    if user.is_superuser:
        return Body.objects.all()
    today = timezone.localdate()
    return Body.objects.filter(members__in=Member.objects.filter(user=user).on(today)).distinct()


def roles_in_body(user, body: Body) -> set[str]:
    if not _authenticated(user):
        return set()
    today = timezone.localdate()
    return set(Member.objects.filter(user=user, body=body).on(today).values_list("role", flat=True))


def can_manage_body(user, body: Body) -> bool:
    """Chair, deputy chair and secretary keep the register; installation admins may too."""
    return is_installation_admin(user) or bool(roles_in_body(user, body) & MANAGING_ROLES)


def can_change_policy(user, body: Body) -> bool:
    return is_installation_admin(user) or bool(roles_in_body(user, body) & {Role.CHAIR, Role.SECRETARY})


def can_view_audit(user, body: Body | None) -> bool:
    if body is None:
        return is_installation_admin(user)
    return can_manage_body(user, body)


def can_create_body(user) -> bool:
    return is_installation_admin(user)


def can_edit_calendar(user) -> bool:
    return _authenticated(user) and (user.is_superuser or user.is_staff)


def requires_second_factor(user) -> bool:
    """Chair, deputy chair, secretary and administrators cannot work without a second factor."""
    if not _authenticated(user):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return Member.objects.filter(user=user, role__in=MANAGING_ROLES).on(timezone.localdate()).exists()


def get_body_for_user(user, body_id, *, write: bool = False) -> Body:
    try:
        body = bodies_for_user(user).get(pk=int(body_id))
    except (Body.DoesNotExist, ValueError, TypeError):
        raise Http404("No such body.") from None
    if write and not can_manage_body(user, body):
        raise PermissionDenied
    return body


def get_policy_for_user(user, body_id, *, write: bool = False) -> BodyPolicy:
    body = get_body_for_user(user, body_id)
    if write and not can_change_policy(user, body):
        raise PermissionDenied
    return BodyPolicy.objects.select_related("body").get_or_create(body=body)[0]


def get_member_for_user(user, member_id, *, write: bool = False) -> Member:
    try:
        member = Member.objects.select_related("body", "unit", "user").get(pk=int(member_id))
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404("No such member.") from None
    get_body_for_user(user, member.body_id, write=write)
    return member


def get_unit_for_user(user, unit_id, *, write: bool = False) -> Unit:
    try:
        unit = Unit.objects.select_related("body", "parent").get(pk=int(unit_id))
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404("No such unit.") from None
    get_body_for_user(user, unit.body_id, write=write)
    return unit


def get_guest_for_user(user, guest_id, *, write: bool = False) -> Guest:
    try:
        guest = Guest.objects.select_related("body").get(pk=int(guest_id))
    except (Guest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such participant.") from None
    get_body_for_user(user, guest.body_id, write=write)
    return guest


def audit_events_for_user(user, body: Body | None) -> QuerySet[AuditEvent]:
    """A body's trail for those who manage it; the whole installation's for admins."""
    if not can_view_audit(user, body):
        raise PermissionDenied
    qs = AuditEvent.objects.select_related("body", "actor")
    return qs if body is None else qs.filter(body=body)


def units_of(body: Body) -> QuerySet[Unit]:
    return Unit.objects.filter(body=body).select_related("parent")




def meetings_for_user(user) -> QuerySet[Meeting]:
    """Meetings of the bodies the user belongs to, and those an invited participant is invited to."""
    if not _authenticated(user):
        return Meeting.objects.none()
    if user.is_superuser:
        return Meeting.objects.all()
    return Meeting.objects.filter(
        Q(body__in=bodies_for_user(user)) | Q(invitations__guest__user=user)
    ).distinct()


def is_invited_guest(user, meeting: Meeting) -> bool:
    return _authenticated(user) and meeting.invitations.filter(guest__user=user).exists()


def get_meeting_for_user(user, meeting_id, *, write: bool = False) -> Meeting:
    """Members of the body read; chair, deputy chair and secretary change; an invited participant
    reads only the meetings they are invited to; everyone else gets 404."""
    try:
        meeting = Meeting.objects.select_related("body", "body__policy", "presiding").get(pk=int(meeting_id))
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No such meeting.") from None
    if bodies_for_user(user).filter(pk=meeting.body_id).exists():
        if write and not can_manage_body(user, meeting.body):
            raise PermissionDenied
        return meeting
    if not write and is_invited_guest(user, meeting):
        return meeting
    raise Http404("No such meeting.")


def get_proposal_for_user(user, proposal_id, *, write: bool = False) -> Proposal:
    """Members read the body's proposals; the chair, deputies and secretary decide them."""
    try:
        proposal = Proposal.objects.select_related("body", "author").get(pk=int(proposal_id))
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise Http404("No such proposal.") from None
    get_body_for_user(user, proposal.body_id, write=write)
    return proposal
