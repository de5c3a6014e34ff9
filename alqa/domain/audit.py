"""The audit trail: append-only, every row chained to the previous row's digest and sealed with a
key kept outside the database (alqa/seal.py; docs/architecture.md, "Audit chain")."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from alqa import request_memo, seal
from alqa.domain.outbox import queue_mail
from alqa.models import AuditEvent, AuditHead, Body, User
from alqa.seal import GENESIS

log = logging.getLogger(__name__)


class AuditChainBroken(Exception):
    """The head does not name the newest row, or its seal does not hold: rows were deleted or the
    head was edited outside Alqa. Nothing more is appended until an administrator has looked
    (`manage.py verify_audit`, docs/operations.md)."""


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


def _head_problem(head: AuditHead, *, last_id: int, last_digest: str) -> str | None:
    """Why the head cannot be trusted, given the newest row; None when it can."""
    if head.last_digest != last_digest or head.last_id != last_id:
        return "the chain head does not name the newest row: rows were deleted or added outside Alqa"
    key = seal.keyring().get(head.key_id)
    if key is None:
        return (
            f"the chain head is sealed with an unknown key (key id {head.key_id or 'none'}): "
            "list the former key in ALQA_AUDIT_OLD_KEYS"
        )
    expected = seal.head_mac(last_digest=head.last_digest, last_id=head.last_id, events=head.events, key=key)
    if not seal.matches(expected, head.mac):
        return "the chain head's seal does not hold: the head was edited outside Alqa"
    return None


def hold_head() -> None:
    """Takes the audit chain's head lock now, for the rest of the caller's transaction (the event
    the caller records later would take it anyway). A reader that must see every change committed
    before its own — the working-day calendar a stored deadline is counted on — takes it first:
    the change it must not miss holds the same lock until it commits."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("hold_head() holds the lock until the transaction ends: call it inside one.")
    _locked_head()


def _locked_head() -> AuditHead:
    """Locks the head (created by the first event) and checks it against the newest row."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        kid, key = seal.current_key()
        AuditHead.objects.get_or_create(
            pk=1,
            defaults={
                "last_digest": GENESIS,
                "last_id": 0,
                "events": 0,
                "key_id": kid,
                "mac": seal.head_mac(last_digest=GENESIS, last_id=0, events=0, key=key),
            },
        )
        head = AuditHead.objects.select_for_update().get(pk=1)
    last_id, last_digest = AuditEvent.objects.order_by("-id").values_list("id", "digest").first() or (
        0,
        GENESIS,
    )
    problem = _head_problem(head, last_id=last_id, last_digest=last_digest)
    if problem is not None:
        log.error("audit trail refused a new event: %s", problem)
        raise AuditChainBroken(problem)
    return head


def _move_head(head: AuditHead, *, last_id: int, last_digest: str, added: int) -> None:
    kid, key = seal.current_key()
    head.last_id, head.last_digest, head.events, head.key_id = last_id, last_digest, head.events + added, kid
    head.mac = seal.head_mac(last_digest=last_digest, last_id=last_id, events=head.events, key=key)
    head.save(update_fields=["last_id", "last_digest", "events", "key_id", "mac"])


def _new_row(values: dict[str, Any], key: str) -> AuditEvent:
    return AuditEvent(**values, digest=seal.event_digest(values, key))


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

    Effects, in order: locks the chain head and checks that it names the newest row (else
    `AuditChainBroken`: nothing is appended to a cut chain); seals the event (every column, the
    previous digest included, under the audit key); inserts it with the next id; moves and seals
    the head. Runs inside the caller's transaction, so the event lands if and only if the change
    it describes lands.
    """
    clean = _jsonable(data or {})
    with transaction.atomic():
        head = _locked_head()
        kid, key = seal.current_key()
        actor_id = actor.pk if actor is not None and actor.is_authenticated else None
        values = {
            "id": head.last_id + 1,
            "body_id": body.pk if body else None,
            "actor_id": actor_id,
            "actor_label": actor.email if actor is not None and actor_id else "",
            "at": timezone.now(),
            "action": action,
            "object_type": str(object_type or (obj._meta.model_name if obj is not None else "")),
            "object_id": str(object_id or (obj.pk if obj is not None else "")),
            "object_label": str(obj)[:300] if obj is not None else "",
            "data": clean,
            "prev_digest": head.last_digest,
            "key_id": kid,
        }
        event = _new_row(values, key)
        event.save(force_insert=True)
        _move_head(head, last_id=event.id, last_digest=event.digest, added=1)
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
    (`bulk_update`): the same chain as `record_event`, with the head locked, checked and moved
    once and the rows inserted in batches. Runs inside the caller's transaction."""
    if not events:
        return
    with transaction.atomic():
        head = _locked_head()
        kid, key = seal.current_key()
        at = timezone.now()
        actor_id = actor.pk if actor is not None and actor.is_authenticated else None
        prev, next_id = head.last_digest, head.last_id + 1
        rows = []
        for e in events:
            row = _new_row(
                {
                    "id": next_id,
                    "body_id": e.body_id,
                    "actor_id": actor_id,
                    "actor_label": actor.email if actor is not None and actor_id else "",
                    "at": at,
                    "action": e.action,
                    "object_type": str(e.object_type),
                    "object_id": str(e.object_id),
                    "object_label": e.object_label[:300],
                    "data": _jsonable(e.data or {}),
                    "prev_digest": prev,
                    "key_id": kid,
                },
                key,
            )
            rows.append(row)
            prev, next_id = row.digest, next_id + 1
        AuditEvent.objects.bulk_create(rows, batch_size=1000)
        _move_head(head, last_id=next_id - 1, last_digest=prev, added=len(rows))
    request_memo.forget()


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    message: str


class _LegacyPart:
    """The rows written before the chain was keyed, as they are read: their number, last digest
    and the running SHA-256 of all their columns, which the `audit.sealed` row must name."""

    def __init__(self) -> None:
        self.count = 0
        self.last = GENESIS
        self.content = hashlib.sha256()

    def matches(self, data: Any) -> bool:
        return isinstance(data, dict) and data == {
            "legacy_events": self.count,
            "legacy_head": self.last,
            "legacy_content": self.content.hexdigest(),
        }


def _check_row(e: AuditEvent, *, prev: str, legacy: _LegacyPart, keyed: bool) -> list[str]:
    """What is wrong with one row, read after the row whose digest is `prev`."""
    wrong = []
    if e.prev_digest != prev:
        wrong.append("link broken: a row before it was deleted, inserted or changed")
    values = seal.row_values(e)
    if not e.key_id:
        if keyed:
            wrong.append("a row without the audit key after keyed rows: it was forged")
        elif seal.legacy_digest(values) != e.digest:
            wrong.append("content changed after it was recorded")
        legacy.count += 1
        legacy.last = e.digest
        seal.add_legacy_row(legacy.content, values)
        return wrong
    key = seal.keyring().get(e.key_id)
    if key is None:
        wrong.append(
            f"sealed with an unknown key (key id {e.key_id}): list the former key in ALQA_AUDIT_OLD_KEYS"
        )
    elif not seal.matches(seal.event_digest(values, key), e.digest):
        wrong.append("content changed after it was recorded (or it was sealed without the audit key)")
    if not keyed and legacy.count and not (e.action == seal.SEALED_ACTION and legacy.matches(e.data)):
        wrong.append("the rows before the audit key are not those its audit.sealed row covered")
    return wrong


def verify_chain(*, expect_head: str | None = None, batch: int = 2000) -> tuple[int, list[ChainProblem]]:
    """Recompute every digest in order, with the audit keys. Returns the number of events checked
    and the problems: an edited row or a row sealed without the key (digest mismatch), a deleted,
    inserted or reordered row (broken link), a head that does not name the newest row or whose
    seal does not hold (a cut tail), and, given `expect_head` (a head exported earlier), that
    digest missing from the chain (a chain cut and its head moved back)."""
    problems: list[ChainProblem] = []
    prev = GENESIS
    checked = 0
    last_id = 0
    keyed = False
    legacy = _LegacyPart()
    seen_expected = expect_head is None or expect_head == GENESIS
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for e in rows:
            checked += 1
            problems.extend(
                ChainProblem(e.id, m) for m in _check_row(e, prev=prev, legacy=legacy, keyed=keyed)
            )
            keyed = keyed or bool(e.key_id)
            seen_expected = seen_expected or e.digest == expect_head
            prev = e.digest
            last_id = e.id
    if legacy.count and not keyed:
        problems.append(
            ChainProblem(None, "rows without the audit key are not sealed: run manage.py migrate")
        )
    head = AuditHead.objects.filter(pk=1).first()
    if head is None and checked:
        problems.append(ChainProblem(None, "the chain head is missing"))
    if head is not None:
        problem = _head_problem(head, last_id=last_id, last_digest=prev)
        if problem is None and head.events != checked:
            problem = f"the chain head counts {head.events} event(s), the trail holds {checked}"
        if problem is not None:
            problems.append(ChainProblem(None, problem))
    if not seen_expected:
        problems.append(
            ChainProblem(
                None,
                f"the exported head {expect_head} is not in the chain: the chain was cut or rewound after it was exported",
            )
        )
    return checked, problems


@dataclass(frozen=True)
class ChainHead:
    """The newest digest, to export and compare later (`verify_audit --expect-head`)."""

    digest: str
    events: int
    last_at: datetime | None


def chain_head() -> ChainHead:
    """The chain's head as the head row states it (verify_chain checks it against the rows)."""
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return ChainHead(GENESIS, 0, None)
    last_at = AuditEvent.objects.filter(pk=head.last_id).values_list("at", flat=True).first()
    return ChainHead(head.last_digest, head.events, last_at)


def mail_chain_head() -> int:
    """Mail the chain's head (digest, number of events, time of the newest event, whether the chain
    verifies) to the installation's administrators (active superusers with an e-mail), each in
    their language, so that a chain later cut and rewound is noticed against a copy kept outside
    the server. Returns the number of mails.

    Effects: verifies the whole chain (read only); then, in one transaction, one outbox row per
    administrator and one `audit.head_mailed` event naming the digest mailed."""
    checked, problems = verify_chain()
    head = chain_head()
    admins = list(User.objects.filter(is_superuser=True, is_active=True).exclude(email="").order_by("id"))
    if not admins:
        return 0
    context = {
        "digest": head.digest,
        "events": head.events,
        "last_at": head.last_at,
        "checked": checked,
        "problems": [f"{p.event_id or '-'}: {p.message}" for p in problems],
        "now": timezone.now(),
    }
    with transaction.atomic():
        for admin in admins:
            queue_mail(to=admin.email, template="audit_head", context=context, language=admin.language)
        record_event(
            None,
            "audit.head_mailed",
            actor=None,
            body=None,
            object_type="audit",
            object_id="",
            data={
                "digest": head.digest,
                "events": head.events,
                "intact": not problems,
                "recipients": len(admins),
            },
        )
    return len(admins)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields that changed, as {field: [old, new]}."""
    return {k: [_jsonable(before.get(k)), _jsonable(v)] for k, v in after.items() if before.get(k) != v}
