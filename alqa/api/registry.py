"""Bodies, policy, units and members through the API."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import StrictBool

from alqa import permissions
from alqa.api import gates
from alqa.api.common import Gated, named
from alqa.api.schemas import Count, Day, Email, Id, In, NotNull, OptionalDay, PathId, limited, limits, unset
from alqa.domain.bodies import create_body, create_unit, update_policy
from alqa.domain.members import add_member, update_member
from alqa.enums import AppointmentBasis, Language, QuorumRule, Role, Side, UnitKind
from alqa.models import Body, BodyPolicy, Member, Unit, User

router = Router(tags=["register"])


class BodyIn(In):
    name_ru: str = limited(Body, "name_ru", min_length=1)
    name_kk: str = limited(Body, "name_kk", default="")
    city: str = limited(Body, "city", min_length=1)
    short_name: str = limited(Body, "short_name", default="")


class BodyOut(Schema):
    id: int
    name_ru: str
    name_kk: str
    city: str
    short_name: str


class PolicyOut(Schema):
    meeting_interval_months: int
    quorum_rule: QuorumRule
    protocol_signing_days: int
    distribution_days: int
    executor_information_days: int
    protocol_retention_years: int
    extension_limit: int
    reminder_before_days: int
    reminder_every_days: int
    chair_overdue_days: int
    leaders_sides_enforced: bool
    allow_http_links: bool
    case_guard_blocking: bool


class PolicyPatch(In):
    """Only the fields sent change; none can be emptied (null is refused)."""

    meeting_interval_months: NotNull[int] = unset(**limits(BodyPolicy, "meeting_interval_months"))
    quorum_rule: NotNull[QuorumRule] = unset()
    protocol_signing_days: NotNull[int] = unset(**limits(BodyPolicy, "protocol_signing_days"))
    distribution_days: NotNull[int] = unset(**limits(BodyPolicy, "distribution_days"))
    executor_information_days: NotNull[int] = unset(**limits(BodyPolicy, "executor_information_days"))
    protocol_retention_years: NotNull[int] = unset(**limits(BodyPolicy, "protocol_retention_years"))
    extension_limit: NotNull[Count] = unset(**limits(BodyPolicy, "extension_limit"))  # 0 allowed
    reminder_before_days: NotNull[int] = unset(**limits(BodyPolicy, "reminder_before_days"))
    reminder_every_days: NotNull[int] = unset(**limits(BodyPolicy, "reminder_every_days"))
    chair_overdue_days: NotNull[int] = unset(**limits(BodyPolicy, "chair_overdue_days"))
    leaders_sides_enforced: NotNull[StrictBool] = unset(
        description="clause 3.1: chair of the police side, deputy chair of the bar side"
    )
    allow_http_links: NotNull[StrictBool] = unset(description="accept http:// conference links")
    case_guard_blocking: NotNull[StrictBool] = unset(
        description="clause 1.2: refuse ЕРДР numbers and ИИН outright, with no confirmation"
    )


class UnitIn(In):
    name_ru: str = limited(Unit, "name_ru", min_length=1)
    name_kk: str = limited(Unit, "name_kk", default="")
    side: Side
    kind: UnitKind = UnitKind.STRUCTURAL
    parent_id: Id | None = None
    is_operational_criminal_police: StrictBool = False
    head_name: str = limited(Unit, "head_name", default="")
    email: Email | None = None
    phone: str = limited(Unit, "phone", default="")
    address: str = limited(Unit, "address", default="")


class UnitOut(Schema):
    id: int
    name_ru: str
    name_kk: str
    side: str
    kind: str
    parent_id: int | None
    is_operational_criminal_police: bool
    head_name: str
    email: str
    phone: str
    address: str
    is_active: bool


class MemberIn(In):
    full_name: str = limited(Member, "full_name", min_length=1)
    email: Email | None = None
    side: Side
    role: Role = Role.MEMBER
    active_from: Day
    active_to: OptionalDay = None
    unit_id: Id | None = None
    position: str = limited(Member, "position", default="")
    position_kk: str = limited(Member, "position_kk", default="")
    phone: str = limited(Member, "phone", default="")
    language: Language = Language.RU
    basis_kind: AppointmentBasis | None = None
    basis_number: str = limited(Member, "basis_number", default="")
    basis_date: OptionalDay = None


class MemberPatch(In):
    """Only the fields sent change. The name, side, role, start and language cannot be emptied
    (null is refused); the others are cleared with null."""

    full_name: NotNull[str] = unset(min_length=1, **limits(Member, "full_name"))
    email: Email | None = None
    side: NotNull[Side] = unset()
    role: NotNull[Role] = unset()
    active_from: NotNull[Day] = unset()
    active_to: OptionalDay = None
    unit_id: Id | None = None
    position: str | None = limited(Member, "position", default=None)
    position_kk: str | None = limited(Member, "position_kk", default=None)
    phone: str | None = limited(Member, "phone", default=None)
    language: NotNull[Language] = unset()
    basis_kind: AppointmentBasis | None = None
    basis_number: str | None = limited(Member, "basis_number", default=None)
    basis_date: OptionalDay = None


class MemberOut(Schema):
    id: int
    body_id: int
    user_id: int | None
    full_name: str
    email: str
    phone: str
    side: str
    role: str
    unit_id: int | None
    position: str
    position_kk: str
    basis_kind: str
    basis_number: str
    basis_date: date | None
    active_from: date
    active_to: date | None
    language: str


@router.get("/bodies", response=list[BodyOut])
def list_bodies(request: Gated[User]) -> list[Body]:
    """The bodies the caller belongs to (all of them for installation administrators)."""
    return permissions.listed_bodies_for_user(request.user)


@router.post("/bodies", response={201: BodyOut}, auth=gates.BODY_CREATOR)
def post_body(request: Gated[User], payload: BodyIn) -> Status[Body]:
    return Status(201, create_body(actor=request.user, **payload.dict()))


@router.get("/bodies/{body_id}", response=BodyOut, auth=gates.BODY_READER)
def get_body(request: Gated[Body], body_id: PathId) -> Body:
    return request.auth


@router.get("/bodies/{body_id}/policy", response=PolicyOut, auth=gates.POLICY_READER)
def get_policy(request: Gated[BodyPolicy], body_id: PathId) -> BodyPolicy:
    return request.auth


@router.patch("/bodies/{body_id}/policy", response=PolicyOut, auth=gates.POLICY_KEEPER)
def patch_policy(request: Gated[BodyPolicy], body_id: PathId, payload: PolicyPatch) -> BodyPolicy:
    policy = request.auth
    changes = {
        k: (v.value if hasattr(v, "value") else v) for k, v in payload.dict(exclude_unset=True).items()
    }
    return update_policy(policy, actor=request.user, changes=changes)


@router.get("/bodies/{body_id}/units", response=list[UnitOut], auth=gates.BODY_READER)
def list_units(request: Gated[Body], body_id: PathId) -> list[Unit]:
    return list(permissions.units_of(request.auth))


def _unit_in_body(body: Body, unit_id: int | None, field: str) -> Unit | None:
    return named(
        Unit.objects.filter(body=body), unit_id, field=field, message=_("There is no such unit in this body.")
    )


@router.post("/bodies/{body_id}/units", response={201: UnitOut}, auth=gates.BODY_MANAGER)
def post_unit(request: Gated[Body], body_id: PathId, payload: UnitIn) -> Status[Unit]:
    body = request.auth
    data = payload.dict()
    data["parent"] = _unit_in_body(body, data.pop("parent_id"), "parent_id")
    data["email"] = data["email"] or ""
    return Status(201, create_unit(body=body, actor=request.user, **data))


@router.get("/bodies/{body_id}/members", response=list[MemberOut], auth=gates.BODY_READER)
def list_members(
    request: Gated[Body],
    body_id: PathId,
    on: OptionalDay = None,
    side: Side | None = None,
    role: Role | None = None,
) -> list[Member]:
    """Members on a date (today by default): the register answers who was a member when."""
    qs = Member.objects.filter(body=request.auth).on(on or timezone.localdate())
    if side is not None:
        qs = qs.filter(side=side)
    if role is not None:
        qs = qs.filter(role=role)
    return list(qs.order_by("side", "full_name"))


def _member_fields(body: Body, data: dict[str, Any]) -> dict[str, Any]:
    if "unit_id" in data:
        data["unit"] = _unit_in_body(body, data.pop("unit_id"), "unit_id")
    # Text columns store "" for "none"; a null sent for them means "clear it", not NULL.
    for key in ("email", "basis_kind", "position", "position_kk", "phone", "basis_number"):
        if key in data and data[key] is None:
            data[key] = ""
    return {k: (v.value if hasattr(v, "value") else v) for k, v in data.items()}


@router.post("/bodies/{body_id}/members", response={201: MemberOut}, auth=gates.BODY_MANAGER)
def post_member(request: Gated[Body], body_id: PathId, payload: MemberIn) -> Status[Member]:
    body = request.auth
    return Status(201, add_member(body=body, actor=request.user, **_member_fields(body, payload.dict())))


@router.get("/members/{member_id}", response=MemberOut, auth=gates.MEMBER_READER)
def get_member(request: Gated[Member], member_id: PathId) -> Member:
    return request.auth


@router.patch("/members/{member_id}", response=MemberOut, auth=gates.MEMBER_MANAGER)
def patch_member(request: Gated[Member], member_id: PathId, payload: MemberPatch) -> Member:
    member = request.auth
    changes = _member_fields(member.body, payload.dict(exclude_unset=True))
    return update_member(member, actor=request.user, changes=changes)
