"""Many rows of plain values into one table, without a model instance a row.

`bulk_create` builds a model a row and compiles and binds every value apart: for the thousands of
reminder rows a run claims that is most of the insert's cost. Here the values go as they are, in
the columns named: PostgreSQL gets one array a column, unnested in one statement; SQLite one
prepared statement run for every row. The values must be what the database stores (ints, text,
dates, None); aware datetimes are adapted once a value for SQLite. No defaults are filled in and
no model signals are sent: the caller names every column it means to set. `rows_inserted` is sent
instead, once a call (the tests' write guard listens to it: every write is audited).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.dispatch import Signal

rows_inserted = Signal()  # sender: the model; using: the connection's alias; rows: how many

_LENGTH = re.compile(r"\(\d+(, *\d+)?\)$")


def _column(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.concrete:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if not rows:
        return
    fields = [_column(model, name) for name in columns]
    if any(len(row) != len(fields) for row in rows):
        raise ValueError(f"every row needs a value for each of the {len(fields)} columns")
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column or f.name) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # each array of the column's type without its length: a value too long for the column
            # is refused on insert, as it would be row by row, not cut short by the cast
            arrays = ", ".join(f"%s::{_LENGTH.sub('', f.db_type(connection) or '')}[]" for f in fields)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays})",  # noqa: S608
                [list(column) for column in zip(*rows, strict=True)],
            )
        else:
            _executemany(cursor, fields, table, names, rows)
    rows_inserted.send(sender=model, using=connection.alias, rows=len(rows))


def _executemany(
    cursor: Any, fields: list[models.Field[Any, Any]], table: str, names: str, rows: Sequence[Sequence[Any]]
) -> None:
    moments = [i for i, f in enumerate(fields) if isinstance(f, models.DateTimeField)]
    if moments:
        adapt = connection.ops.adapt_datetimefield_value
        rows = [tuple(adapt(v) if i in moments else v for i, v in enumerate(row)) for row in rows]
    marks = ", ".join(["%s"] * len(fields))
    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
