"""Schema-driven robustness: every operation of the OpenAPI schema, fed malformed values, never
answers 500 (a hand-written cousin of schemathesis, deterministic and offline)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from tests.api.conftest import API, Api, token_for

# Values that are wrong for some field or other: wrong types, bad dates, huge and negative numbers,
# emptiness, control characters, very long text.
BAD_JSON_VALUES = [
    "x",
    "",
    "   ",
    -1,
    0,
    10**30,
    -(10**30),
    1.5,
    "2025-02-30",
    "9999-12-31",
    "0001-01-01",
    [],
    {},
    None,
    True,
    "a" * 5000,
    "nul\x00byte",
    "🙂",
]
BAD_PARAM_VALUES = [
    "abc",
    "",
    "-1",
    "0",
    "1.5",
    str(10**30),
    "2025-02-30",
    "0001-01-01",
    "9999-12-31",
    "nul\x00byte",
    "🙂",
    "a" * 3000,
]
RAW_BODIES = ["", "{", "[]", "[{}]", "null", "123", '"text"', "true", "{}", '{"a": }', "\ufeff{}"]
# The openings of pydantic's own (English) messages: the caller must get ours, in their language.
PYDANTIC_ENGLISH = (
    "Input should",
    "Field required",
    "Value error",
    "String should",
    "value is not",
    "Assertion failed",
    "Unable to",
    "Extra inputs",
)
INVALID_UTF8 = b'{"name_ru": "\xff\xfe"}'


def example(schema: dict, components: dict):
    """A plausible value for a JSON schema (the base each bad value is swapped into)."""
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return example(options[0], components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object":
        return {name: example(prop, components) for name, prop in schema.get("properties", {}).items()}
    fmt = schema.get("format")
    if fmt == "date":
        return "2025-03-03"
    if fmt == "email":
        return "probe@alqa.kz"
    return "Проба"


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            yield path, method, op


@pytest.fixture
def world(body, other_body, chair, member, police_unit, admin_user):
    return {"body_id": body.id, "member_id": member.id}


def test_the_schema_lists_operations_to_probe(db):
    schema = Api().client.get(f"{API}/openapi.json").json()
    assert len(list(operations(schema))) >= 13


def test_no_malformed_request_gets_a_server_error(world, admin_user):
    api = Api(raise_exceptions=False)
    token = token_for(admin_user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "kk"}
    client = api.client
    schema = client.get(f"{API}/openapi.json").json()
    components = schema["components"]["schemas"]
    failures: list[str] = []
    sent = 0

    def send(method: str, url: str, params: dict | None = None, body=None, raw=None):
        nonlocal sent
        sent += 1
        if method == "get":
            response = client.get(url, params or {}, **headers)
        else:
            data = raw if raw is not None else json.dumps(body if body is not None else {})
            query = urlencode(params or {})
            response = getattr(client, method)(
                url + ("?" + query if query else ""), data=data, content_type="application/json", **headers
            )
        if response.status_code >= 500:
            failures.append(
                f"{method.upper()} {url} params={params!r} body={(raw or body)!r:.200} "
                f"-> {response.status_code}"
            )
        elif response.status_code >= 400:
            if not response["Content-Type"].startswith("application/json"):
                # only a URL that matches no route at all (a path id that is not a number) leaves the API
                if response.status_code != 404:
                    failures.append(
                        f"{method.upper()} {url} -> {response.status_code} {response['Content-Type']}"
                    )
            elif not response.json()["detail"]:
                failures.append(f"{method.upper()} {url} -> {response.status_code} without a message")
            elif response.status_code == 422:
                for error in response.json()["detail"]:
                    assert error["loc"] and error["msg"], error
                    if error["msg"].startswith(PYDANTIC_ENGLISH):
                        failures.append(f"{method.upper()} {url}: pydantic's English {error!r}")

    for path, method, op in operations(schema):
        parameters = op.get("parameters", [])
        # ids of real rows where the test made them, else an id that may not exist (a 404 is fine)
        path_params = {p["name"]: world.get(p["name"], 1) for p in parameters if p["in"] == "path"}
        query_params = [p for p in parameters if p["in"] == "query"]
        good_query = {p["name"]: example(p["schema"], components) for p in query_params if p.get("required")}
        body_schema = None
        content = op.get("requestBody", {}).get("content", {})
        if "application/json" in content:  # uploads (multipart) get the path and query probes only
            body_schema = content["application/json"]["schema"]
        good_body = example(body_schema, components) if body_schema else None

        def url(overrides=None, path=path, path_params=path_params):
            values = path_params | (overrides or {})
            return path.format(**values)

        # path parameters
        for name in path_params:
            for bad in BAD_PARAM_VALUES[:7] + [str(10**30), "%2F..%2F"]:
                send(method, url({name: bad}), good_query, good_body)
        # query parameters
        for param in query_params:
            for bad in BAD_PARAM_VALUES:
                send(method, url(), good_query | {param["name"]: bad}, good_body)
        if body_schema is None:
            continue
        # whole bodies that are not what the schema wants
        for raw in RAW_BODIES:
            send(method, url(), good_query, raw=raw)
        send(method, url(), good_query, raw=INVALID_UTF8)
        # one bad field at a time, the others plausible
        for field in good_body if isinstance(good_body, dict) else ():
            for bad in BAD_JSON_VALUES:
                send(method, url(), good_query, good_body | {field: bad})
            send(method, url(), good_query, {field: None})

    assert sent > 500
    assert not failures, "\n".join(failures[:40])
