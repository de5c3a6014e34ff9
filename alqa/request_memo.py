"""Answers remembered for the length of one request, and forgotten at any change.

Several permission checks on one page ask the same thing (which bodies is this reader a member
of, with which roles); the answer is read once and kept here until the request ends. Outside a
request (the worker, commands, tests calling functions directly) nothing is remembered. Any change
recorded in the audit trail (alqa.domain.audit.record_event) forgets everything, so a request that
changes memberships and then checks again sees the change.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_local = threading.local()


def remember(key: tuple, compute: Callable[[], T]) -> T:
    store = getattr(_local, "store", None)
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def forget() -> None:
    """Called by every audit event: empties the memo, and marks the request as one that changed
    something (`changed()`)."""
    store = getattr(_local, "store", None)
    if store is not None:
        store.clear()
        _local.changed = True


def changed() -> bool:
    """Whether this request has recorded a change (always False outside a request)."""
    return bool(getattr(_local, "changed", False))


class RequestMemoMiddleware:
    """Opens the memo when a request starts and drops it when the request ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _local.store, _local.changed = {}, False
        try:
            return self.get_response(request)
        finally:
            _local.store, _local.changed = None, False
