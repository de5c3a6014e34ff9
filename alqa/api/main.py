"""The HTTP API under /api/v1/: token authentication, the same permission choke points as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Swagger
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.parser import Parser

from alqa.api import errors, gates


class ObjectParser(Parser):
    """Every request body of this API is a JSON object: an array, a number or null is refused
    (ninja would read it as an empty object, so that a PATCH of `[]` would answer 200)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the request body is not a JSON object")
        return data


# Operation ids name the module an operation was first written in: clients generate their method
# names from them, so moving an operation to another module keeps its id.
_FIRST_MODULE = {
    "alqa.api.proposals": "alqa.api.meetings",
    "alqa.api.agenda": "alqa.api.meetings",
    "alqa.api.attendance": "alqa.api.meetings",
    "alqa.api.decisions": "alqa.api.meetings",
    "alqa.api.invitations": "alqa.api.meetings",
}

_REFUSAL = {"$ref": "#/components/schemas/Refusal"}
_INVALID = {"$ref": "#/components/schemas/Invalid"}
_WRITES = {"post", "put", "patch", "delete"}


def _declare(responses: dict[Any, Any], status: int, description: str, schema: dict[str, Any]) -> None:
    if status not in responses and str(status) not in responses:  # ninja's keys are numbers
        responses[status] = {"description": description, "content": {"application/json": {"schema": schema}}}


class AlqaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        module = operation.view_func.__module__
        return (_FIRST_MODULE.get(module, module) + "_" + operation.view_func.__name__).replace(".", "_")

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """The schema, with every refusal an operation can answer declared on it (alqa.api.errors):
        401 where a token is needed; 403 on writes (and on reads that declare it); 404 where the
        path names a record; 409 on writes; 422 where anything is sent; 400 and 413 where a body is
        sent."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"].setdefault("schemas", {})
        schema["components"]["schemas"]["Refusal"] = errors.Refusal.model_json_schema()
        invalid = errors.Invalid.model_json_schema(ref_template="#/components/schemas/{model}")
        schema["components"]["schemas"] |= invalid.pop("$defs", {})
        schema["components"]["schemas"]["Invalid"] = invalid
        for methods in schema["paths"].values():
            for method, operation in methods.items():
                responses = operation.setdefault("responses", {})
                parameters = operation.get("parameters", [])
                has_body = "requestBody" in operation
                if operation.get("security"):
                    _declare(responses, 401, "No valid API token was sent.", _REFUSAL)
                    if method in _WRITES:
                        _declare(responses, 403, "The caller may not do this.", _REFUSAL)
                if any(p["in"] == "path" for p in parameters):
                    _declare(responses, 404, "No such record, or not the caller's to see.", _REFUSAL)
                if method in _WRITES and operation.get("security"):
                    _declare(responses, 409, "Changed by another request at the same moment.", _REFUSAL)
                if parameters or has_body:
                    _declare(responses, 422, "What was sent is refused.", _INVALID)
                if has_body:
                    _declare(responses, 400, "The request body is not a JSON object.", _REFUSAL)
                    _declare(responses, 413, "The request body is too large.", _REFUSAL)
        return schema


api = AlqaAPI(
    title="Alqa API",
    version="1",
    description=(
        "The API of Alqa, the system of record of interdepartmental monitoring groups. "
        "Authenticate with `Authorization: Bearer <token>`; tokens are issued on the profile page "
        "or by `manage.py create_api_token EMAIL`. Messages follow `Accept-Language` (ru, kk, en). "
        'Refusals: {"detail": "…"} for 400, 401, 403, 404, 409 and 413; '
        '{"detail": [{"loc", "msg", "type"}]} for 422.'
    ),
    auth=gates.SIGNED_IN,  # each operation on a record declares its own gate (alqa.api.gates)
    parser=ObjectParser(),
    urls_namespace="api",
    docs_url="/docs",
    # The bundled swagger-ui (ninja's static files), not a CDN, and no call to the public
    # validator: the docs must work in a closed government network.
    docs=Swagger(settings={"validatorUrl": None}),
    openapi_url="/openapi.json",
)
errors.install(api)


from alqa.api import (  # noqa: E402  (routers register on the api above)
    agenda,
    attendance,
    complaints,
    decisions,
    execution,
    invitations,
    meetings,
    oversight,
    plans,
    proposals,
    protocols,
    registry,
    workdays,
)

api.add_router("", workdays.router)
api.add_router("", registry.router)
api.add_router("", complaints.router)
api.add_router("", oversight.router)
for subject in (proposals, meetings, attendance, agenda, invitations, decisions, protocols, plans, execution):
    api.add_router("", subject.router)
