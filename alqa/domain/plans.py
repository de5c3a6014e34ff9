"""Work plans of a body (clauses 2.1.1, 2.1.2, 2.2.10).

A plan is quarterly or annual, one per body and period. The secretary drafts it (items with the
activity, the responsible executors on either side, the deadline and the expected result); the
chair approves it. After approval every change is an amendment with a reason, kept and shown.
A plan item's executors are `Assignment` rows, controlled like a decision's. Items not done are
copied forward into the next period's plan.
"""

from __future__ import annotations

import calendar as std_calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa.domain.audit import record_event
from alqa.domain.case_guard import audit_data, check_texts
from alqa.domain.errors import atomic_unique
from alqa.enums import PlanItemStatus, PlanPeriod, PlanStatus, Role
from alqa.models import Assignment, Body, Member, PlanAmendment, PlanItem, Unit, User, WorkPlan

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class PlanExecutor:
    """A responsible executor of a plan item: a member, a unit, or a named official."""

    member_id: int | None = None
    unit_id: int | None = None
    name: str = ""


def period_bounds(period: str, year: int, quarter: int) -> tuple[date, date]:
    """The first and the last day of a plan's period."""
    if period == PlanPeriod.YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return date(year, first_month, 1), date(year, last_month, std_calendar.monthrange(year, last_month)[1])


def next_period(plan: WorkPlan) -> tuple[int, int]:
    """(year, quarter) of the period after the plan's."""
    if plan.period == PlanPeriod.YEAR:
        return plan.year + 1, 0
    if plan.quarter == 4:
        return plan.year + 1, 1
    return plan.year, plan.quarter + 1


def lock_plan(plan: WorkPlan) -> None:
    """Row lock on the plan until the end of the transaction, then its state as committed."""
    WorkPlan.objects.select_for_update(no_key=True).filter(pk=plan.pk).values_list("pk", flat=True).first()
    plan.refresh_from_db()


def create_plan(*, body: Body, actor: User, period: str, year: int, quarter: int = 0) -> WorkPlan:
    """Effects: checks the period (a quarter 1–4 for a quarterly plan, none for an annual one);
    creates the draft; records `plan.created`. A second plan for the same period is refused
    (also when two requests race: the unique key)."""
    errors: dict[str, str] = {}
    if period not in PlanPeriod.values:
        errors["period"] = _("Choose a quarterly or an annual plan.")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = _("Enter a year from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    if period == PlanPeriod.QUARTER and quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("Choose the quarter, 1 to 4.")
    if period == PlanPeriod.YEAR:
        quarter = 0
    if errors:
        raise ValidationError(errors)
    exists = _("A plan for this period already exists.")
    with atomic_unique("year", exists):
        if WorkPlan.objects.filter(body=body, period=period, year=year, quarter=quarter).exists():
            raise ValidationError({"year": exists})
        plan = WorkPlan.objects.create(body=body, period=period, year=year, quarter=quarter, created_by=actor)
        record_event(
            plan,
            "plan.created",
            actor=actor,
            body=body,
            data={"period": period, "year": year, "quarter": quarter},
        )
    return plan


def _executors(body: Body, executors: Sequence[PlanExecutor], errors: dict[str, str]) -> list[Assignment]:
    rows: list[Assignment] = []
    for index, ex in enumerate(executors):
        key = f"executors.{index}"
        member = unit = None
        if ex.member_id is not None:
            member = Member.objects.filter(pk=ex.member_id, body=body).first()
            if member is None:
                errors[key] = _("The executor is not a member of this body.")
                continue
        if ex.unit_id is not None:
            unit = Unit.objects.filter(pk=ex.unit_id, body=body).first()
            if unit is None:
                errors[key] = _("The unit does not belong to this body.")
                continue
        name = (ex.name or "").strip()
        if member is None and unit is None and not name:
            errors[key] = _("Name the executor: a member, a unit or an official.")
            continue
        rows.append(Assignment(executor_member=member, executor_unit=unit, executor_name=name[:300]))
    if not rows and "executors" not in errors and not any(k.startswith("executors.") for k in errors):
        errors["executors"] = _("Name at least one responsible executor.")
    return rows


def _amendment_reason(plan: WorkPlan, reason: str) -> str:
    reason = (reason or "").strip()
    if plan.status == PlanStatus.APPROVED and not reason:
        raise ValidationError(
            {"reason": _("The plan is approved: give the reason for the amendment.")}, code="reason_required"
        )
    return reason


def add_plan_item(
    plan: WorkPlan,
    *,
    actor: User,
    activity_ru: str = "",
    activity_kk: str = "",
    expected_ru: str = "",
    expected_kk: str = "",
    due_date: date | None = None,
    executors: Sequence[PlanExecutor] = (),
    reason: str = "",
    identifiers_confirmed: bool = False,
    carried_from: PlanItem | None = None,
) -> PlanItem:
    """Effects: checks the activity (Russian and/or Kazakh; the case guard), the deadline (within
    the plan's period) and at least one responsible executor; adds the item with the next number
    and its executors as assignments due on the deadline; records `plan.item_added`. On an
    approved plan it is an amendment: the reason is required and kept (`PlanAmendment`)."""
    texts = {
        "activity_ru": (activity_ru or "").strip(),
        "activity_kk": (activity_kk or "").strip(),
        "expected_ru": (expected_ru or "").strip(),
        "expected_kk": (expected_kk or "").strip(),
    }
    errors: dict[str, str] = {}
    if not texts["activity_ru"] and not texts["activity_kk"]:
        errors["activity_ru"] = _("Describe the activity in Russian or Kazakh.")
    first, last = period_bounds(plan.period, plan.year, plan.quarter)
    if due_date is None:
        errors["due_date"] = _("Give the deadline.")
    elif not first <= due_date <= last:
        errors["due_date"] = _("The deadline must fall within the plan's period, %(first)s to %(last)s.") % {
            "first": first.strftime("%d.%m.%Y"),
            "last": last.strftime("%d.%m.%Y"),
        }
    rows = _executors(plan.body, executors, errors)
    if errors:
        raise ValidationError(errors)
    assert due_date is not None
    confirmed = check_texts(
        texts | {f"executors.{i}": (ex.name or "") for i, ex in enumerate(executors)},
        confirmed=identifiers_confirmed,
        body=plan.body,
    )
    with transaction.atomic():
        lock_plan(plan)
        reason = _amendment_reason(plan, reason)
        number = (plan.items.aggregate(m=Max("number"))["m"] or 0) + 1
        item = PlanItem.objects.create(
            plan=plan, number=number, due_date=due_date, carried_from=carried_from, **texts
        )
        for row in rows:
            row.plan_item, row.body_id = item, plan.body_id
            row.due_date = due_date
        Assignment.objects.bulk_create(rows)
        data: dict[str, Any] = {
            "plan": plan.pk,
            "number": number,
            "due_date": due_date,
            "executors": [r.executor_label for r in rows],
        } | texts
        if reason:
            PlanAmendment.objects.create(
                plan=plan,
                item=item,
                reason=reason,
                changes={"added": data | {"due_date": due_date.isoformat()}},
                made_by=actor,
            )
            data["reason"] = reason
        record_event(item, "plan.item_added", actor=actor, body=plan.body, data=data | audit_data(confirmed))
    return item


ITEM_FIELDS = ("activity_ru", "activity_kk", "expected_ru", "expected_kk", "due_date")


def change_plan_item(
    item: PlanItem, *, actor: User, reason: str = "", identifiers_confirmed: bool = False, **fields: Any
) -> PlanItem:
    """Effects: changes the item's activity, expected result or deadline (same checks as adding
    it); on an approved plan keeps the change as an amendment with its reason, before and after;
    records `plan.item_changed`. Nothing changed is refused with a message."""
    plan = item.plan
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {sorted(unknown)}")
    new = {f: (fields[f].strip() if isinstance(fields[f], str) else fields[f]) for f in fields}
    merged = {f: new.get(f, getattr(item, f)) for f in ITEM_FIELDS}
    errors: dict[str, str] = {}
    if not merged["activity_ru"] and not merged["activity_kk"]:
        errors["activity_ru"] = _("Describe the activity in Russian or Kazakh.")
    first, last = period_bounds(plan.period, plan.year, plan.quarter)
    if merged["due_date"] is None or not first <= merged["due_date"] <= last:
        errors["due_date"] = _("The deadline must fall within the plan's period, %(first)s to %(last)s.") % {
            "first": first.strftime("%d.%m.%Y"),
            "last": last.strftime("%d.%m.%Y"),
        }
    if errors:
        raise ValidationError(errors)
    changed = {
        f: {"before": getattr(item, f), "after": merged[f]}
        for f in ITEM_FIELDS
        if getattr(item, f) != merged[f]
    }
    if not changed:
        raise ValidationError(_("Nothing has changed."))
    confirmed = check_texts(
        {f: merged[f] for f in ITEM_FIELDS if f != "due_date"},
        confirmed=identifiers_confirmed,
        body=plan.body,
    )
    with transaction.atomic():
        lock_plan(plan)
        reason = _amendment_reason(plan, reason)
        for f, v in merged.items():
            setattr(item, f, v)
        item.save(update_fields=list(changed))
        if "due_date" in changed:
            item.assignments.update(due_date=merged["due_date"])
        if reason:
            PlanAmendment.objects.create(
                plan=plan, item=item, reason=reason, changes=_jsonable(changed), made_by=actor
            )
        record_event(
            item,
            "plan.item_changed",
            actor=actor,
            body=plan.body,
            data={"plan": plan.pk, "number": item.number, "changes": _jsonable(changed), "reason": reason}
            | audit_data(confirmed),
        )
    return item


def _jsonable(changes: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        f: {k: (v.isoformat() if isinstance(v, date) else v) for k, v in pair.items()}
        for f, pair in changes.items()
    }


def approve_plan(plan: WorkPlan, *, actor: User, approver: Member, now: datetime | None = None) -> WorkPlan:
    """Only the chair approves (clause 2.1.1). Effects: stamps the approval with the chair and the
    moment; records `plan.approved` with the items. An empty plan, or one already approved (a
    second click, a parallel request), is refused with a message."""
    with transaction.atomic():
        lock_plan(plan)
        if approver.body_id != plan.body_id or approver.role != Role.CHAIR:
            raise ValidationError(_("Only the chair approves the plan."))
        if plan.status == PlanStatus.APPROVED:
            raise ValidationError(_("The plan is already approved."))
        items = list(plan.items.all())
        if not items:
            raise ValidationError(_("The plan is empty: add at least one item."))
        plan.status = PlanStatus.APPROVED
        plan.approved_by = approver
        plan.approved_at = now or timezone.now()
        plan.save(update_fields=["status", "approved_by", "approved_at"])
        record_event(
            plan,
            "plan.approved",
            actor=actor,
            body=plan.body,
            data={
                "items": [
                    {"number": i.number, "activity_ru": i.activity_ru, "activity_kk": i.activity_kk}
                    for i in items
                ]
            },
        )
    return plan


def record_plan_result(
    item: PlanItem,
    *,
    actor: User,
    status: str,
    done_on: date | None = None,
    result_ru: str = "",
    result_kk: str = "",
    identifiers_confirmed: bool = False,
) -> PlanItem:
    """The secretary records an item's result: done (on a day, not after today) or not done, with
    the result in words. Effects: saves it; records `plan_item.result_recorded`. A result heard at
    a meeting is recorded by its decision (`domain.hearing`)."""
    result_ru, result_kk = (result_ru or "").strip(), (result_kk or "").strip()
    errors: dict[str, str] = {}
    if status not in (PlanItemStatus.DONE, PlanItemStatus.NOT_DONE):
        errors["status"] = _("Choose done or not done.")
    if status == PlanItemStatus.DONE:
        if done_on is None:
            errors["done_on"] = _("Give the day it was done.")
        elif done_on > timezone.localdate():
            errors["done_on"] = _("The day it was done cannot be in the future.")
    if not result_ru and not result_kk:
        errors["result_ru"] = _("Describe the result in Russian or Kazakh.")
    if item.plan.status != PlanStatus.APPROVED:
        errors["status"] = _("Results are recorded on an approved plan.")
    if errors:
        raise ValidationError(errors)
    confirmed = check_texts(
        {"result_ru": result_ru, "result_kk": result_kk}, confirmed=identifiers_confirmed, body=item.plan.body
    )
    with transaction.atomic():
        lock_plan(item.plan)
        item.status = status
        item.done_on = done_on if status == PlanItemStatus.DONE else None
        item.result_ru, item.result_kk = result_ru, result_kk
        item.save(update_fields=["status", "done_on", "result_ru", "result_kk"])
        record_event(
            item,
            "plan_item.result_recorded",
            actor=actor,
            body=item.plan.body,
            data={
                "plan": item.plan_id,
                "status": status,
                "done_on": item.done_on,
                "result_ru": result_ru,
                "result_kk": result_kk,
            }
            | audit_data(confirmed),
        )
    return item


def copy_forward(plan: WorkPlan, *, actor: User) -> WorkPlan:
    """Effects: creates the draft plan of the next period (quarter or year) with every item of
    this one not done, its executors included, each linked to the item it continues (a deadline
    before the new period moves to the new period's last day); marks the old items still planned
    as carried over; records `plan.copied_forward`. Refused when the next period has a plan."""
    year, quarter = next_period(plan)
    first, last = period_bounds(plan.period, year, quarter)
    exists = _("A plan for the next period already exists.")
    with atomic_unique("year", exists):
        lock_plan(plan)
        if WorkPlan.objects.filter(body=plan.body, period=plan.period, year=year, quarter=quarter).exists():
            raise ValidationError({"year": exists})
        new = WorkPlan.objects.create(
            body=plan.body, period=plan.period, year=year, quarter=quarter, created_by=actor, copied_from=plan
        )
        carried = list(
            plan.items.exclude(status=PlanItemStatus.DONE).prefetch_related("assignments").order_by("number")
        )
        copies: list[tuple[PlanItem, PlanItem]] = []
        for number, old in enumerate(carried, start=1):
            due = old.due_date if first <= old.due_date <= last else last
            copy = PlanItem.objects.create(
                plan=new,
                number=number,
                activity_ru=old.activity_ru,
                activity_kk=old.activity_kk,
                expected_ru=old.expected_ru,
                expected_kk=old.expected_kk,
                due_date=due,
                carried_from=old,
            )
            copies.append((old, copy))
        Assignment.objects.bulk_create(
            Assignment(
                plan_item=copy,
                body_id=plan.body_id,
                executor_member_id=a.executor_member_id,
                executor_unit_id=a.executor_unit_id,
                executor_name=a.executor_name,
                due_date=copy.due_date,
            )
            for old, copy in copies
            for a in old.assignments.all()
        )
        plan.items.filter(pk__in=[o.pk for o, _c in copies], status=PlanItemStatus.PLANNED).update(
            status=PlanItemStatus.CARRIED
        )
        record_event(
            new,
            "plan.copied_forward",
            actor=actor,
            body=plan.body,
            data={"from": plan.pk, "year": year, "quarter": quarter, "items": [o.number for o, _c in copies]},
        )
    return new
