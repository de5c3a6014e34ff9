"""Turning a lost race into the message the pre-check would have given."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


@contextmanager
def atomic_unique(field: str, message: str) -> Iterator[None]:
    """An atomic block whose unique-constraint violation becomes a field error. The domain checks
    for duplicates before writing; two identical requests at the same moment can both pass that
    check, and the second then meets the database constraint here instead of a 500."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise ValidationError({field: message}) from None


class Conflict(ValidationError):
    """A change made on a state that is no longer the current one (another person saved first, or
    the text to be signed has changed): pages show both versions, the API answers 409."""
