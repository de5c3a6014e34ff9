"""The register of members: periods, roles, sides, and the user behind each e-mail."""

from __future__ import annotations

from datetime import date
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa.domain.audit import diff, record_event
from alqa.domain.outbox import queue_mail
from alqa.enums import AppointmentBasis, Role, Side
from alqa.models import Body, BodyPolicy, Member, User

MEMBER_FIELDS = (
    "full_name",
    "email",
    "phone",
    "side",
    "role",
    "unit",
    "position",
    "position_kk",
    "basis_kind",
    "basis_number",
    "basis_date",
    "active_from",
    "active_to",
    "language",
)
# Roles that one person holds at a time in a body.
SINGLE_HOLDER_ROLES = (Role.CHAIR, Role.SECRETARY)
# Clause 3.1: the chair is the Police Department's deputy head, the deputy chair the Bar's deputy
# chair. A body's policy (`leaders_sides_enforced`) relaxes this where its own regulation differs.
LEADER_SIDES: dict[str, Side] = {Role.CHAIR: Side.POLICE, Role.DEPUTY_CHAIR: Side.BAR}
BASIS_FIELDS = ("basis_kind", "basis_number", "basis_date")


def _overlapping(member: Member) -> QuerySet[Member]:
    """Other memberships of the same body whose period overlaps this one's."""
    qs = Member.objects.filter(body_id=member.body_id).exclude(pk=member.pk)
    if member.active_to is not None:
        qs = qs.filter(active_from__lte=member.active_to)
    return qs.filter(Q(active_to__isnull=True) | Q(active_to__gte=member.active_from))


def leader_side_error(member: Member) -> str | None:
    """The clause 3.1 message when the member's role belongs to the other side, else None."""
    required = LEADER_SIDES.get(member.role)
    if required is None or member.side == required:
        return None
    if member.role == Role.CHAIR:
        return _(
            "Under clause 3.1 the chair is on the police side: the deputy head of the Police Department."
        )
    return _("Under clause 3.1 the deputy chair is on the bar side: the deputy chair of the Bar.")


def _sides_enforced(body_id: int) -> bool:
    enforced = BodyPolicy.objects.filter(body_id=body_id).values_list("leaders_sides_enforced", flat=True)
    return next(iter(enforced), True)


def leaders_on_wrong_side(body: Body) -> list[Member]:
    """Chairs and deputy chairs in office today or later whose side is not the one of clause 3.1."""
    today = timezone.localdate()
    leaders = Member.objects.filter(body=body, role__in=list(LEADER_SIDES)).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=today)
    )
    return [m for m in leaders.order_by("role", "full_name") if leader_side_error(m)]


def _leader_side_errors(member: Member, before: dict[str, Any] | None) -> dict[str, str]:
    """A new member, or a change of role or side, keeps the sides of clause 3.1 (unless the
    body's policy relaxes them); an unchanged leader of an earlier record is left as it is."""
    if before is not None and (before["role"], before["side"]) == (member.role, member.side):
        return {}
    message = leader_side_error(member)
    if message is None or not _sides_enforced(member.body_id):
        return {}
    return {"side": message}


def _basis_errors(member: Member, before: dict[str, Any] | None) -> dict[str, str]:
    """Clause 1.3: a bar-side member is appointed by a resolution of the Bar's Presidium, so a new
    bar-side appointment (a new member, or a member moved to the bar side) states the resolution's
    number and date. A police-side member may state an order or another document. Memberships
    recorded before this rule keep what they have until their basis is changed."""
    new_appointment = before is None or before["side"] != member.side
    basis_changed = before is None or any(before[f] != getattr(member, f) for f in BASIS_FIELDS)
    if not (new_appointment or basis_changed):
        return {}
    errors: dict[str, str] = {}
    if isinstance(member.basis_date, date) and member.basis_date > timezone.localdate():
        errors["basis_date"] = _("The appointing document cannot be dated in the future.")
    if member.side == Side.BAR:
        if member.basis_kind != AppointmentBasis.PRESIDIUM_RESOLUTION:
            errors["basis_kind"] = _(
                "A bar-side member is appointed by a resolution of the Bar's Presidium (clause 1.3): "
                "choose it and give its number and date."
            )
        if not member.basis_number:
            errors["basis_number"] = _("Give the number of the appointing document.")
        if not member.basis_date:
            errors.setdefault("basis_date", _("Give the date of the appointing document."))
    elif member.basis_kind == AppointmentBasis.PRESIDIUM_RESOLUTION:
        errors["basis_kind"] = _(
            "The Bar's Presidium appoints bar-side members only: for a police-side member choose an "
            "order or another document."
        )
    if not member.basis_kind and (member.basis_number or member.basis_date) and "basis_kind" not in errors:
        errors["basis_kind"] = _("Choose the kind of the appointing document.")
    return errors


def _validate(member: Member, *, before: dict[str, Any] | None = None) -> None:
    member.full_name = (member.full_name or "").strip()
    member.email = (member.email or "").strip().lower()
    errors: dict[str, str] = {}
    exclude = ["user", "body"]
    if member.active_to and member.active_from and member.active_to < member.active_from:
        errors["active_to"] = _("The end of membership cannot be before its start.")
        exclude.append("active_to")  # else the check constraint adds its own, technical message
    try:
        member.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if member.unit_id is not None and "unit" not in errors:
        unit = member.unit
        assert unit is not None  # unit_id is set
        if unit.body_id != member.body_id:
            errors["unit"] = _("This unit belongs to another body.")
        elif unit.side != member.side:
            errors["unit"] = _("The unit is on the other side.")
    if member.basis_kind and not member.basis_number and "basis_number" not in errors:
        errors["basis_number"] = _("Give the number of the appointing document.")
    for field, message in (_leader_side_errors(member, before) | _basis_errors(member, before)).items():
        errors.setdefault(field, message)
    if errors or not member.active_from:
        raise ValidationError(errors)
    overlapping = _overlapping(member)
    if member.email and overlapping.filter(email=member.email).exists():
        errors["email"] = _("A member with this e-mail is already in this body for an overlapping period.")
    if member.role in SINGLE_HOLDER_ROLES:
        holder = overlapping.filter(role=member.role).first()
        if holder is not None:
            errors["role"] = _("%(name)s already holds this role for an overlapping period.") % {
                "name": holder.full_name
            }
    if errors:
        raise ValidationError(errors)


def user_for_email(email: str, *, full_name: str, language: str) -> User:
    """The user behind an e-mail: found, or created without a password. Two requests creating the
    same new user at once (in two bodies, say) both end with the one the first of them created."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, full_name=full_name, language=language)
    except IntegrityError:  # created a moment ago by a parallel request, now committed
        return User.objects.get(email__iexact=email)


def _link_user(member: Member) -> User | None:
    """The user behind the member's e-mail: found, or created without a password."""
    if not member.email:
        return None
    return user_for_email(member.email, full_name=member.full_name, language=member.language)


def _lost_race(member: Member) -> ValidationError:
    """A database constraint on periods (migration 0002) refused the save: a parallel change that
    did not wait for the register's lock won. The checks, run again now that it is committed, give
    the message they would have given."""
    try:
        _validate(member)
    except ValidationError as exc:
        return exc
    return ValidationError(
        {"email": _("A member with this e-mail is already in this body for an overlapping period.")}
    )


def _lock_register(body_id: int) -> None:
    """Serialises changes to one body's register until the end of the transaction: the checks of
    overlapping periods and single-holder roles then see every change committed before. On
    PostgreSQL a row lock on the body (FOR NO KEY UPDATE: rows referring to the body may still be
    written); on SQLite every transaction begins IMMEDIATE (settings), which takes the database's
    write lock at once, so the same holds there."""
    Body.objects.select_for_update(no_key=True).filter(pk=body_id).values_list("pk", flat=True).first()


def invitation_link(user: User) -> str:
    key = default_token_generator.make_token(user)
    return reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})


def _invite(member: Member, user: User) -> None:
    if user.has_usable_password():
        template = "member_added"
        context = {"member": member, "body": member.body, "link": reverse("home")}
    else:
        template = "member_invitation"
        context = {"member": member, "body": member.body, "link": invitation_link(user)}
    queue_mail(to=user.email, template=template, context=context, language=member.language, body=member.body)


def add_member(*, body: Body, actor: User, **fields: Any) -> Member:
    """Effects, in order: validates the period, side, unit and role; finds or creates the user
    behind the e-mail; saves the member; records `member.added`; queues an invitation (a link to
    set a password for a new user, a notice for an existing one). Nothing is saved on any error."""
    member = Member(body=body, **{k: v for k, v in fields.items() if k in MEMBER_FIELDS})
    try:
        with transaction.atomic():
            _lock_register(body.pk)
            _validate(member)
            member.user = _link_user(member)
            member.save()
            record_event(
                member,
                "member.added",
                actor=actor,
                body=body,
                data={f: getattr(member, f) for f in MEMBER_FIELDS},
            )
            if member.user is not None:
                _invite(member, member.user)
    except IntegrityError:
        raise _lost_race(member) from None
    return member


def update_member(member: Member, *, actor: User, changes: dict[str, Any]) -> Member:
    """Effects: validates as `add_member`; relinks the user when the e-mail changed; saves;
    records `member.changed` with old and new values (the history of the register)."""
    unknown = set(changes) - set(MEMBER_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    before = {f: getattr(member, f) for f in MEMBER_FIELDS}
    for field, value in changes.items():
        setattr(member, field, value)
    try:
        with transaction.atomic():
            _lock_register(member.body_id)
            _validate(member, before=before)
            after = {f: getattr(member, f) for f in MEMBER_FIELDS}
            changed = diff(before, after)
            if not changed:
                return member
            if "email" in changed:
                member.user = _link_user(member)
            member.save()
            record_event(member, "member.changed", actor=actor, body=member.body, data=changed)
            if "email" in changed and member.user is not None:
                _invite(member, member.user)
    except ValidationError:
        member.refresh_from_db()
        raise
    except IntegrityError:
        error = _lost_race(member)
        member.refresh_from_db()
        raise error from None
    return member


def end_membership(member: Member, *, actor: User, on: date) -> Member:
    return update_member(member, actor=actor, changes={"active_to": on})
