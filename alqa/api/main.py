"""The HTTP API under /api/v1/: token authentication, the same permission choke points as the pages."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from alqa.domain.tokens import user_for_secret


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_secret(token.strip())
        if user is None:
            return None
        request.user = user
        return user


class ObjectParser(Parser):
    """Every request body of this API is a JSON object: an array, a number or null is refused
    (ninja would read it as an empty object, so that a PATCH of `[]` would answer 200)."""

    def parse_body(self, request: HttpRequest):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the request body is not a JSON object")
        return data


api = NinjaAPI(
    title="Alqa API",
    version="1",
    description=(
        "The API of Alqa, the system of record of interdepartmental monitoring groups. "
        "Authenticate with `Authorization: Bearer <token>`; tokens are issued on the profile page "
        "or by `manage.py create_api_token EMAIL`. Messages follow `Accept-Language` (ru, kk, en)."
    ),
    auth=BearerToken(),
    parser=ObjectParser(),
    urls_namespace="api",
    docs_url="/docs",
    # The bundled swagger-ui (ninja's static files), not a CDN, and no call to the public
    # validator: the docs must work in a closed government network.
    docs=Swagger(settings={"validatorUrl": None}),
    openapi_url="/openapi.json",
)


# The domain names model fields; the API's callers send these names.
_API_FIELD_NAMES = {"unit": "unit_id", "parent": "parent_id", "body": "body_id", "user": "user_id"}


def _loc(field: str) -> list[str]:
    if field == NON_FIELD_ERRORS:
        return ["body"]
    return ["body", _API_FIELD_NAMES.get(field, field)]


def _field_errors(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"loc": _loc(field), "msg": message, "type": "value_error"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"loc": ["body"], "msg": message, "type": "value_error"} for message in exc.messages]


@api.exception_handler(DjangoValidationError)
def domain_invalid(request, exc):
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


def _schema_message(error: dict) -> str:
    """pydantic's English messages, said again in the caller's language."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
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
    if kind in {"json_invalid", "model_attributes_type", "dict_type"}:
        return _("The request body is not valid JSON of the expected form.")
    if kind == "email_invalid" or (kind == "value_error" and "email" in str(error.get("msg", "")).lower()):
        return _("Enter a valid e-mail address.")
    if kind in {"value_error", "case_identifiers"}:  # our own checks, already in the caller's language
        return str(error.get("msg") or _("This value is not valid."))
    return _("This value is not valid.")  # rather than pydantic's English


@api.exception_handler(ValidationError)
def schema_invalid(request, exc: ValidationError):
    detail = [
        {"loc": list(e.get("loc", [])), "msg": _schema_message(e), "type": e.get("type", "value_error")}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": _("You do not have permission to do this.")}, status=403)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """ninja's own refusals (a body that is not JSON, a failed CSRF check), said in the caller's language."""
    if exc.status_code == 400:
        message = _("The request body must be a JSON object.")
    elif exc.status_code == 403:
        message = _("You do not have permission to do this.")
    else:
        message = _("The request could not be processed.")
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request,
        {"detail": _("A valid API token is required: send the header Authorization: Bearer <token>.")},
        status=401,
    )


from alqa.api import meetings, registry, workdays  # noqa: E402  (routers register on the api above)

api.add_router("", workdays.router)
api.add_router("", registry.router)
api.add_router("", meetings.router)
