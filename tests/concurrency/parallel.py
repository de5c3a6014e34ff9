"""Real parallel requests: N threads, each with its own HTTP connection to the live test server,
released together by a barrier. The server (pytest-django's `live_server`, threaded) answers each
request in its own thread with its own database connection, closed when the request ends — as
gunicorn's workers do. Used with `transactional_db` (which `live_server` implies): what a request
writes must be committed for the others to see it.

    answers = run_parallel(live_server, [api_post(token, "/calendar/exceptions", payload)] * 20)
"""

from __future__ import annotations

import http.client
import json
import secrets
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.db import connections
from django.test import Client

from tests import audit_guard

N = 20
TIMEOUT = 120  # seconds; a shared two-core machine may be slow, a deadlock is not


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: list[tuple[str, str]]

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def location(self) -> str:
        return next((v for k, v in self.headers if k.lower() == "location"), "")

    def messages(self) -> list[str]:
        """The messages the next page will show (Django's cookie message storage)."""
        from django.contrib.messages.storage.cookie import CookieStorage
        from django.http import HttpRequest

        cookie = SimpleCookie()
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                cookie.load(value)
        if "messages" not in cookie or not cookie["messages"].value:
            return []
        decoded = CookieStorage(HttpRequest())._decode(cookie["messages"].value) or []
        return [str(m.message) for m in decoded]


def api_post(token: str, path: str, payload: dict, *, language: str = "en") -> Call:
    """A JSON POST to /api/v1`path` with a bearer token."""
    return Call(
        "POST",
        "/api/v1" + path,
        json.dumps(payload, default=str).encode(),
        {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept-Language": language,
        },
    )


def page_post(session: str, path: str, data: dict, *, language: str = "en") -> Call:
    """A form POST as a signed-in browser sends it: session cookie, CSRF cookie and the same token
    in the form (Django's double-submit check runs as for any browser)."""
    csrf = secrets.token_hex(16)  # 32 characters, the form of Django's CSRF secret
    return Call(
        "POST",
        path,
        urlencode({**data, "csrfmiddlewaretoken": csrf}, doseq=True).encode(),
        {
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept-Language": language,
        },
    )


def session_of(user, language: str = "en") -> str:
    """A signed-in session of `user` (as after the sign-in page), for page_post; the user reads
    pages in `language` (a signed-in user's own language wins over the browser's)."""
    with audit_guard.paused():  # arranging the reader, as a fixture would
        user.language = language
        user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def run_parallel(live_server, calls: list[Call]) -> list[Answer]:
    """Sends every call at once and returns the answers in the order of `calls`. Each thread
    connects first (so that the server's listen queue is not what orders them), then all wait at
    a barrier and send together."""
    parts = urlsplit(live_server.url)
    barrier = threading.Barrier(len(calls))

    def send(call: Call) -> Answer:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
        try:
            connection.connect()
            barrier.wait(TIMEOUT)
            connection.request(call.method, call.path, body=call.body, headers=call.headers)
            response = connection.getresponse()
            return Answer(response.status, response.read(), response.getheaders())
        finally:
            connection.close()

    return in_threads([lambda call=call: send(call) for call in calls])


def in_threads(functions: list[Callable[[], Any]]) -> list[Any]:
    """Runs each function in its own thread, all at once; returns their results in order and
    raises the first exception any of them raised. Each thread closes the database connections it
    opened."""
    results: list[Any] = [None] * len(functions)
    errors: list[BaseException] = []

    def run(index: int, function: Callable[[], Any]) -> None:
        try:
            results[index] = function()
        except BaseException as exc:  # handed to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f), daemon=True) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError("a parallel call did not finish: a deadlock or a lost wake-up")
    if errors:
        raise errors[0]
    return results


def statuses(answers: list[Answer]) -> Counter:
    return Counter(a.status for a in answers)
