"""API test helpers: a client that speaks JSON with a bearer token and a language."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from alqa.domain.tokens import issue_token
from alqa.enums import Role, Side
from alqa.models import User
from tests.conftest import make_member

API = "/api/v1"

# pydantic's kinds of refusal that mean "this value does not have the form the schema declares":
# a request schemathesis generated as valid must never get one of these (the schema would lie).
FORM_ERRORS = {
    "missing",
    "int_parsing",
    "int_type",
    "int_from_float",
    "string_type",
    "bool_parsing",
    "bool_type",
    "enum",
    "literal_error",
    "string_too_long",
    "string_too_short",
    "too_long",
    "not_null",
    "json_invalid",
    "dict_type",
    "list_type",
    "model_attributes_type",
}


class Api:
    """`Api(token).get("/bodies")` — the path is under /api/v1; `language` sets Accept-Language."""

    def __init__(self, token: str | None = None, *, language: str = "en", raise_exceptions: bool = True):
        self.token = token
        self.language = language
        self.client = Client(raise_request_exception=raise_exceptions)

    def _headers(self, language: str | None, authorization: str | None) -> dict:
        headers = {"HTTP_ACCEPT_LANGUAGE": language or self.language}
        if authorization is not None:
            headers["HTTP_AUTHORIZATION"] = authorization
        elif self.token is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        return headers

    def get(self, path: str, params: dict | None = None, *, language: str | None = None, authorization=None):
        return self.client.get(API + path, params or {}, **self._headers(language, authorization))

    def _send(self, method: str, path: str, data, language: str | None, authorization, raw: bool):
        body = data if raw else json.dumps(data)
        return getattr(self.client, method)(
            API + path, data=body, content_type="application/json", **self._headers(language, authorization)
        )

    def post(
        self, path: str, data=None, *, language: str | None = None, authorization=None, raw: bool = False
    ):
        return self._send("post", path, data if data is not None else {}, language, authorization, raw)

    def patch(
        self, path: str, data=None, *, language: str | None = None, authorization=None, raw: bool = False
    ):
        return self._send("patch", path, data if data is not None else {}, language, authorization, raw)


def token_for(user: User) -> str:
    return issue_token(user=user, name="tests", actor=user).secret


def translated(message: str, language: str, **params) -> str:
    """What our own gettext says in `language` (the catalogues fill in later: this holds either way)."""
    with translation.override(language):
        text = gettext(message)
    return text % params if params else text


def error_fields(response) -> dict[str, list[str]]:
    """{last part of loc: [messages]} of a 422 answer."""
    fields: dict[str, list[str]] = {}
    for error in response.json()["detail"]:
        assert error["msg"], error
        key = error["loc"][-1] if error["loc"] else ""
        fields.setdefault(str(key), []).append(error["msg"])
    return fields


@pytest.fixture
def as_user():
    """as_user(user) -> Api signed in with a fresh token of that user."""

    def factory(user: User, **kwargs) -> Api:
        return Api(token_for(user), **kwargs)

    return factory


@pytest.fixture
def anonymous():
    return Api()


@pytest.fixture
def admin_api(admin_user, as_user):
    return as_user(admin_user)


@pytest.fixture
def chair_api(chair, as_user):
    return as_user(chair.user)


@pytest.fixture
def secretary_api(secretary, as_user):
    return as_user(secretary.user)


@pytest.fixture
def member_api(member, as_user):
    return as_user(member.user)


@pytest.fixture
def outsider_api(outsider, as_user):
    return as_user(outsider.user)


@pytest.fixture
def deputy(body, admin_user):
    """The deputy chair, of the bar side (clause 3.1)."""
    return make_member(
        body, admin_user, email="deputy@alqa.test", role=Role.DEPUTY_CHAIR, side=Side.BAR, name="Ким Ольга"
    )


@pytest.fixture
def staff_user(db):
    return User.objects.create_user(email="staff@alqa.test", full_name="Calendar Clerk", is_staff=True)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Passwords are not what these tests are about; hashing them properly costs seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
