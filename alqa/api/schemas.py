"""What every API input schema shares: clean text and the e-mail addresses the pages accept."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, field_validator
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
