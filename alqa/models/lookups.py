"""`field__any_of=ids`: a field among a long list of integers, the list bound as one parameter.

`field__in=ids` compiles and binds each id apart: for the thousand ids of a reminder batch that is
most of the query's cost in Python, before the database sees it. Here the list is one value:
PostgreSQL compares with `= ANY(array)` (an index scan of the listed keys), SQLite reads the list
as a JSON array (`json_each`). An empty list matches nothing. Registered on every field and
relation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import NotSupportedError
from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[int]:
        if isinstance(self.rhs, str | bytes) or not isinstance(self.rhs, Iterable):
            raise TypeError("any_of takes a list of integers")
        return [int(v) for v in self.rhs]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, self.rhs]

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.rhs)]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        raise NotSupportedError(f"any_of is written for PostgreSQL and SQLite, not {connection.vendor}")


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # a relation's lookups stop at ForeignObject, not Field
