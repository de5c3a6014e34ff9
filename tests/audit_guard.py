"""The write guard: a test fails when a model is written outside an audited transaction.

Alqa's rule is that every change records an audit event in the same transaction (the page cache
rests on it: alqa/fragments.py). While a test's body runs (pytest's call phase; fixtures' set-up
and tear-down are exempt), the guard watches every write and groups the writes by transaction:
the outermost `transaction.atomic()` block the test's code opened (the test case's own wrapping
transaction does not count), or, for a write made outside any block (autocommit), the write
alone. A transaction that commits with a write and no `AuditEvent` fails the test. A block that
is rolled back (an exception, or a lost race) wrote nothing and is not counted.

What it sees:
- `post_save`, `post_delete` and `m2m_changed` of every model (so `save()`, `create()`,
  `get_or_create()`, `delete()` of an instance, and cascades with signals);
- `QuerySet.update` and `QuerySet.bulk_create` that touch at least one row (they send no
  signal; `bulk_update` is seen as the updates it makes, and `QuerySet.delete` sends `post_delete`
  for every row: the guard's receiver keeps Django from deleting without fetching the rows);
- `alqa.models.bulk.insert_rows` (its `rows_inserted` signal);
- in every thread and on every connection: the live server's requests are checked too.
What it does not see: SQL written by hand (`cursor.execute`), and writes in another process
(the huey worker of tests/test_worker_redis.py).

An event is recognised by an `AuditEvent` row being inserted (`record_event` creates it,
`record_events` bulk-creates them): the guard needs no hook inside alqa.domain.audit.

A test whose body arranges data directly carries `@pytest.mark.unaudited_writes`.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from alqa.models.bulk import rows_inserted

# Writes that are bookkeeping, not the installation's data, and so are never audited. Each entry
# is a model label, with the fields whose change alone is exempt (None: any write of the model).
EXEMPT: dict[str, frozenset[str] | None] = {
    # the audit trail itself
    "alqa.auditevent": None,
    "alqa.audithead": None,
    # Django's sessions (signing in and out, the idle timeout)
    "sessions.session": None,
    # allauth's own records: e-mail addresses it keeps beside the user, TOTP authenticators and
    # recovery codes (their use counters), login codes
    "account.emailaddress": None,
    "account.emailconfirmation": None,
    "mfa.authenticator": None,
    # the outbox's delivery state, written by the drain (alqa.domain.outbox.deliver): the message
    # itself is created in the audited transaction of the change that sends it
    "alqa.outboxmessage": frozenset(
        {"status", "claimed_at", "attempts", "sent_at", "last_error", "next_attempt_at"}
    ),
    # a user's sign-in time (django.contrib.auth's update_last_login), the password's hash
    # upgraded at sign-in when the hasher's parameters change (check_password's setter: the same
    # password, stored anew) and the interface language the user chose in the header: the
    # account's own settings, not the register's. A password *set* through allauth's pages (reset,
    # change) is audited: alqa/auth_adapter.py.
    "alqa.user": frozenset({"last_login", "password", "language"}),
    # when an API token was last used: written on every call
    "alqa.apitoken": frozenset({"last_used_at"}),
    # the admin site's own log of its actions (the change itself is audited by alqa/admin.py)
    "admin.logentry": None,
    # an import's progress, written by the worker as it reads the file (alqa.domain.complaint_import):
    # the rows themselves are written with one audit event for the whole file
    # a protocol document's preparation by the worker (alqa.domain.protocols.run_rendering): the
    # request for it is audited, its progress and the bytes it produces are not
    "alqa.protocolrendering": frozenset({"status", "progress", "data", "error", "finished_at"}),
    "alqa.complaintimport": frozenset({"rows_total", "rows_done", "heartbeat_at", "status", "file"}),
    # Django's content types and permissions, created by migrations
    "contenttypes.contenttype": None,
    "auth.permission": None,
}
_AUDIT_LABEL = "alqa.auditevent"


def _exempt(model: type[Model], fields: Iterable[str] | None) -> bool:
    label = model._meta.label_lower
    if label not in EXEMPT:
        return False
    allowed = EXEMPT[label]
    if allowed is None:
        return True
    return fields is not None and set(fields) <= allowed


@dataclass
class _Transaction:
    token: int
    writes: list[str] = field(default_factory=list)
    audited: bool = False


@dataclass
class _Guard:
    active: bool = False
    main_connection: object | None = None
    main_baseline: int = 0
    violations: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


_guard = _Guard()
_tokens = itertools.count(1)
_installed = False


def _baseline(connection) -> int:
    """The depth of atomic blocks that are the test's wrapping, not the code's."""
    if connection is _guard.main_connection:
        return _guard.main_baseline
    return 0


def _open(connection) -> _Transaction | None:
    """The transaction of the code that is writing now on `connection`, None outside a block."""
    depth = len(connection.atomic_blocks)
    if depth <= _baseline(connection):
        return None
    return getattr(connection, "_alqa_guard_transaction", None)


def _note(model: type[Model], what: str, fields: Iterable[str] | None = None, using: str = "default") -> None:
    if not _guard.active:
        return
    connection = connections[using]
    if model._meta.label_lower == _AUDIT_LABEL:
        current = _open(connection)
        if current is not None:
            current.audited = True
        return
    if _exempt(model, fields):
        return
    description = f"{what} {model._meta.label}" + (f" ({', '.join(sorted(fields))})" if fields else "")
    current = _open(connection)
    if current is None:
        _fail(f"{description}, outside any transaction, with no audit event")
    else:
        current.writes.append(description)


def _fail(message: str) -> None:
    with _guard.lock:
        _guard.violations.append(message)


# --- atomic blocks: which transaction a write belongs to ----------------------------------------

_original_enter = transaction.Atomic.__enter__
_original_exit = transaction.Atomic.__exit__


def _enter(self):
    _original_enter(self)
    connection = transaction.get_connection(self.using)
    if _guard.active and len(connection.atomic_blocks) == _baseline(connection) + 1:
        connection._alqa_guard_transaction = _Transaction(token=next(_tokens))


def _exit(self, exc_type, exc_value, traceback):
    connection = transaction.get_connection(self.using)
    outermost = len(connection.atomic_blocks) == _baseline(connection) + 1
    current = getattr(connection, "_alqa_guard_transaction", None) if outermost else None
    rolled_back = exc_type is not None or connection.needs_rollback
    try:
        return _original_exit(self, exc_type, exc_value, traceback)
    finally:
        if current is not None:
            connection._alqa_guard_transaction = None
            if _guard.active and not rolled_back and current.writes and not current.audited:
                _fail("; ".join(current.writes) + ", in a transaction that recorded no audit event")


# --- signals and the queryset methods that send none --------------------------------------------


def _on_save(sender, instance, created, raw, using, update_fields, **kwargs):
    if raw:  # fixtures loaded by loaddata
        return
    _note(sender, "created" if created else "saved", None if created else update_fields, using)


def _on_delete(sender, instance, using, **kwargs):
    _note(sender, "deleted", None, using)


def _on_m2m(sender, instance, action, model, using, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _note(type(instance), f"{action[5:]} to the relation of", None, using)


def _on_rows_inserted(sender, using, rows, **kwargs):
    if rows:
        _note(sender, "insert_rows into", None, using)


_original_update = QuerySet.update
_original_bulk_create = QuerySet.bulk_create


def _update(self, **kwargs):
    rows = _original_update(self, **kwargs)
    if rows:
        _note(self.model, "QuerySet.update of", kwargs.keys(), self.db)
    return rows


def _bulk_create(self, objs, *args, **kwargs):
    created = _original_bulk_create(self, objs, *args, **kwargs)
    if created:
        _note(self.model, "QuerySet.bulk_create of", None, self.db)
    return created


_update.alters_data = True  # type: ignore[attr-defined]
_bulk_create.alters_data = True  # type: ignore[attr-defined]


def install() -> None:
    """Hooks the guard in (once a process); it watches nothing until `watching()`."""
    global _installed
    if _installed:
        return
    _installed = True
    transaction.Atomic.__enter__ = _enter  # type: ignore[method-assign]
    transaction.Atomic.__exit__ = _exit  # type: ignore[method-assign]
    QuerySet.update = _update  # type: ignore[method-assign]
    QuerySet.bulk_create = _bulk_create  # type: ignore[method-assign]
    post_save.connect(_on_save, weak=False, dispatch_uid="alqa.audit_guard.save")
    post_delete.connect(_on_delete, weak=False, dispatch_uid="alqa.audit_guard.delete")
    m2m_changed.connect(_on_m2m, weak=False, dispatch_uid="alqa.audit_guard.m2m")
    rows_inserted.connect(_on_rows_inserted, weak=False, dispatch_uid="alqa.audit_guard.rows_inserted")


class watching:
    """Watches the writes made inside the `with` block; `violations` lists what was unaudited."""

    def __enter__(self) -> watching:
        install()
        connection = connections["default"]
        _guard.main_connection = connection
        _guard.main_baseline = len(connection.atomic_blocks) if connection.in_atomic_block else 0
        _guard.violations = []
        _guard.active = True
        return self

    def __exit__(self, *exc) -> None:
        _guard.active = False
        _guard.main_connection = None

    @property
    def violations(self) -> list[str]:
        return list(_guard.violations)


class paused:
    """Writes inside this block are not watched: for test helpers that arrange data the way a
    fixture would (`tests.conftest.login` setting the reader's language)."""

    def __enter__(self) -> None:
        self._was = _guard.active
        _guard.active = False

    def __exit__(self, *exc) -> None:
        _guard.active = self._was
