"""The body, its policy, units and invited participants."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from alqa.domain.audit import diff, record_event
from alqa.domain.complaints import seed_subjects
from alqa.domain.errors import atomic_unique
from alqa.domain.members import leaders_on_wrong_side
from alqa.enums import Side
from alqa.models import Body, BodyPolicy, Guest, Unit, User

POLICY_FIELDS = (
    "meeting_interval_months",
    "quorum_rule",
    "protocol_signing_days",
    "distribution_days",
    "executor_information_days",
    "protocol_retention_years",
    "extension_limit",
    "reminder_before_days",
    "reminder_every_days",
    "chair_overdue_days",
    "leaders_sides_enforced",
    "allow_http_links",
    "case_guard_blocking",
)
UNIT_FIELDS = (
    "name_ru",
    "name_kk",
    "side",
    "kind",
    "parent",
    "is_operational_criminal_police",
    "head_name",
    "email",
    "phone",
    "address",
    "is_active",
)
GUEST_FIELDS = (
    "full_name",
    "kind",
    "organisation",
    "organisation_kk",
    "position",
    "position_kk",
    "email",
    "language",
)


def _full_clean(obj: Model, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)


def create_body(*, actor: User, name_ru: str, name_kk: str = "", city: str, short_name: str = "") -> Body:
    """Effects: creates the body and its policy with the regulation's defaults; records
    `body.created`; seeds the complaints classifier (`complaint_subjects.seeded`)."""
    with atomic_unique("name_ru", _("A body with this name already exists in this city.")):
        body = Body(
            name_ru=name_ru.strip(), name_kk=name_kk.strip(), city=city.strip(), short_name=short_name.strip()
        )
        if Body.objects.filter(name_ru=body.name_ru, city=body.city).exists():
            raise ValidationError({"name_ru": _("A body with this name already exists in this city.")})
        _full_clean(body)
        body.save()
        BodyPolicy.objects.create(body=body)
        record_event(
            body, "body.created", actor=actor, body=body, data={"name_ru": body.name_ru, "city": body.city}
        )
        seed_subjects(body=body, actor=actor)  # the complaints classifier (alqa/domain/complaints.py)
    return body


def update_policy(policy: BodyPolicy, *, actor: User, changes: dict[str, Any]) -> BodyPolicy:
    """Effects: validates and saves the changed numbers; records `policy.changed` with old and new
    values. Nothing is saved when any value is invalid."""
    before = {f: getattr(policy, f) for f in POLICY_FIELDS}
    unknown = set(changes) - set(POLICY_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    for field, value in changes.items():
        setattr(policy, field, value)
    try:
        _full_clean(policy, exclude=["body"])
        if policy.leaders_sides_enforced and not before["leaders_sides_enforced"]:
            _check_leaders_sides(policy.body)
    except ValidationError:
        policy.refresh_from_db()
        raise
    changed = diff(before, {f: getattr(policy, f) for f in POLICY_FIELDS})
    if changed:
        with transaction.atomic():
            policy.save()
            record_event(policy, "policy.changed", actor=actor, body=policy.body, data=changed)
    return policy


def _check_leaders_sides(body: Body) -> None:
    """The sides of clause 3.1 are enforced again only when no leader in office now or later is
    on the other side: the register would otherwise break the rule it is about to keep."""
    wrong = leaders_on_wrong_side(body)
    if wrong:
        raise ValidationError(
            {
                "leaders_sides_enforced": _(
                    "These leaders are on the other side than clause 3.1 provides: %(names)s. Change "
                    "their side or role first."
                )
                % {"names": ", ".join(f"{m.full_name} ({m.get_role_display()})" for m in wrong)}
            }
        )


def _check_unit(unit: Unit) -> None:
    errors: dict[str, str] = {}
    if unit.parent is not None:
        if unit.parent.body_id != unit.body_id:
            errors["parent"] = _("The parent unit belongs to another body.")
        elif unit.parent.side != unit.side:
            errors["parent"] = _("A unit and its parent must be on the same side.")
        elif unit.pk is not None and unit.parent_id == unit.pk:
            errors["parent"] = _("A unit cannot be its own parent.")
    if unit.is_operational_criminal_police and unit.side != Side.POLICE:
        errors["is_operational_criminal_police"] = _("Only a police unit can be an operational unit.")
    if Unit.objects.filter(body_id=unit.body_id, name_ru=unit.name_ru).exclude(pk=unit.pk).exists():
        errors["name_ru"] = _("This body already has a unit with this name.")
    if errors:
        raise ValidationError(errors)


def create_unit(*, body: Body, actor: User, **fields: Any) -> Unit:
    """Effects: creates the unit; records `unit.created`."""
    unit = Unit(body=body, **{k: v for k, v in fields.items() if k in UNIT_FIELDS})
    _check_unit(unit)
    _full_clean(unit)
    with atomic_unique("name_ru", _("This body already has a unit with this name.")):
        unit.save()
        record_event(
            unit, "unit.created", actor=actor, body=body, data={f: getattr(unit, f) for f in UNIT_FIELDS}
        )
    return unit


def update_unit(unit: Unit, *, actor: User, changes: dict[str, Any]) -> Unit:
    before = {f: getattr(unit, f) for f in UNIT_FIELDS}
    for field, value in changes.items():
        if field in UNIT_FIELDS:
            setattr(unit, field, value)
    try:
        _check_unit(unit)
        _full_clean(unit)
    except ValidationError:
        unit.refresh_from_db()
        raise
    changed = diff(before, {f: getattr(unit, f) for f in UNIT_FIELDS})
    if changed:
        with atomic_unique("name_ru", _("This body already has a unit with this name.")):
            unit.save()
            record_event(unit, "unit.changed", actor=actor, body=unit.body, data=changed)
    return unit


def add_guest(*, body: Body, actor: User, **fields: Any) -> Guest:
    """Effects: creates the invited participant; records `guest.added`."""
    guest = Guest(body=body, **{k: v for k, v in fields.items() if k in GUEST_FIELDS})
    if guest.email:
        guest.email = guest.email.strip().lower()
    _full_clean(guest)
    with transaction.atomic():
        guest.save()
        record_event(
            guest, "guest.added", actor=actor, body=body, data={f: getattr(guest, f) for f in GUEST_FIELDS}
        )
    return guest
