"""The audit chain's seal: the canonical form of an event and its keyed digest.

Pure functions over values (and the keys from the settings), so that the domain
(`alqa/domain/audit.py`) and the migration that sealed the rows written before the chain was keyed
compute exactly the same thing. docs/architecture.md, "Audit chain", describes the design.

- An event's digest is HMAC-SHA256, under the audit key (`ALQA_AUDIT_KEY`, kept outside the
  database), of the canonical JSON of **every column** of its row: id, body, actor, both labels,
  time, action, object, data, the previous row's digest and the id of the key.
- A key is named by its key id, the first 16 hex digits of SHA-256 of the key; the row stores
  the key id, never the key. Rotation is a new `ALQA_AUDIT_KEY` with the former key moved to
  `ALQA_AUDIT_OLD_KEYS`: new rows use the new key, old rows verify with theirs.
- The head row (`AuditHead`) carries its own keyed digest over the newest digest, the newest id and
  the number of events, so that a rewound head is seen without a copy of the key.
- Rows written before the key existed (key id "") keep the former unkeyed digest; one keyed row,
  `audit.sealed`, follows them and names their number, their last digest and a SHA-256 over all
  their columns.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings

GENESIS = "0" * 64
KEY_ID_LENGTH = 16
SEALED_ACTION = "audit.sealed"
# The columns of an event, every one of them covered by its digest ("digest" covers the rest).
EVENT_COLUMNS = (
    "id",
    "body_id",
    "actor_id",
    "actor_label",
    "at",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "data",
    "prev_digest",
    "key_id",
)


def key_id(key: str) -> str:
    """The public name of a key: the first hex digits of its SHA-256 (never the key itself)."""
    return hashlib.sha256(key.encode()).hexdigest()[:KEY_ID_LENGTH]


@lru_cache(maxsize=8)
def _keyring(current: str, old: tuple[str, ...]) -> dict[str, str]:
    ring = {key_id(k): k for k in old}
    ring[key_id(current)] = current
    return ring


def keyring() -> dict[str, str]:
    """Every key a row may be sealed with, by key id: the current one and the former ones."""
    return _keyring(settings.ALQA_AUDIT_KEY, tuple(settings.ALQA_AUDIT_OLD_KEYS))


def current_key() -> tuple[str, str]:
    """(key id, key) that seals new rows."""
    key = settings.ALQA_AUDIT_KEY
    return key_id(key), key


def canonical(payload: Mapping[str, Any]) -> bytes:
    """One byte string per value: keys sorted, no spaces, UTF-8."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _moment(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _mac(key: str, payload: Mapping[str, Any]) -> str:
    return hmac.new(key.encode(), canonical(payload), hashlib.sha256).hexdigest()


def event_payload(values: Mapping[str, Any]) -> dict[str, Any]:
    """Every column of an event (`EVENT_COLUMNS`), the time in UTC."""
    payload = {column: values[column] for column in EVENT_COLUMNS}
    payload["at"] = _moment(values["at"])
    return payload


def event_digest(values: Mapping[str, Any], key: str) -> str:
    """The keyed digest of an event's columns (`values` holds every name in EVENT_COLUMNS)."""
    return _mac(key, {"kind": "alqa.audit.event", "event": event_payload(values)})


def head_mac(*, last_digest: str, last_id: int, events: int, key: str) -> str:
    """The keyed digest of the head row: the newest digest, the newest id, the number of events."""
    return _mac(
        key, {"kind": "alqa.audit.head", "last_digest": last_digest, "last_id": last_id, "events": events}
    )


def matches(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())


def legacy_digest(values: Mapping[str, Any]) -> str:
    """The unkeyed digest of the rows written before the chain was keyed (it left out the labels,
    the id and the key): kept only to verify those rows, never to write one."""
    payload = {
        "prev": values["prev_digest"],
        "at": values["at"].isoformat(),
        "actor": values["actor_id"],
        "body": values["body_id"],
        "action": values["action"],
        "type": values["object_type"],
        "id": values["object_id"],
        "data": values["data"],
    }
    return hashlib.sha256(canonical(payload)).hexdigest()


class _Hasher(Protocol):
    def update(self, data: bytes, /) -> None: ...


def add_legacy_row(hasher: _Hasher, values: Mapping[str, Any]) -> None:
    """Feeds every column of a legacy row, its digest included, into the running SHA-256 that the
    `audit.sealed` row names: the former digest left the labels out, this covers them."""
    hasher.update(canonical(event_payload(values) | {"digest": values["digest"]}) + b"\n")


def row_values(row: Any) -> dict[str, Any]:
    """The columns of an event row (a model instance, current or historical), by name."""
    return {column: getattr(row, column) for column in (*EVENT_COLUMNS, "digest")}


def seal_legacy(event_model: Any, head_model: Any, *, now: datetime) -> bool:
    """Seals the rows written before the chain was keyed with one keyed `audit.sealed` row and
    seals the head. Returns whether a row was added (none when there were no unkeyed rows).
    Used by the migration that introduced the key, with its historical models.

    Effects: at most one event row; the head row rewritten (created when missing)."""
    hasher = hashlib.sha256()
    count = 0
    last_id, last = 0, GENESIS
    for row in event_model.objects.order_by("id").iterator(chunk_size=2000):
        if row.key_id:
            return False  # already keyed: nothing written before the key is left unsealed
        add_legacy_row(hasher, row_values(row))
        count += 1
        last_id, last = row.id, row.digest
    if not count and not head_model.objects.filter(pk=1).exists():
        return False  # a new installation: the first event creates the head
    kid, key = current_key()
    added = False
    if count:
        values = {
            "id": last_id + 1,
            "body_id": None,
            "actor_id": None,
            "actor_label": "",
            "at": now,
            "action": SEALED_ACTION,
            "object_type": "audit",
            "object_id": "",
            "object_label": "",
            "data": {"legacy_events": count, "legacy_head": last, "legacy_content": hasher.hexdigest()},
            "prev_digest": last,
            "key_id": kid,
        }
        digest = event_digest(values, key)
        event_model.objects.create(**values, digest=digest)
        last_id, last, count, added = last_id + 1, digest, count + 1, True
    head_model.objects.update_or_create(
        pk=1,
        defaults={
            "last_digest": last,
            "last_id": last_id,
            "events": count,
            "key_id": kid,
            "mac": head_mac(last_digest=last, last_id=last_id, events=count, key=key),
        },
    )
    return added
