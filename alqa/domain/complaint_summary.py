"""The summaries of the complaints register (issue #13): ComplaintSummary (complaints per body,
month of filing and every value the analytics filter and group by) and ComplaintDays (the decided
ones per month and days from filing to decision). The analytics read them instead of the rows.

They are kept in step by every write to the register, in the write's own transaction: the rows
written are added (or, before an edit or a deletion, taken away) by one INSERT … SELECT … GROUP BY
over the register's rows with an upsert that adds to the count (`ON CONFLICT … DO UPDATE SET
number = number + excluded.number`, atomic per summary row on PostgreSQL and SQLite alike: two imports into one
body at once both add). `rebuild` computes them again from the rows; `differences` compares them
with the GROUP BY over the rows (the tests' check, and the management command's)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction

from alqa.domain.audit import record_event
from alqa.models import Body, Complaint, ComplaintDays, ComplaintSummary, User


@dataclass(frozen=True)
class _Spec:
    table: str
    dimensions: tuple[str, ...]  # columns of the register, in the summary under the same names
    only: str  # which rows of the register it counts


def _specs() -> tuple[_Spec, _Spec]:
    return (
        _Spec(
            ComplaintSummary._meta.db_table,
            ("article", "unit_id", "subject_id", "outcome", "official", "violation_found"),
            "TRUE",
        ),
        _Spec(
            ComplaintDays._meta.db_table,
            ("article", "outcome", "official", "violation_found", "days"),
            "decided_on IS NOT NULL",
        ),
    )


def month_sql() -> str:
    """The first day of the month of filing, as the database writes a date."""
    if connection.vendor == "postgresql":
        return "CAST(date_trunc('month', filed_on) AS date)"
    return "strftime('%%Y-%%m-01', filed_on)"


def days_sql() -> str:
    """Days from filing to decision, as an integer."""
    if connection.vendor == "postgresql":
        return "(decided_on - filed_on)"
    return "CAST(julianday(decided_on) - julianday(filed_on) AS INTEGER)"


def _source(column: str) -> str:
    return days_sql() if column == "days" else column


def _add(where: str, params: list[Any]) -> None:
    """Adds the register's rows matching `where` to both summaries."""
    complaints = Complaint._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for spec in _specs():
            key = ("body_id", "month", *spec.dimensions)
            columns = ", ".join(quote(c) for c in key)
            selected = ", ".join(["body_id", month_sql(), *(_source(c) for c in spec.dimensions)])
            groups = ", ".join(str(i) for i in range(1, len(key) + 1))
            cursor.execute(
                f"INSERT INTO {spec.table} ({columns}, number) "  # noqa: S608 (names of our own tables)
                f"SELECT {selected}, COUNT(*) FROM {complaints} "
                f"WHERE ({where}) AND {spec.only} GROUP BY {groups} "
                f"ON CONFLICT ({columns}) DO UPDATE SET number = {spec.table}.number + excluded.number",
                params,
            )


_STORED = ("body_id", "filed_on", "decided_on", "article", "unit_id", "subject_id", "outcome", "official")


def stored(pk: int) -> dict[str, Any] | None:
    """The complaint's values as stored, its row locked until the transaction ends (PostgreSQL):
    an edit or a deletion running at the same time waits, then reads what this one wrote."""
    found: dict[str, Any] | None = (
        Complaint.objects.select_for_update().filter(pk=pk).values(*_STORED, "violation_found").first()
    )
    return found


def _keys(values: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    """The summary rows one complaint counts in: its key in each summary, in the columns of
    `_specs` (ComplaintDays only for a decided complaint)."""
    decided = values["decided_on"] is not None
    derived = values | {
        "month": values["filed_on"].replace(day=1),
        "days": (values["decided_on"] - values["filed_on"]).days if decided else None,
    }
    return [
        (spec.table, tuple(derived[c] for c in ("body_id", "month", *spec.dimensions)))
        for spec in _specs()
        if decided or "days" not in spec.dimensions
    ]


def move(before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """One complaint's change in both summaries: its values as stored before (None: created) taken
    away, after (None: deleted) added, in one statement per summary whose rows are locked in the
    order of their keys (two edits at once cannot deadlock); rows left at zero removed. Inside the
    write's transaction, `before` read by `stored` under the row's lock."""
    deltas: dict[str, dict[tuple[Any, ...], int]] = {}
    for values, sign in ((before, -1), (after, 1)):
        if values is not None:
            for table, key in _keys(values):
                deltas.setdefault(table, {})
                deltas[table][key] = deltas[table].get(key, 0) + sign
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for spec in _specs():
            changes = sorted((k, d) for k, d in deltas.get(spec.table, {}).items() if d)
            if not changes:
                continue
            key = ("body_id", "month", *spec.dimensions)
            columns = ", ".join(quote(c) for c in key)
            marks = "(" + ", ".join(["%s"] * (len(key) + 1)) + ")"
            cursor.execute(
                f"INSERT INTO {spec.table} ({columns}, number) VALUES "  # noqa: S608
                + ", ".join([marks] * len(changes))
                + f" ON CONFLICT ({columns}) DO UPDATE SET number = {spec.table}.number + excluded.number",
                [v for k, d in changes for v in (*k, d)],
            )
            if any(d < 0 for _k, d in changes):
                match = " AND ".join(f"{quote(c)} = %s" for c in key)
                for k, d in changes:
                    if d < 0:
                        cursor.execute(
                            f"DELETE FROM {spec.table} WHERE number = 0 AND {match}",  # noqa: S608
                            list(k),
                        )


def add_counts(body_id: int, counts: dict[tuple[Any, ...], int], days: dict[tuple[Any, ...], int]) -> None:
    """After an import's rows are written: their counts, tallied while the rows were checked, added
    to both summaries (the keys in the columns of `_specs`, after body and month) by an upsert
    that adds: the rows written are not read again. `counts` holds
    every row, `days` the decided ones. PostgreSQL: the counts through COPY into a temporary table
    dropped at once, then one INSERT … SELECT per summary in the order of the keys (an upsert
    per key sent by the client costs the server twice as much); SQLite: the same upsert per key,
    in the process, the keys sorted."""
    quote = connection.ops.quote_name
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for spec, tally in zip(_specs(), (counts, days), strict=True):
            if not tally:
                continue
            key = ("body_id", "month", *spec.dimensions)
            columns = ", ".join(quote(c) for c in key)
            upsert = f"ON CONFLICT ({columns}) DO UPDATE SET number = {spec.table}.number + excluded.number"
            if not postgresql:
                rows = [(body_id, *k, n) for k, n in sorted(tally.items())]  # neighbouring pages
                marks = ", ".join(["%s"] * (len(key) + 1))
                cursor.executemany(
                    f"INSERT INTO {spec.table} ({columns}, number) VALUES ({marks}) {upsert}",  # noqa: S608
                    rows,
                )
                continue
            staged = quote(f"{spec.table}_tally")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {staged} ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {columns}, number FROM {spec.table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY {staged} ({columns}, number) FROM STDIN") as copy:
                for k, n in tally.items():
                    copy.write_row((body_id, *k, n))
            cursor.execute(
                f"INSERT INTO {spec.table} ({columns}, number) "  # noqa: S608
                f"SELECT {columns}, number FROM {staged} ORDER BY {columns} {upsert}"
            )
            cursor.execute(f"DROP TABLE {staged}")


def rebuild(*, actor: User | None, body: Body | None = None) -> int:
    """Effects: computes both summaries again from the register's rows (of one body, or of all),
    writers of the register held off meanwhile (PostgreSQL: the table locked against writes;
    SQLite writes one at a time anyway); records `complaint_summary.rebuilt` with the number of
    rows counted. Repeating it changes nothing. Returns the number of complaints counted."""
    with transaction.atomic():
        complaints = Complaint._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"LOCK TABLE {complaints} IN SHARE MODE")
            where, params = ("body_id = %s", [body.pk]) if body else ("TRUE", [])
            for spec in _specs():
                cursor.execute(f"DELETE FROM {spec.table} WHERE {where}", params)  # noqa: S608
        _add(where, params)
        count = Complaint.objects.filter(**({"body": body} if body else {})).count()
        record_event(
            None,
            "complaint_summary.rebuilt",
            actor=actor,
            body=body,
            object_type="complaintsummary",
            object_id=str(body.pk) if body else "all",
            data={"complaints": count},
        )
    return count


def differences(body: Body | None = None) -> list[tuple[str, tuple[Any, ...], int, int]]:
    """Where a summary differs from the GROUP BY over the register's rows: (table, key, count in
    the summary, count in the rows); empty when both summaries are exact."""
    complaints = Complaint._meta.db_table
    found: list[tuple[str, tuple[Any, ...], int, int]] = []
    where, params = ("body_id = %s", [body.pk]) if body else ("TRUE", [])
    with connection.cursor() as cursor:
        for spec in _specs():
            key = ("body_id", "month", *spec.dimensions)
            groups = ", ".join(str(i) for i in range(1, len(key) + 1))
            selected = ", ".join(["body_id", month_sql(), *(_source(c) for c in spec.dimensions)])
            cursor.execute(
                f"SELECT {selected}, COUNT(*) FROM {complaints} "  # noqa: S608
                f"WHERE ({where}) AND {spec.only} GROUP BY {groups}",
                params,
            )
            rows = {_key(r[:-1]): r[-1] for r in cursor.fetchall()}
            cursor.execute(
                f"SELECT {', '.join(key)}, number FROM {spec.table} WHERE {where}",  # noqa: S608
                params,
            )
            summary = {_key(r[:-1]): r[-1] for r in cursor.fetchall()}
            for k in sorted(set(rows) | set(summary), key=str):
                if rows.get(k, 0) != summary.get(k, 0) or (k in summary and not summary[k]):
                    found.append((spec.table, k, summary.get(k, 0), rows.get(k, 0)))
    return found


def _key(values: Iterable[Any]) -> tuple[Any, ...]:
    """A key read back from either side the same way (SQLite gives dates and flags as text or
    integers depending on the expression)."""
    out: list[Any] = []
    for v in values:
        if isinstance(v, date):
            v = v.isoformat()
        elif isinstance(v, bool):
            v = int(v)
        out.append(v)
    return tuple(out)
