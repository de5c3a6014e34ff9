"""The rows of an XLSX file's first sheet, streamed straight from the sheet's XML.

openpyxl's read-only mode builds an object per cell and, when the sheet does not declare its
size (files written by many programs, openpyxl's own write-only mode among them), reads the
whole sheet once more just to find it. Police statistics send files of hundreds of thousands of
rows, so the import reads them here instead: one pass over the sheet with lxml, shared
strings and the styles that mark a number as a date read once, each row let go once read.
Memory holds the shared strings and one row.

The values come as openpyxl gives them with `values_only=True`: text, int or float, bool,
datetime for numbers styled as dates, None for an empty cell; a row missing from the sheet comes
as an empty list so that row numbers stay those the user sees in Excel."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import ParseError, iterparse

# lxml and openpyxl are imported where a file is read, not with the module: every web worker
# imports this one (the complaints' views and forms), few ever read a workbook (tests/documents/test_lazy_imports.py).

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_ROW, _CELL, _VALUE, _TEXT, _INLINE = (f"{_MAIN}{t}" for t in ("row", "c", "v", "t", "is"))
_PHONETIC = f"{_MAIN}rPh"
_LETTERS = re.compile(r"[A-Z]+")


class BrokenWorkbook(Exception):
    """The file is not a readable XLSX workbook."""


_FAULTS = (zipfile.BadZipFile, zlib.error, KeyError, ParseError, OSError, ValueError, EOFError, IndexError)


def _first_sheet(archive: zipfile.ZipFile) -> str:
    with archive.open("xl/workbook.xml") as source:
        first = next(
            (e for _event, e in iterparse(source) if e.tag == f"{_MAIN}sheet"),
            None,
        )
        rel_id = first.get(_REL_ID) if first is not None else None
    if rel_id:
        with archive.open("xl/_rels/workbook.xml.rels") as source:
            for _event, element in iterparse(source):
                if element.tag == _PKG_REL and element.get("Id") == rel_id:
                    target = element.get("Target", "")
                    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return "xl/worksheets/sheet1.xml"


def _texts(element: Any) -> str:
    """The text of a string item, its runs joined; phonetic guides left out."""
    parts: list[str] = []
    for child in element:
        if child.tag == _TEXT:
            parts.append(child.text or "")
        elif child.tag != _PHONETIC:
            parts.extend(t.text or "" for t in child.iter(_TEXT))
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    try:
        source = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings: list[str] = []
    with source:
        for _event, element in iterparse(source):
            if element.tag == f"{_MAIN}si":
                strings.append(_texts(element))
                element.clear()
    return strings


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """The positions of the cell styles whose number format is a date."""
    try:
        source = archive.open("xl/styles.xml")
    except KeyError:
        return set()
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    formats: dict[int, str] = dict(BUILTIN_FORMATS)
    styles: list[int] = []
    with source:
        in_cell_xfs = False
        for event, element in iterparse(source, events=("start", "end")):
            if element.tag == f"{_MAIN}cellXfs":
                in_cell_xfs = event == "start"
            elif event == "end" and element.tag == f"{_MAIN}numFmt":
                formats[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif event == "end" and element.tag == f"{_MAIN}xf" and in_cell_xfs:
                styles.append(int(element.get("numFmtId", "0")))
    return {i for i, fmt_id in enumerate(styles) if fmt_id in formats and is_date_format(formats[fmt_id])}


def _column(ref: str) -> int:
    letters = _LETTERS.match(ref)
    number = 0
    for ch in letters.group() if letters else "":
        number = number * 26 + ord(ch) - 64
    return number - 1


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _cell_value(cell: Any, strings: list[str], dates: set[int]) -> Any:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(_INLINE)
        return _texts(inline) if inline is not None else None
    value = cell.find(_VALUE)
    text = value.text if value is not None else None
    if text is None:
        return None
    if kind == "s":
        return strings[int(text)]
    if kind == "n":
        number = _number(text)
        style = cell.get("s")
        if style and int(style) in dates:
            from openpyxl.utils.datetime import from_excel

            return from_excel(number)
        return number
    if kind == "b":
        return text == "1"
    return text  # "str" (a formula's text), "e" (an error such as #N/A), "d" (an ISO date)


def xlsx_rows(handle: IO[bytes]) -> Iterator[list[Any]]:
    """The first sheet's rows as lists of values. Raises BrokenWorkbook."""
    from lxml import etree

    try:
        archive = zipfile.ZipFile(handle)
        sheet = _first_sheet(archive)
        strings = _shared_strings(archive)
        dates = _date_styles(archive)
        source = archive.open(sheet)
    except _FAULTS as exc:
        raise BrokenWorkbook from exc
    try:
        expected = 0  # the number of the next row; 0 before the first
        for _event, row in etree.iterparse(source, events=("end",), tag=_ROW, resolve_entities=False):
            number = int(row.get("r") or expected or 1)
            if expected:
                for _gap in range(expected, number):
                    yield []
            expected = number + 1
            values: list[Any] = []
            for cell in row.iterchildren(_CELL):
                ref = cell.get("r")
                position = _column(ref) if ref else len(values)
                if position > len(values):
                    values.extend([None] * (position - len(values)))
                values.append(_cell_value(cell, strings, dates))
            row.clear()  # the row is read: let it and the rows before it go
            while row.getprevious() is not None:
                del row.getparent()[0]
            yield values
    except (*_FAULTS, etree.XMLSyntaxError) as exc:
        raise BrokenWorkbook from exc
    finally:
        source.close()
        archive.close()


def xlsx_row_count(handle: IO[bytes]) -> int:
    """The number of rows the first sheet declares (its `dimension`), 0 when it does not say;
    reads only the head of the sheet."""
    try:
        with zipfile.ZipFile(handle) as archive, archive.open(_first_sheet(archive)) as source:
            for _event, element in iterparse(source, events=("start",)):
                if element.tag == f"{_MAIN}dimension":
                    last = element.get("ref", "").rsplit(":", 1)[-1]
                    digits = last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                    return int(digits) if digits.isdigit() else 0
                if element.tag == f"{_MAIN}sheetData":
                    return 0
    except _FAULTS:
        return 0
    return 0
