"""Rendered page parts kept in the cache until anything in the installation changes.

Every change in Alqa is written to the audit trail in the same transaction as the change itself
(alqa/domain/audit.py, and the admin's save and delete), and every event moves the chain's head
digest (AuditHead.last_digest). A fragment's cache key contains that digest, so a fragment is
served only while nothing at all has changed since it was rendered. There is no list of
invalidations to keep in step with the models: a new kind of change is covered by being audited,
which it must be anyway. Writes are rare next to reads (a few an hour in a monitoring group), so
invalidating everything on any write costs little.

Also in the key: the template, the language, today's date in Almaty (for anything counted from
today), and what the caller names: the object and the kind of reader (who sees which buttons).

A fragment is rendered without the request: nothing about the reader can slip into a part that
other readers of the same kind will be served, except what the caller passes and names in the key.
Forms in it carry a placeholder that is replaced by the reader's own CSRF token on every request.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from alqa import request_memo
from alqa.models import AuditHead

T = TypeVar("T")


@functools.cache
def csrf_placeholder() -> str:
    """What stands for the reader's CSRF token in a stored fragment. Every occurrence in the
    fragment is replaced, so it must be a string no member can type into a text of the page (a
    conference link holding it would hand each reader's token to that link): it is derived from
    the installation's SECRET_KEY, the same in every worker and unknown to users."""
    return (
        "alqa-csrf-" + salted_hmac("alqa.fragments.csrf", "placeholder", algorithm="sha256").hexdigest()[:32]
    )


TIMEOUT_SECONDS = 3600


def audit_head() -> str:
    """The digest of the newest audit event: it changes with every change in the installation.
    Read once a request (alqa.request_memo, which a new audit event empties). One row by its key:
    written in SQL, which costs a tenth of the ORM's compiling here."""
    return request_memo.remember(("audit head",), _read_audit_head)


def _read_audit_head() -> str:
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_digest FROM {table} WHERE id = %s", [1])  # noqa: S608 (a model's table)
        row = cursor.fetchone()
    return row[0] if row else ""


def fragment_key(template_name: str, parts: tuple, *, watch_changes: bool = True) -> str:
    raw = json.dumps(
        [
            template_name,
            get_language(),
            timezone.localdate().isoformat(),
            audit_head() if watch_changes else "",
            *parts,
        ],
        default=str,
    )
    return "alqa:fragment:" + hashlib.sha256(raw.encode()).hexdigest()


def remember_until_change(parts: tuple, compute: Callable[[], T]) -> T:
    """compute(), kept in the cache under `parts` until anything in the installation changes
    (for a read-only page's lookups; what is about to be changed is read afresh)."""
    key = fragment_key("value", parts)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, TIMEOUT_SECONDS)
    return value


_MISSING = object()


def cached_fragment(
    request, template_name: str, context, *, parts: tuple, watch_changes: bool = True, store: bool = True
) -> SafeString:
    """`template_name` rendered with `context` (a dict, or a callable that builds it, so that a
    cache hit skips building it), from the cache when nothing has changed since it was stored.

    `parts` must name everything the context depends on besides the installation's data, the
    language and today's date: the object shown and the kind of reader. A fragment whose every
    input is in `parts` passes watch_changes=False and is kept regardless of changes elsewhere
    (no query at all). With store=False the part is rendered afresh (for readers whose parts
    should not fill the cache: anyone can make up addresses). Without a request (a page rendered
    outside one) nothing is cached and forms get no token, as Django's own tag does."""
    if request is None or not store:
        data = context() if callable(context) else context
        token = {"csrf_token": _token(request)} if request is not None else {}
        return mark_safe(render_to_string(template_name, {**data, **token}))
    key = fragment_key(template_name, parts, watch_changes=watch_changes)
    html = cache.get(key)
    if html is None:
        data = context() if callable(context) else context
        html = render_to_string(template_name, {**data, "csrf_token": csrf_placeholder()})
        cache.set(key, html, TIMEOUT_SECONDS)
    placeholder = csrf_placeholder()
    if placeholder in html:
        html = html.replace(placeholder, _token(request))
    return mark_safe(html)


def _token(request) -> str:
    """The reader's CSRF token, masked once for all the fragments of one page."""
    token = getattr(request, "_alqa_csrf_token", None)
    if token is None:
        token = request._alqa_csrf_token = get_token(request)
    return token
