"""The OpenAPI schema tells a caller every answer an operation can give: the refusals with their
body, and which fields of a change may be emptied with null (and those are taken)."""

from __future__ import annotations

import pytest

from tests.api.conftest import API, FORM_ERRORS, Api, token_for
from tests.conftest import meeting_on

REFUSAL = {"$ref": "#/components/schemas/Refusal"}
INVALID = {"$ref": "#/components/schemas/Invalid"}
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture
def schema(db):
    return Api().client.get(f"{API}/openapi.json").json()


def test_every_operation_declares_the_refusals_it_can_answer_with_their_body(schema):
    checked = 0
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]

            def body(status: int, responses=responses, where=(method, path)):
                assert str(status) in responses, f"{where} does not declare {status}"
                return responses[str(status)]["content"]["application/json"]["schema"]

            parameters = operation.get("parameters", [])
            authenticated = bool(operation.get("security"))
            if authenticated:
                assert body(401) == REFUSAL
            if authenticated and method in WRITES:
                assert body(403) == REFUSAL and body(409) == REFUSAL
            if any(p["in"] == "path" for p in parameters):
                assert body(404) == REFUSAL
            if parameters or "requestBody" in operation:
                assert body(422) == INVALID
            if "requestBody" in operation:
                assert body(400) == REFUSAL and body(413) == REFUSAL
            checked += 1
    assert checked >= 30
    components = schema["components"]["schemas"]
    assert components["Refusal"]["properties"]["detail"]["type"] == "string"
    assert components["Invalid"]["properties"]["detail"]["items"] == {
        "$ref": "#/components/schemas/InvalidItem"
    }
    assert set(components["InvalidItem"]["required"]) == {"loc", "msg", "type"}


def test_operations_keep_their_ids_after_the_modules_were_split(schema):
    ids = {
        (method, path): operation["operationId"]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert ids[("post", "/api/v1/bodies/{body_id}/proposals")] == "alqa_api_meetings_post_proposal"
    assert ids[("post", "/api/v1/meetings/{meeting_id}/decisions")] == "alqa_api_meetings_post_decision"
    assert ids[("put", "/api/v1/meetings/{meeting_id}/attendance")] == "alqa_api_meetings_put_attendance"
    assert ids[("post", "/api/v1/meetings/{meeting_id}/agenda/approve")] == "alqa_api_meetings_approve"
    assert ids[("post", "/api/v1/meetings/{meeting_id}/guests")] == "alqa_api_meetings_post_guest"
    assert ids[("patch", "/api/v1/members/{member_id}")] == "alqa_api_registry_patch_member"


def _request_schema(schema, path: str) -> dict:
    content = schema["paths"][path]["patch"]["requestBody"]["content"]["application/json"]["schema"]
    return schema["components"]["schemas"][content["$ref"].rsplit("/", 1)[-1]]


@pytest.mark.parametrize("target", ["meeting", "member", "policy"])
def test_a_patch_takes_null_exactly_where_its_schema_says(target, schema, body, chair, secretary, member):
    meeting, _item = meeting_on(body, secretary, chair, days=7)
    path, url = {
        "meeting": ("/api/v1/meetings/{meeting_id}", f"/meetings/{meeting.pk}"),
        "member": ("/api/v1/members/{member_id}", f"/members/{member.pk}"),
        "policy": ("/api/v1/bodies/{body_id}/policy", f"/bodies/{body.pk}/policy"),
    }[target]
    api = Api(token_for(chair.user), raise_exceptions=False)
    properties = _request_schema(schema, path)["properties"]
    nullable = {name for name, p in properties.items() if {"type": "null"} in p.get("anyOf", [])}
    if target == "policy":
        assert not nullable  # every number of the policy is needed
    else:
        assert nullable
    for name in properties:
        response = api.patch(url, {name: None})
        if name in nullable:
            # taken, or refused by a rule of the regulation (an in-person meeting needs its place)
            if response.status_code != 200:
                assert response.status_code == 422, (name, response.content)
                kinds = {e["type"] for e in response.json()["detail"]}
                assert not kinds & FORM_ERRORS, (name, response.json())
        else:
            assert response.status_code == 422, (name, response.content)
            ((error),) = response.json()["detail"]
            assert (error["loc"][0], error["loc"][-1], error["type"]) == ("body", name, "not_null")
            assert error["msg"] == "This field cannot be empty."
