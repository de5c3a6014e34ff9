"""The rows of an XLSX file's first sheet, streamed straight from the sheet's XML.

openpyxl's read-only mode builds an object per cell and, when the sheet does not declare its
size (files written by many programs, openpyxl's own write-only mode among them), reads the
whole sheet once more just to find it. Police statistics send files of hundreds of thousands of
rows, so the import reads them here instead: one pass over the sheet with expat (the standard
library's parser, whose handlers see each element once: no object is built per cell, twice as
fast as lxml's iterparse of each row was), shared strings and the styles that mark a number as
a date read once. Memory holds the shared strings and the rows of one block of 256 KB of XML.

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
from xml.parsers.expat import ExpatError, ParserCreate

# openpyxl is imported where a file is read, not with the module: every web worker
# imports this one (the complaints' views and forms), few ever read a workbook (tests/documents/test_lazy_imports.py).

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_TEXT = f"{_MAIN}t"
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


def xlsx_rows(handle: IO[bytes]) -> Iterator[list[Any]]:
    """The first sheet's rows as lists of values. Raises BrokenWorkbook."""
    try:
        archive = zipfile.ZipFile(handle)
        sheet = _first_sheet(archive)
        strings = _shared_strings(archive)
        dates = _date_styles(archive)
        source = archive.open(sheet)
    except _FAULTS as exc:
        raise BrokenWorkbook from exc
    try:
        yield from _sheet_rows(source, strings, dates)
    except (*_FAULTS, ExpatError) as exc:
        raise BrokenWorkbook from exc
    finally:
        source.close()
        archive.close()


_BLOCK = 1 << 18  # bytes of the sheet's XML parsed at a time: the rows they hold wait in memory
_NS = _MAIN[1:-1] + "}"  # expat's names: namespace, "}", local name
_X_ROW, _X_CELL, _X_VALUE, _X_TEXT, _X_INLINE, _X_PHONETIC = (
    f"{_NS}{t}" for t in ("row", "c", "v", "t", "is", "rPh")
)
_DIGITS = "0123456789"


def _refuse_doctype(*_args: Any) -> None:
    raise ValueError("a DOCTYPE in a sheet")  # a workbook's XML has none; its entities are not expanded


def _sheet_rows(source: IO[bytes], strings: list[str], dates: set[int]) -> Iterator[list[Any]]:
    """The sheet's rows by one pass of expat over its XML, in blocks of _BLOCK bytes: the
    handlers below see each element once and build no object per cell but its value."""
    from openpyxl.utils.datetime import from_excel

    parser = ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_doctype
    done: list[list[Any]] = []  # the rows finished in the current block
    values: list[Any] = []
    columns: dict[str, int] = {}  # a cell reference's letters → its position
    expected = 0  # the number of the next row; 0 before the first
    kind = style = ref = None
    text: list[str] | None = None  # the text of the cell being read, while in <v> or <t>
    parts: list[str] = []
    inline = phonetic = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal values, expected, kind, style, ref, text, inline, phonetic
        if name == _X_CELL:
            kind = attrs.get("t", "n")
            style = attrs.get("s")
            ref = attrs.get("r")
            parts.clear()
            text = None
        elif name == _X_VALUE:
            text = parts
        elif name == _X_TEXT:
            if inline and not phonetic:
                text = parts
        elif name == _X_INLINE:
            inline = 1
        elif name == _X_PHONETIC:
            phonetic = 1
        elif name == _X_ROW:
            number = int(attrs.get("r") or expected or 1)
            if expected:
                for _gap in range(expected, number):
                    done.append([])
            expected = number + 1
            values = []

    def end(name: str) -> None:
        nonlocal text, inline, phonetic, kind
        if name == _X_CELL:
            if ref:
                letters = ref.rstrip(_DIGITS)
                position = columns.get(letters)
                if position is None:
                    position = columns[letters] = _column(letters)
                if position > len(values):
                    values.extend([None] * (position - len(values)))
            values.append(_value(kind, "".join(parts) if kind == "inlineStr" or parts else None, style))
            text = None
            inline = 0
        elif name == _X_VALUE or name == _X_TEXT:
            text = None
        elif name == _X_PHONETIC:
            phonetic = 0
        elif name == _X_ROW:
            done.append(values)

    def chars(data: str) -> None:
        if text is not None:
            text.append(data)

    def _value(kind: str | None, raw: str | None, style: str | None) -> Any:
        if kind == "inlineStr":
            return raw if inline else None
        if raw is None:
            return None
        if kind == "s":
            return strings[int(raw)]
        if kind == "n":
            number = _number(raw)
            if style and int(style) in dates:
                return from_excel(number)
            return number
        if kind == "b":
            return raw == "1"
        return raw  # "str" (a formula's text), "e" (an error such as #N/A), "d" (an ISO date)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    for block in iter(lambda: source.read(_BLOCK), b""):
        parser.Parse(block, False)
        yield from done
        done.clear()
    parser.Parse(b"", True)
    yield from done


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
