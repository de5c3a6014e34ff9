"""What every API schema shares: clean input text, ids, the e-mail addresses the pages accept,
limits read from the models, the case guard's confirmation, and times in Almaty's offset."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.db.models import Field as ModelField
from django.db.models import Model
from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError


class In(Schema):
    """Input: surrounding spaces are dropped (so "   " is as empty as ""), and text with a NUL
    character is refused (PostgreSQL cannot store it; no person types it)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise PydanticCustomError("null_character", "Null characters are not allowed.")
        return value


class CaseGuardIn(In):
    """Input holding free text under the case guard (clause 1.2)."""

    confirm_identifiers: bool = Field(
        default=False,
        description="the case guard (clause 1.2): a text holding what looks like a criminal case's ЕРДР "
        "number or an ИИН is refused (422, type case_identifiers) unless this is true",
    )


def _email(value: str) -> str:
    """The addresses the pages accept (Django's validator): pydantic's EmailStr would also refuse
    names under .local, .test and other special-use domains, which closed networks do use."""
    value = value.strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise PydanticCustomError("email_invalid", "Enter a valid e-mail address.") from None
    return value


Email = Annotated[str, Field(max_length=254, json_schema_extra={"format": "email"}), AfterValidator(_email)]

# A record's id sent in a body or query: as the databases store it (a larger number would reach
# the database and fail there); outside that range the field is refused (422).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
# A record's id in the path: documented with the same range, but any other number is simply a
# record that does not exist (404), as for every id nobody may see.
PathId = Annotated[int, Field(json_schema_extra={"minimum": 1, "maximum": 2**63 - 1})]

# A time as the API answers it: with Almaty's offset, as the pages show it.
LocalDateTime = Annotated[datetime, AfterValidator(timezone.localtime)]

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    """A day is written as the schema says, YYYY-MM-DD: pydantic alone would also take a number
    (seconds since 1970) or a time of day."""
    if value is None or isinstance(value, date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return value
    raise PydanticCustomError("date_type", "Enter a valid date in the form YYYY-MM-DD.")


def _iso_time(value: Any) -> Any:
    """A moment is written as ISO 8601 text: pydantic alone would also take a number."""
    if value is None or isinstance(value, datetime | str):
        return value
    raise PydanticCustomError("datetime_type", "Enter a valid date and time.")


# Input dates and times as text only (query parameters and JSON alike); `| None` inside, so that
# one refusal names the field (a union outside would name its members).
Day = Annotated[date, BeforeValidator(_iso_day)]
OptionalDay = Annotated[date | None, BeforeValidator(_iso_day)]
Moment = Annotated[datetime, BeforeValidator(_iso_time)]


def optional_day_between(first: date, last: date) -> Any:
    """An optional day within [first, last] (the bounds on the day, not on the union)."""
    return Annotated[Annotated[date, Field(ge=first, le=last)] | None, BeforeValidator(_iso_day)]


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("not_null", "This field cannot be empty.")
    return value


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def unset(**constraints: Any) -> Any:
    """A field of a PATCH that may be left out but, when sent, must hold a value: the schema
    declares it optional and not nullable, and `null` is refused with "This field cannot be
    empty." (type `not_null`). Fields that may be cleared are declared `X | None = None`."""
    return Field(default=None, json_schema_extra=_no_default, **constraints)


def _refuse_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


# A count where 0 is meaningful: `false` is not 0 (pydantic's lax int would take it), while 7.0
# is 7 as JSON Schema's integer says (StrictInt would refuse it).
Count = Annotated[int, BeforeValidator(_refuse_bool)]

T = TypeVar("T")
# `field: NotNull[int] = unset()`: see `unset`.
NotNull = Annotated[T, BeforeValidator(_refuse_null)]


def limited(model: type[Model], field: str, **constraints: Any) -> Any:
    """`Field(**constraints)` within the limits of a model field (see `limits`). Typed `Any` as
    `Field` itself is, so that a schema's field keeps its declared type."""
    return Field(**constraints, **limits(model, field))


def limits(model: type[Model], field: str) -> dict[str, Any]:
    """The value limits of a model field (its length, its validators' bounds) as pydantic's
    constraints: the model declares each limit once, the API reads it from there."""
    model_field = model._meta.get_field(field)
    if not isinstance(model_field, ModelField):
        raise TypeError(f"{model.__name__}.{field} is a relation, not a field with limits")
    found: dict[str, Any] = {}
    if getattr(model_field, "max_length", None):
        found["max_length"] = model_field.max_length
    for validator in model_field.validators:  # the tightest bound, if several
        if isinstance(validator, MinValueValidator):
            found["ge"] = max(found.get("ge", validator.limit_value), validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            found["le"] = min(found.get("le", validator.limit_value), validator.limit_value)
    return found
