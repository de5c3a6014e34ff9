"""Rendered page parts kept in the cache until anything in the installation changes.

Every change in Alqa is written to the audit trail in the same transaction as the change itself
(alqa/domain/audit.py, and the admin's save and delete), and every event moves the chain's head
digest (AuditHead.last_digest). A fragment's cache key contains that digest, so a fragment is
served only while nothing at all has changed since it was rendered. There is no list of
invalidations to keep in step with the models: a new kind of change is covered by being audited,
which it must be anyway (tests/audit_guard.py fails a test whose writes are not). Writes are rare
next to reads (a few an hour in a monitoring group), so invalidating everything on any write costs
little.

Also in the key: the release (`release()`: a new version of the code never serves a part, or a
pickled object, that the old one stored), the template, the language, today's date in Almaty (for
anything counted from today), and what the caller names: the object and the kind of reader (who
sees which buttons).

The head is read first: `AuditHeadMiddleware` reads it when a signed-in reader's request starts,
before the view reads any data, and the request keeps it (alqa.request_memo); a value kept by
`remember_until_change` reads the head before computing it. Whatever a part shows was read
after that, so it is at least as new as the head it is stored under; a part is never stored under
a head newer than its data. A request that records a change itself stores nothing more (what it
read before its change may be older than the new head).

What a fragment may use: only the context its caller passes. It is rendered without the request,
so no context processor runs (no `request`, `user`, `perms`, `messages`, `LANGUAGE_CODE`,
`LANGUAGES`, nor alqa's own), and a template that asks for one of those names fails loudly
(`FragmentContextError`) instead of rendering it empty: the caller passes what the part needs and
names in `parts` whatever of the reader it depends on. Forms in it carry a placeholder that is
replaced by the reader's own CSRF token on every request.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import django
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template
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


@functools.cache
def release() -> str:
    """What the running code is, in every cache key: `ALQA_RELEASE` when the operator sets it,
    else a digest of the package's files (code, templates, catalogues, static files), the locked
    dependencies (`uv.lock`), Django's and Python's versions. Any upgrade changes it without
    anyone doing anything, so parts and pickled objects stored by the old code are never served
    by the new one. Computed once a process (about 50 ms, on the first cached part)."""
    if settings.ALQA_RELEASE:
        return str(settings.ALQA_RELEASE)
    digest = hashlib.sha256(f"{django.get_version()} {sys.version}".encode())
    package = Path(__file__).resolve().parent
    files = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    lock = package.parent / "uv.lock"
    for path in sorted(files) + ([lock] if lock.is_file() else []):
        digest.update(str(path.relative_to(package.parent)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class FragmentContextError(RuntimeError):
    """A fragment's template asked for something only a request's context has."""


class _RequestOnly:
    """Stands for a context processor's name in a fragment's context: any use of it fails."""

    def __init__(self, name: str) -> None:
        self._name = name

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise FragmentContextError(
            f"A cached fragment is rendered without the request: `{self._name}` is not available. "
            "Pass what the part needs in its context, and name what it depends on in `parts`."
        )

    __getattr__ = __getitem__ = __str__ = __bool__ = __iter__ = __len__ = __contains__ = _refuse
    __html__ = __eq__ = __hash__ = _refuse


# The names the context processors of settings.TEMPLATES give a page (Django's request, i18n,
# auth, messages; alqa.context_processors.alqa): none of them exists in a fragment.
REQUEST_ONLY_NAMES = (
    "request",
    "user",
    "perms",
    "messages",
    "DEFAULT_MESSAGE_LEVELS",
    "LANGUAGES",
    "LANGUAGE_CODE",
    "LANGUAGE_BIDI",
    "is_installation_admin",
    "can_edit_calendar",
    "demo_mode",
    "csp_nonce",
)


def fragment_context(data: dict[str, Any]) -> Context:
    """The context a fragment is rendered with: `data`, and nothing of the request. A name a
    context processor would give fails when the template uses it, unless `data` passes it."""
    refused: dict[str, Any] = {name: _RequestOnly(name) for name in REQUEST_ONLY_NAMES}
    return Context({**refused, **data})


def render_fragment(template_name: str, data: dict[str, Any]) -> str:
    """`template_name` rendered with `fragment_context(data)`: no request, no context processor."""
    template = get_template(template_name)
    context = fragment_context(data)
    context.autoescape = template.backend.engine.autoescape  # type: ignore[attr-defined]
    return str(template.template.render(context))  # type: ignore[attr-defined]


def audit_head() -> str:
    """The digest of the newest audit event: it changes with every change in the installation.
    In a request, the one `AuditHeadMiddleware` read when the request started (kept in
    alqa.request_memo); outside one, read now. One row by its key: written in SQL, which costs a
    tenth of the ORM's compiling here."""
    return request_memo.remember(("audit head",), _read_audit_head)


def storing() -> bool:
    """Whether what this request reads may be stored under its head: not once the request has
    recorded a change itself (what it read before the change may be older than the new head)."""
    return not request_memo.changed()


class AuditHeadMiddleware:
    """Reads the audit head when a signed-in reader's request starts, before the view reads any
    data, so that every part it stores is stored under a head no newer than its data (see the
    module). Only the session and the user are read before it; neither is stored in a part (what
    a part shows of the reader is in its key). A request without a signed-in reader (the public
    working-day API, the sign-in page, a bearer-token API call) stores no page part, and its
    cached values (`remember_until_change`) read the head before computing, so it pays no query
    here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            audit_head()
        return self.get_response(request)


def _read_audit_head() -> str:
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_digest FROM {table} WHERE id = %s", [1])  # noqa: S608 (a model's table)
        row = cursor.fetchone()
    return row[0] if row else ""


def fragment_key(
    template_name: str, parts: tuple, *, watch_changes: bool = True, per_language: bool = True
) -> str:
    raw = json.dumps(
        [
            release(),
            template_name,
            get_language() if per_language else "",
            timezone.localdate().isoformat(),
            audit_head() if watch_changes else "",
            *parts,
        ],
        default=str,
    )
    return "alqa:fragment:" + hashlib.sha256(raw.encode()).hexdigest()


def remember_until_change(parts: tuple, compute: Callable[[], T], *, per_language: bool = True) -> T:
    """compute(), kept in the cache under `parts` until anything in the installation changes
    (for a read-only page's lookups; what is about to be changed is read afresh). A value that
    reads nothing translated passes per_language=False and is kept once for every language."""
    if not storing():
        return compute()
    key = fragment_key("value", parts, per_language=per_language)
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
    if request is None or not store or (watch_changes and not storing()):
        data = context() if callable(context) else context
        token = {"csrf_token": _token(request)} if request is not None else {}
        return mark_safe(render_fragment(template_name, {**data, **token}))
    key = fragment_key(template_name, parts, watch_changes=watch_changes)
    html = cache.get(key)
    if html is None:
        data = context() if callable(context) else context
        html = render_fragment(template_name, {**data, "csrf_token": csrf_placeholder()})
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
