"""The audit trail: append-only, every row chained to the previous row's digest."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from alqa import request_memo
from alqa.models import AuditEvent, AuditHead, Body, User

GENESIS = "0" * 64


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def _digest(
    *,
    prev: str,
    at: datetime,
    actor_id: int | None,
    body_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    data: dict[str, Any],
) -> str:
    payload = json.dumps(
        {
            "prev": prev,
            "at": at.isoformat(),
            "actor": actor_id,
            "body": body_id,
            "action": action,
            "type": object_type,
            "id": object_id,
            "data": data,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record_event(
    obj: models.Model | None,
    action: str,
    *,
    actor: User | None,
    body: Body | None,
    data: dict[str, Any] | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
) -> AuditEvent:
    """Append one event to the trail.

    Effects, in order: locks the chain head; computes the digest over this event and the previous
    digest; inserts the event; moves the head. Runs inside the caller's transaction, so the event
    lands if and only if the change it describes lands.
    """
    clean = _jsonable(data or {})
    with transaction.atomic():
        AuditHead.objects.get_or_create(pk=1, defaults={"last_digest": GENESIS})
        head = AuditHead.objects.select_for_update().get(pk=1)
        at = timezone.now()
        otype = object_type or (obj._meta.model_name if obj is not None else "")
        oid = object_id or (str(obj.pk) if obj is not None else "")
        actor_id = actor.pk if actor is not None and actor.is_authenticated else None
        digest = _digest(
            prev=head.last_digest,
            at=at,
            actor_id=actor_id,
            body_id=body.pk if body else None,
            action=action,
            object_type=otype,
            object_id=oid,
            data=clean,
        )
        event = AuditEvent.objects.create(
            body=body,
            actor_id=actor_id,
            actor_label=(actor.email if actor_id else ""),
            at=at,
            action=action,
            object_type=otype,
            object_id=oid,
            object_label=str(obj)[:300] if obj is not None else "",
            data=clean,
            prev_digest=head.last_digest,
            digest=digest,
        )
        head.last_digest = digest
        head.save(update_fields=["last_digest"])
    request_memo.forget()  # a permission answered earlier in this request may have changed
    return event


@dataclass(frozen=True)
class NewEvent:
    """One event for `record_events`: what `record_event` takes, with the object already named."""

    action: str
    object_type: str
    object_id: str
    object_label: str = ""
    body_id: int | None = None
    data: dict[str, Any] | None = None


def record_events(events: list[NewEvent], *, actor: User | None) -> None:
    """Append many events of one actor at once, for a change that writes many rows together
    (`bulk_update`): the same chain as `record_event`, with the head locked and moved once and the
    rows inserted in batches. Runs inside the caller's transaction."""
    if not events:
        return
    with transaction.atomic():
        AuditHead.objects.get_or_create(pk=1, defaults={"last_digest": GENESIS})
        head = AuditHead.objects.select_for_update().get(pk=1)
        at = timezone.now()
        actor_id = actor.pk if actor is not None and actor.is_authenticated else None
        prev = head.last_digest
        rows = []
        for e in events:
            clean = _jsonable(e.data or {})
            digest = _digest(
                prev=prev,
                at=at,
                actor_id=actor_id,
                body_id=e.body_id,
                action=e.action,
                object_type=e.object_type,
                object_id=e.object_id,
                data=clean,
            )
            rows.append(
                AuditEvent(
                    body_id=e.body_id,
                    actor_id=actor_id,
                    actor_label=(actor.email if actor_id else ""),
                    at=at,
                    action=e.action,
                    object_type=e.object_type,
                    object_id=e.object_id,
                    object_label=e.object_label[:300],
                    data=clean,
                    prev_digest=prev,
                    digest=digest,
                )
            )
            prev = digest
        AuditEvent.objects.bulk_create(rows, batch_size=1000)
        head.last_digest = prev
        head.save(update_fields=["last_digest"])
    request_memo.forget()


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    message: str


def verify_chain(*, batch: int = 2000) -> tuple[int, list[ChainProblem]]:
    """Recompute every digest in order. Returns the number of events checked and the problems:
    an edited row (digest mismatch), a deleted or reordered row (broken link), a truncated tail
    (head does not match the last row)."""
    problems: list[ChainProblem] = []
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for e in rows:
            checked += 1
            if e.prev_digest != prev:
                problems.append(ChainProblem(e.id, "link broken: a row before it was deleted or changed"))
            expected = _digest(
                prev=e.prev_digest,
                at=e.at,
                actor_id=e.actor_id,
                body_id=e.body_id,
                action=e.action,
                object_type=e.object_type,
                object_id=e.object_id,
                data=e.data,
            )
            if expected != e.digest:
                problems.append(ChainProblem(e.id, "content changed after it was recorded"))
            prev = e.digest
            last_id = e.id
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_digest != prev:
        problems.append(ChainProblem(None, "the newest rows were deleted: the chain head does not match"))
    if head is None and checked:
        problems.append(ChainProblem(None, "the chain head is missing"))
    return checked, problems


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields that changed, as {field: [old, new]}."""
    return {k: [_jsonable(before.get(k)), _jsonable(v)] for k, v in after.items() if before.get(k) != v}
