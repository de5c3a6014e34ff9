"""A filtered view of the complaints register as an XLSX workbook (openpyxl's write-only mode:
rows are streamed into the file, never held as a sheet in memory)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any


def workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
