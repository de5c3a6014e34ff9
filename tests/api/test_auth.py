"""Token authentication, the create_api_token command, the schema and the docs page."""

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from alqa.domain.tokens import revoke_token
from alqa.models import ApiToken, AuditEvent
from tests.api.conftest import Api, token_for, translated

TOKEN_REQUIRED = "A valid API token is required: send the header Authorization: Bearer <token>."


def test_a_valid_token_answers_as_its_user_and_is_stamped(chair, member, other_body):
    secret = token_for(chair.user)
    token = ApiToken.objects.get(user=chair.user)
    assert token.last_used_at is None
    assert secret not in (token.digest, token.prefix), "the secret itself is never stored"

    response = Api(secret).get("/bodies")

    assert response.status_code == 200
    assert [(b["id"], b["name_ru"], b["city"]) for b in response.json()] == [
        (chair.body.id, "Группа Алматы", "Алматы")
    ]
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert abs(timezone.now() - token.last_used_at) < timedelta(minutes=1)


def test_last_used_is_written_at_most_every_five_minutes(chair):
    secret = token_for(chair.user)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        Api(secret).get("/bodies")
        first = ApiToken.objects.get(user=chair.user).last_used_at
        traveller.shift(timedelta(minutes=2))
        Api(secret).get("/bodies")
        assert ApiToken.objects.get(user=chair.user).last_used_at == first
        traveller.shift(timedelta(minutes=4))
        Api(secret).get("/bodies")
        assert ApiToken.objects.get(user=chair.user).last_used_at == first + timedelta(minutes=6)


def test_the_scheme_word_is_case_insensitive(chair):
    secret = token_for(chair.user)
    response = Api().get("/bodies", authorization=f"bearer {secret}")
    assert response.status_code == 200
    assert [b["id"] for b in response.json()] == [chair.body.id]


@pytest.mark.parametrize(
    "authorization",
    [
        None,  # no header at all
        "",
        "Bearer",
        "Bearer ",
        "Bearer    ",
        "Token alqa_abc",
        "Basic cm9vdEBhbHFhLnRlc3Q6cGFzc3dvcmQ=",
        "Bearer not-a-token",
        "Bearer alqa_",
        "Bearer alqa_" + "x" * 43,  # well formed, never issued
        "Bearer alqa_" + "x" * 5000,  # absurdly long
        "Bearer alqa_ä€漢字",
        "Bearer alqa_abc\tdef",
        "Bearer ' OR 1=1 --",
    ],
)
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_a_missing_or_bad_token_is_refused_with_a_readable_message(admin_user, authorization, language):
    token_for(admin_user)  # a real token exists, the presented one is not it
    api = Api(language=language)
    if authorization is None:
        response = api.get("/bodies")
    else:
        response = api.get("/bodies", authorization=authorization)

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": translated(TOKEN_REQUIRED, language)}


def test_a_token_with_extra_characters_is_refused(chair):
    secret = token_for(chair.user)
    assert Api().get("/bodies", authorization=f"Bearer {secret}x").status_code == 401
    assert Api().get("/bodies", authorization=f"Bearer {secret[:-1]}").status_code == 401


def test_a_refused_write_changes_nothing(body, chair):
    before = (chair.body.members.count(), AuditEvent.objects.count())
    response = Api().post(
        f"/bodies/{body.id}/members",
        {"full_name": "Новый Член", "side": "bar", "active_from": "2025-02-01"},
        authorization="Bearer alqa_wrong",
    )
    assert response.status_code == 401
    assert (chair.body.members.count(), AuditEvent.objects.count()) == before


def test_a_revoked_token_is_refused(chair):
    secret = token_for(chair.user)
    assert Api(secret).get("/bodies").status_code == 200
    token = ApiToken.objects.get(user=chair.user)

    revoke_token(token, actor=chair.user)

    response = Api(secret, language="kk").get("/bodies")
    assert response.status_code == 401
    assert response.json() == {"detail": translated(TOKEN_REQUIRED, "kk")}
    event = AuditEvent.objects.filter(action="api_token.revoked").get()
    assert event.actor == chair.user and event.object_id == str(token.pk)


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_the_token_of_a_deactivated_user_is_refused(chair):
    secret = token_for(chair.user)
    chair.user.is_active = False
    chair.user.save()
    assert Api(secret).get("/bodies").status_code == 401


def test_a_former_member_keeps_a_working_token_but_sees_no_body(chair, body, admin_api):
    secret = token_for(chair.user)
    yesterday = timezone.localdate() - timedelta(days=1)
    assert admin_api.patch(f"/members/{chair.id}", {"active_to": yesterday.isoformat()}).status_code == 200

    api = Api(secret)
    assert api.get("/bodies").json() == []
    assert api.get(f"/bodies/{body.id}").status_code == 404


def test_public_endpoints_need_no_token(db):
    api = Api()
    assert api.get("/workdays/deadline", {"start": "2025-10-06", "days": 5}).status_code == 200
    assert api.get("/calendar/exceptions").status_code == 200
    assert api.client.get("/api/v1/openapi.json").status_code == 200
    assert api.client.get("/api/v1/docs").status_code == 200


# --- manage.py create_api_token EMAIL ---------------------------------------------------------------


def test_create_api_token_prints_a_token_that_works(chair):
    out = StringIO()
    call_command("create_api_token", "  CHAIR@alqa.test ", "--name", "integration", stdout=out)

    secret = out.getvalue().strip()
    assert secret.startswith(settings.API_TOKEN_PREFIX)
    assert len(secret.splitlines()) == 1
    token = ApiToken.objects.get(user=chair.user)
    assert token.name == "integration"
    assert token.revoked_at is None
    assert secret not in (token.digest, token.prefix)
    event = AuditEvent.objects.get(action="api_token.issued", object_id=str(token.pk))
    assert event.data == {"user": "chair@alqa.test", "name": "integration"}

    response = Api(secret).get("/bodies")
    assert response.status_code == 200
    assert [b["id"] for b in response.json()] == [chair.body.id]


def test_create_api_token_fails_clearly_for_an_unknown_email(chair):
    before = ApiToken.objects.count()
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("create_api_token", "nobody@alqa.test", stdout=out)
    assert "nobody@alqa.test" in str(error.value)
    assert out.getvalue() == ""
    assert ApiToken.objects.count() == before


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_create_api_token_refuses_a_deactivated_user(chair):
    chair.user.is_active = False
    chair.user.save()
    with pytest.raises(CommandError, match="chair@alqa.test"):
        call_command("create_api_token", "chair@alqa.test", stdout=StringIO())
    assert not ApiToken.objects.filter(user=chair.user).exists()


# --- schema and docs ----------------------------------------------------------------------------------


def test_the_openapi_schema_describes_the_api(db):
    response = Api().client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    expected = {
        "/api/v1/bodies": {"get", "post"},
        "/api/v1/bodies/{body_id}/policy": {"get", "patch"},
        "/api/v1/bodies/{body_id}/units": {"get", "post"},
        "/api/v1/bodies/{body_id}/members": {"get", "post"},
        "/api/v1/members/{member_id}": {"get", "patch"},
        "/api/v1/calendar/exceptions": {"get", "post"},
        "/api/v1/workdays/deadline": {"get"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    schemes = schema["components"]["securitySchemes"]
    assert [s["scheme"] for s in schemes.values()] == ["bearer"]
    # the public operations say so; the others require the token
    assert not paths["/api/v1/workdays/deadline"]["get"].get("security")
    assert paths["/api/v1/bodies/{body_id}/members"]["post"]["security"]
    member_in = paths["/api/v1/bodies/{body_id}/members"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    ref = member_in["schema"]["$ref"].rsplit("/", 1)[-1]
    properties = schema["components"]["schemas"][ref]["properties"]
    assert {
        "full_name",
        "email",
        "side",
        "role",
        "active_from",
        "unit_id",
        "position",
        "active_to",
        "language",
        "basis_kind",
        "basis_number",
        "basis_date",
    } <= set(properties)
    assert set(schema["components"]["schemas"][ref]["required"]) == {"full_name", "side", "active_from"}


def test_the_docs_page_works_without_the_internet(db):
    client = Api().client
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()

    hosts = set(re.findall(r"(?:https?:)?//([^/\"'\s)]+)", html))
    assert hosts <= {"testserver"}, f"the docs page reaches out to {hosts}"
    assert '"validatorUrl": null' in html, "swagger-ui would call validator.swagger.io"
    assert '"url": "/api/v1/openapi.json"' in html

    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert asset.startswith(settings.STATIC_URL), asset
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert b"".join(served.streaming_content if served.streaming else [served.content])
