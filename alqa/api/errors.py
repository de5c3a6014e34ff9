"""Every refusal of the API, made in this one place and said in the caller's language.

Two bodies, one per kind of refusal (both declared in the OpenAPI schema on every operation
where they can happen, see `alqa.api.main.AlqaAPI`):

* `Refusal` — {"detail": "one sentence"}: 400 (the body is not a JSON object), 401 (no valid
  token), 403 (not allowed to do this), 404 (no such record, or not the caller's to see),
  409 (changed by another request at the same moment), 413 (the body is too large);
* `Invalid` — {"detail": [{"loc", "msg", "type"}]}: 422, what was sent is refused. `loc` names
  the API's own field (`["body", "presiding_member_id"]`, `["body", "executors", 1]`,
  `["query", "days"]`); `type` is pydantic's for a value of the wrong form, "value_error" for a
  rule of the regulation, "case_identifiers" for the case guard (send `confirm_identifiers`).

Handlers never build an error answer: they raise, and the exception handlers below answer —
the domain's `django.core.exceptions.ValidationError`, ninja's schema `ValidationError`,
`Http404`, `PermissionDenied` (with a message when the refusal says why), an oversized or
unreadable body, and a unique constraint lost to a parallel request.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DomainError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from alqa.domain.case_guard import CODE as CASE_GUARD_CODE
from alqa.domain.errors import Conflict

logger = logging.getLogger(__name__)


class Refusal(Schema):
    detail: str


class InvalidItem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class Invalid(Schema):
    detail: list[InvalidItem]


# The domain names model fields; the API's callers send these names. A field the API names
# already (`unit_id`, `executors.1`) passes through as it is.
FIELD_NAMES = {
    "unit": "unit_id",
    "parent": "parent_id",
    "body": "body_id",
    "user": "user_id",
    "presiding": "presiding_member_id",
    "decided_by": "decided_by_member_id",
    "initiator_unit": "initiator_unit_id",
    "speaker": "speaker_member_id",
    "proposal": "proposal_id",
    "remark_on": "remark_on_decision_id",
    "guest": "guest_id",
    "subject": "subject_id",
    "meeting": "meeting_id",
    "agenda_item": "agenda_item_id",
    "decision": "decision_id",
    "plan_item": "plan_item_id",
    "facility": "facility_id",
    "participants": "participant_ids",
}
# Domain fields that are the whole request body of their operation (the attendance list).
WHOLE_BODY = {NON_FIELD_ERRORS, "attendance", "guests"}


def _loc(field: str) -> list[str | int]:
    """`executors.1` -> ["body", "executors", 1]; a field that is the whole body -> ["body"]."""
    if field in WHOLE_BODY:
        return ["body"]
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in field.split(".")]
    parts[0] = FIELD_NAMES.get(str(parts[0]), parts[0])
    return ["body", *parts]


def _type(error: DomainError) -> str:
    return CASE_GUARD_CODE if error.code == CASE_GUARD_CODE else "value_error"


def _message(error: DomainError) -> str:
    return error.messages[0]


def domain_detail(exc: DomainError) -> list[dict[str, Any]]:
    """The domain's refusal as the items of a 422, on the API's field names."""
    if hasattr(exc, "error_dict"):
        return [
            {"loc": _loc(field), "msg": _message(e), "type": _type(e)}
            for field, errors in exc.error_dict.items()
            for e in errors
        ]
    return [{"loc": ["body"], "msg": _message(e), "type": _type(e)} for e in exc.error_list]


def schema_message(error: dict[str, Any]) -> str:
    """pydantic's English messages, said again in the caller's language."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "not_null":
        return _("This field cannot be empty.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a valid date in the form YYYY-MM-DD.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Enter a value of at least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Enter a value no larger than %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind == "string_too_short":
        return _("This field cannot be empty.")
    if kind == "string_too_long":
        return _("Enter at most %(limit)s characters.") % {"limit": ctx.get("max_length")}
    if kind == "too_long":
        return _("Send at most %(limit)s items.") % {"limit": ctx.get("max_length")}
    if kind in {"enum", "literal_error"}:
        # pydantic lists them as "'a', 'b' or 'c'": keep the values, drop its English "or"
        choices = str(ctx.get("expected", "")).replace(" or ", ", ")
        return _("Choose one of: %(choices)s.") % {"choices": choices}
    if kind == "string_type":
        return _("Enter text.")
    if kind == "null_character":
        return _("Null characters are not allowed.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"json_invalid", "model_attributes_type", "dict_type", "list_type"}:
        return _("The request body is not valid JSON of the expected form.")
    if kind == "email_invalid" or (kind == "value_error" and "email" in str(error.get("msg", "")).lower()):
        return _("Enter a valid e-mail address.")
    if kind in {"value_error", CASE_GUARD_CODE}:  # our own checks, already in the caller's language
        return str(error.get("msg") or _("This value is not valid."))
    return _("This value is not valid.")  # rather than pydantic's English


def _is_unique_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(exc)


def install(api: NinjaAPI) -> None:
    """Registers the API's exception handlers: the only code that turns a refusal into an answer."""

    def refusal(request: HttpRequest, message: str, status: int) -> HttpResponse:
        return api.create_response(request, {"detail": message}, status=status)

    def invalid(request: HttpRequest, detail: list[dict[str, Any]]) -> HttpResponse:
        return api.create_response(request, {"detail": detail}, status=422)

    @api.exception_handler(DomainError)
    def domain_refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return invalid(request, domain_detail(exc))

    @api.exception_handler(Conflict)
    def stale(request: HttpRequest, exc: Conflict) -> HttpResponse:
        """A change made on a state that is no longer current (a protocol saved by someone else,
        a text to be signed that has changed): 409 with the domain's message."""
        return refusal(request, _message(exc.error_list[0]) if hasattr(exc, "error_list") else str(exc), 409)

    @api.exception_handler(SchemaError)
    def schema_refused(request: HttpRequest, exc: SchemaError) -> HttpResponse:
        detail = [
            {"loc": list(e.get("loc", [])), "msg": schema_message(e), "type": e.get("type", "value_error")}
            for e in exc.errors
        ]
        return invalid(request, detail)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return refusal(request, _("Not found."), 404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        # raised with a message (already in the caller's language) when the refusal says why
        message = str(exc.args[0]) if exc.args else _("You do not have permission to do this.")
        return refusal(request, message, 403)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = _("A valid API token is required: send the header Authorization: Bearer <token>.")
        return refusal(request, message, 401)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        """ninja's own refusals (a body that is not JSON, a failed CSRF check)."""
        if exc.status_code == 400:
            message = _("The request body must be a JSON object.")
        elif exc.status_code == 403:
            message = _("You do not have permission to do this.")
        else:
            message = _("The request could not be processed.")
        return refusal(request, message, exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = _("The request body is too large: send at most %(limit)s.") % {
            "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
        return refusal(request, message, 413)

    @api.exception_handler(SuspiciousOperation)
    @api.exception_handler(MultiPartParserError)
    def unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
        """A multipart body that cannot be read (too many fields or files, a broken boundary)."""
        return refusal(request, _("The request could not be processed."), 400)

    @api.exception_handler(IntegrityError)
    def conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        """A parallel request won the race to a unique constraint the domain checked before
        writing: nothing was written by this one. Any other integrity error is a bug: a 500."""
        if not _is_unique_violation(exc):
            raise exc
        logger.info("API write lost a race to a unique constraint: %s", exc)
        return refusal(request, _("Someone changed this at the same moment; reload it and try again."), 409)
