"""What the API's handlers share: reading a body ninja does not read for them, finding a record
named in the request within the caller's body, and answering with a stored file."""

from __future__ import annotations

import json
from typing import Any, Generic, TypeVar, overload

from django.core.exceptions import ValidationError as DomainError
from django.db.models import Model, QuerySet
from django.http import FileResponse, HttpRequest
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaError
from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticError

from alqa.models import User
from alqa.models.files import StoredFile
from alqa.views.attachments import serve_stored

M = TypeVar("M", bound=Model)
T = TypeVar("T")
R = TypeVar("R")


class Gated(HttpRequest, Generic[R]):
    """A request as a handler behind a gate (alqa.api.gates) receives it, for the type checker
    only (never made): the token's user in `user`, what the gate returned in `auth`."""

    user: User
    auth: R


def stored_file(found: StoredFile) -> FileResponse:
    """A stored file as a download named by its number and extension (`file-12.pdf`), streamed
    like every other download (alqa.views.attachments.serve_stored)."""
    return serve_stored(found, filename=f"file-{found.pk}{found.name[found.name.rfind('.') :]}")


def json_body(request: HttpRequest) -> Any:
    """The request body as JSON, whatever its kind (a list, for the attendance). Too large: 413;
    not JSON: 400 (alqa.api.errors)."""
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise HttpError(400, "not JSON") from None


def validate_body(adapter: TypeAdapter[T], data: Any) -> T:
    """`data` validated as the request body: pydantic's refusals as a 422 under "body"."""
    try:
        return adapter.validate_python(data)
    except PydanticError as exc:
        raise SchemaError(
            [
                {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"], "ctx": e.get("ctx")}
                for e in exc.errors()
            ]
        ) from None


def body_with_files(
    request: HttpRequest, adapter: TypeAdapter[T], model: type[BaseModel]
) -> tuple[T, list[Any]]:
    """A write's fields (`model`'s, validated by `adapter` as the request body) from JSON, or from
    multipart/form-data with its `files`: the uploads, for the domain to check."""
    if request.content_type == "multipart/form-data":
        raw = {name: request.POST.get(name) for name in model.model_fields if name in request.POST}
        return validate_body(adapter, raw), request.FILES.getlist("files")
    data = json_body(request)
    if not isinstance(data, dict):
        raise SchemaError([{"loc": ["body"], "msg": "", "type": "json_invalid"}])
    return validate_body(adapter, data), []


@overload
def named(queryset: QuerySet[M], pk: int, *, field: str, message: str) -> M: ...
@overload
def named(queryset: QuerySet[M], pk: int | None, *, field: str, message: str) -> M | None: ...
def named(queryset: QuerySet[M], pk: int | None, *, field: str, message: str) -> M | None:
    """The record the request names in `field`, among those of `queryset` (the caller's body's);
    None when none is named. A record outside it is refused on that field (422), not a 404: the
    path's record exists, what was sent is wrong."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise DomainError({field: message})
    return found
