"""A request body the API cannot take is refused in JSON, in the caller's language, with nothing
stored: too large (over DATA_UPLOAD_MAX_MEMORY_SIZE) is a 413, not JSON at all a 400 — whether the
body goes through ninja's parser, the attendance list or a proposal's JSON or multipart form."""

from __future__ import annotations

import json

import pytest
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext

from alqa.models import AuditEvent, Body
from tests.api.conftest import API, Api, token_for
from tests.conftest import meeting_on

LIMIT = 10 * 1024
TOO_LARGE = "The request body is too large: send at most %(limit)s."
NOT_JSON = "The request body must be a JSON object."


def said(message: str, language: str, **params) -> str:
    with translation.override(language):
        return gettext(message) % {k: filesizeformat(v) for k, v in params.items()}


@pytest.fixture
def small_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT


@pytest.fixture
def targets(body, chair, secretary, member):
    meeting, _item = meeting_on(body, secretary, chair, days=7)
    return {
        "body": ("post", "/bodies", {"name_ru": "Группа", "city": "Алматы"}),
        "policy": ("patch", f"/bodies/{body.pk}/policy", {"meeting_interval_months": 3}),
        "meeting": ("patch", f"/meetings/{meeting.pk}", {"place": "Зал 5"}),
        "attendance": (
            "put",
            f"/meetings/{meeting.pk}/attendance",
            [{"member_id": chair.pk, "present": True}],
        ),
        "proposal": ("post", f"/bodies/{body.pk}/proposals", {"title_ru": "Тема", "memo_ru": "Справка"}),
    }


@pytest.fixture
def send(admin_user, member):
    """send(target, raw body, language): as a member for a proposal, as an administrator otherwise
    (the tokens are issued, and their audit events written, before the test counts)."""
    tokens = {"admin": token_for(admin_user), "member": token_for(member.user)}

    def send(target, raw, language):
        method, path, _good = target
        token = tokens["member" if path.endswith("/proposals") else "admin"]
        return getattr(Api(raise_exceptions=False).client, method)(
            API + path,
            data=raw,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_ACCEPT_LANGUAGE=language,
        )

    return send


def padded(good) -> str:
    """The operation's own valid body, padded with spaces past the limit."""
    return json.dumps(good) + " " * (LIMIT + 1)


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.parametrize("name", ["body", "policy", "meeting", "attendance", "proposal"])
def test_a_body_over_the_limit_is_a_json_413_in_the_callers_language(
    small_limit, settings, targets, send, name, language, debug
):
    settings.DEBUG = debug
    events = AuditEvent.objects.count()
    response = send(targets[name], padded(targets[name][2]), language)
    assert response.status_code == 413, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": said(TOO_LARGE, language, limit=LIMIT)}
    assert AuditEvent.objects.count() == events and Body.objects.count() == 1


@pytest.mark.parametrize("name", ["body", "policy", "meeting", "attendance", "proposal"])
def test_the_same_body_within_the_limit_is_taken(small_limit, targets, send, name):
    response = send(targets[name], json.dumps(targets[name][2]), "ru")
    assert response.status_code in (200, 201), response.content[:300]


def test_a_multipart_form_over_the_limit_is_a_json_413(small_limit, body, member):
    api = Api(token_for(member.user), raise_exceptions=False)
    response = api.client.post(
        f"{API}/bodies/{body.pk}/proposals",
        {"title_ru": "Тема", "memo_ru": "С" * (LIMIT + 1)},
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
        HTTP_ACCEPT_LANGUAGE="kk",
    )
    assert response.status_code == 413
    assert response.json() == {"detail": said(TOO_LARGE, "kk", limit=LIMIT)}


@pytest.mark.parametrize("raw", ['{"name_ru": "Группа', "{", '{"a": }', "\ufeff{", b"\xff\xfe{}"])
@pytest.mark.parametrize("name", ["body", "policy", "meeting", "attendance", "proposal"])
def test_malformed_json_is_a_json_400(settings, targets, send, name, raw):
    settings.DEBUG = True
    events = AuditEvent.objects.count()
    response = send(targets[name], raw, "kk")
    assert response.status_code == 400, response.content[:300]
    assert response.json() == {"detail": said(NOT_JSON, "kk")}
    assert AuditEvent.objects.count() == events
