"""Import of complaints from XLSX and CSV files as exported by police statistics (issue #13.2).

The file is streamed, never loaded whole: CSV line by line, XLSX by expat over the sheet's XML
(alqa.domain.xlsx_stream). An import is all-or-nothing: the worker first checks every row (its progress visible on the
import's row), and only a file without a single error is then written, in one transaction, in
chunks (INSERTs, COPY on PostgreSQL), with one audit event for the whole file. The errors name the row and the
column and are kept as codes, so each reader reads them in their own language. A file is imported
once per body: its SHA-256 is kept, and a unique constraint refuses the same file again."""

from __future__ import annotations

import codecs
import csv
import hashlib
import pickle
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as default
from datetime import date, datetime, timedelta
from operator import itemgetter
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alqa.dates import long_date
from alqa.domain.audit import record_event
from alqa.domain.case_guard import find_identifiers
from alqa.domain.complaint_summary import add_counts
from alqa.domain.complaints import validate_complaint_values
from alqa.domain.errors import atomic_unique
from alqa.domain.xlsx_stream import BrokenWorkbook, xlsx_row_count, xlsx_rows
from alqa.enums import ComplaintArticle, ComplaintOutcome, ImportStatus, OfficialKind, Side
from alqa.models import Body, Complaint, ComplaintImport, ComplaintSubject, ImportMapping, Unit, User
from alqa.models.complaints import MEASURES_MAX

MAX_IMPORT_BYTES = 50 * 1024 * 1024
MAX_ERRORS = 100  # errors kept of one file; the count says how many more there were
CHUNK = 5000
PREVIEW_ROWS = 10
# A worker that has not reported for this long died: its import is taken up again.
STALE_AFTER = timedelta(minutes=10)

# The fields of a complaint a file provides, and whether each is required.
IMPORT_FIELDS = (
    ("article", True),
    ("filed_on", True),
    ("decided_on", False),
    ("unit", True),
    ("official", True),
    ("subject", True),
    ("outcome", True),
    ("violation_found", False),
    ("measures", False),
)
_LABELS = {
    "article": gettext_lazy("Article"),
    "filed_on": gettext_lazy("Filed on"),
    "decided_on": gettext_lazy("Decided on"),
    "unit": gettext_lazy("Unit complained of"),
    "official": gettext_lazy("Kind of official"),
    "subject": gettext_lazy("Subject"),
    "outcome": gettext_lazy("Outcome"),
    "violation_found": gettext_lazy("Violation found"),
    "measures": gettext_lazy("Measures taken"),
}
# Column headers recognised without a saved mapping (lower case), besides the labels above in
# every language.
_ALIASES = {
    "article": ("статья", "статья упк", "бап", "article"),
    "filed_on": ("дата подачи", "дата поступления", "берілген күні", "filed"),
    "decided_on": ("дата решения", "дата рассмотрения", "шешім күні", "decided"),
    "unit": ("подразделение", "орган", "бөлімше", "unit"),
    "official": ("должностное лицо", "лауазымды тұлға", "official"),
    "subject": ("предмет", "предмет обжалования", "предмет жалобы", "шағым нысанасы", "subject"),
    "outcome": ("результат", "результат рассмотрения", "нәтиже", "outcome"),
    "violation_found": ("нарушение", "выявлено нарушение", "бұзушылық", "violation"),
    "measures": ("меры", "принятые меры", "шаралар", "measures"),
}
# The words police statistics use for the kinds of official and the outcomes (lower case), besides
# the labels in every language.
_OFFICIAL_WORDS = {
    "следователь": "investigator",
    "тергеуші": "investigator",
    "дознаватель": "inquiry_officer",
    "анықтаушы": "inquiry_officer",
    "начальник": "head_of_unit",
    "начальник подразделения": "head_of_unit",
    "начальник органа": "head_of_unit",
    "бөлімше бастығы": "head_of_unit",
    "прокурор": "prosecutor",
}
_OUTCOME_WORDS = {
    "удовлетворена": "satisfied",
    "удовлетворено": "satisfied",
    "удовлетворена полностью": "satisfied",
    "толық қанағаттандырылды": "satisfied",
    "қанағаттандырылды": "satisfied",
    "удовлетворена частично": "partly_satisfied",
    "частично удовлетворена": "partly_satisfied",
    "ішінара қанағаттандырылды": "partly_satisfied",
    "отказано": "refused",
    "отказано в удовлетворении": "refused",
    "в удовлетворении отказано": "refused",
    "бас тартылды": "refused",
    "қанағаттандырудан бас тартылды": "refused",
    "оставлена без рассмотрения": "not_considered",
    "без рассмотрения": "not_considered",
    "қараусыз қалдырылды": "not_considered",
    "отозвана": "withdrawn",
    "кері қайтарып алынды": "withdrawn",
    "на рассмотрении": "pending",
    "не рассмотрена": "pending",
    "қаралуда": "pending",
}
_REQUIRED = tuple(name for name, required in IMPORT_FIELDS if required)
_ARTICLE_PREFIX = re.compile(r"^(ст\.?|статья|бап|art\.?)\s*")
_LONG_NUMBER = re.compile(r"\d{12}")
SUBJECT_OFF: Any = object()  # the parser's mark of a subject switched off in the classifier
_YES = {"да", "иә", "yes", "1", "true", "+", "y", "д"}
_NO = {"нет", "жоқ", "no", "0", "false", "-", "n", "", "н"}


def field_label(name: str) -> str:
    return str(_LABELS[name])


# --- reading files -------------------------------------------------------------------------


class UnreadableFile(Exception):
    pass


def _kind(name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    return {".xlsx": "xlsx", ".csv": "csv"}.get(suffix, "")


def _lines(handle: IO[bytes], encoding: str) -> Iterator[str]:
    """The file's lines, decoded in blocks of 1 MB (the line ends kept, as csv wants them)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    rest = ""
    for block in iter(lambda: handle.read(1 << 20), b""):
        lines = (rest + decoder.decode(block)).split("\n")
        rest = lines.pop()
        for line in lines:
            yield line + "\n"
    rest += decoder.decode(b"", final=True)
    if rest:
        yield rest


def _csv_rows(handle: IO[bytes]) -> Iterator[list[Any]]:
    head = handle.read(4096)
    handle.seek(0)
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not a character cut at the end of the sample
            encoding = "cp1251"
    sample = head.decode(encoding, errors="ignore")
    delimiter = max(";,\t", key=sample.split("\n", 1)[0].count)
    if "\r" in sample and "\n" not in sample:  # old Mac line ends: read line by line
        lines: Iterator[str] = codecs.getreader(encoding)(handle)
    else:
        lines = _lines(handle, encoding)
    try:
        yield from csv.reader(lines, delimiter=delimiter)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UnreadableFile from exc


def _xlsx_rows(handle: IO[bytes]) -> Iterator[list[Any]]:
    try:
        yield from xlsx_rows(handle)
    except BrokenWorkbook as exc:
        raise UnreadableFile from exc


def read_rows(handle: IO[bytes], name: str) -> Iterator[list[Any]]:
    """The file's rows, the header first, streamed. Raises UnreadableFile."""
    kind = _kind(name)
    if kind == "csv":
        return _csv_rows(handle)
    if kind == "xlsx":
        return _xlsx_rows(handle)
    raise UnreadableFile


def _estimate_rows(handle: IO[bytes], name: str) -> int:
    """How many data rows the file holds, without parsing it: lines of a CSV, the sheet's
    declared size of an XLSX (0 when unknown)."""
    if _kind(name) == "csv":
        count = 0
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
        handle.seek(0)
        return max(count - 1, 0)
    rows = xlsx_row_count(handle)
    handle.seek(0)
    return max(rows - 1, 0)


def _text(value: Any) -> str:
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def preview(job: ComplaintImport) -> tuple[list[str], list[list[str]]]:
    """The file's headers and its first rows as text."""
    with job.file.open("rb") as handle:
        try:
            rows = read_rows(handle, job.file_name)
            headers = [_text(h) for h in next(rows, [])]
            body = [[_text(v) for v in row] for _, row in zip(range(PREVIEW_ROWS), rows, strict=False)]
        except UnreadableFile:
            return [], []
    return headers, body


def guess_columns(headers: list[str], saved: dict[str, str]) -> dict[str, str]:
    """The mapping to offer: the source's saved one where its columns are still in the file, else
    the header that names the field (in any language)."""
    present = set(headers)
    result = {f: c for f, c in saved.items() if c in present}
    lowered = {h.lower().strip(): h for h in headers}
    for name, _required in IMPORT_FIELDS:
        if name in result:
            continue
        names = set(_ALIASES[name])
        for language in ("ru", "kk", "en"):
            with translation.override(language):
                names.add(str(_LABELS[name]).lower())
        for candidate in names:
            if candidate in lowered:
                result[name] = lowered[candidate]
                break
    return result


# --- errors ----------------------------------------------------------------------------------


def _messages() -> dict[str, str]:
    return {
        "missing_column": _("The file has no column “%(column)s” (chosen for “%(field)s”)."),
        "required": _("The cell is empty; “%(field)s” is required."),
        "bad_date": _("Not a date: write it as 31.12.2025 or 2025-12-31."),
        "future_date": _("The date is in the future."),
        "decided_before_filed": _("The complaint is decided before it was filed."),
        "decided_without_date": _("The outcome is given, but not the date of the decision."),
        "pending_with_date": _("The date of the decision is given, but the outcome says “not yet decided”."),
        "unknown_unit": _("No police unit of this body has this name."),
        "unknown_subject": _("The body's classifier has no such subject."),
        "subject_off_meanwhile": _(
            "While the file was being checked, subjects it names were switched off in the "
            "classifier: %(subject)s. Nothing was imported; send the file again."
        ),
        "subject_off": _(
            "The subject “%(subject)s” is switched off in the classifier: new complaints are not "
            "filed under it. Choose another subject, or ask the chair to switch it on again."
        ),
        "unknown_official": _(
            "Not a kind of official: investigator, inquiry officer, head of unit or prosecutor."
        ),
        "unknown_outcome": _("Not an outcome of the list."),
        "unknown_article": _("The article must be 105 or 106."),
        "bad_flag": _("Write yes or no."),
        "too_long": _("The text is longer than %(max)s characters."),
        "case_identifiers": _(
            "The cell holds a number like a ИИН or a case number; complaints are kept without "
            "personal data (clause 1.2). Remove it from the file."
        ),
        "unreadable": _("The file cannot be read as XLSX or CSV; it may be damaged or incomplete."),
        "empty": _("The file holds no rows of complaints."),
        "more_errors": _("… and %(count)s more errors."),
    }


def error_text(error: dict[str, Any]) -> str:
    """One stored error in the current language: "Row 12, column “Дата подачи”: …"."""
    message = _messages().get(error.get("code", ""), error.get("code", ""))
    params = {"field": field_label(error["field"]) if error.get("field") in _LABELS else ""}
    params |= error.get("params", {})
    text = message % params if "%(" in message else message
    if error.get("row") and error.get("column"):
        return _("Row %(row)s, column “%(column)s”: %(text)s") % {
            "row": error["row"],
            "column": error["column"],
            "text": text,
        }
    if error.get("row"):
        return _("Row %(row)s: %(text)s") % {"row": error["row"], "text": text}
    return str(text)


# --- parsing rows ----------------------------------------------------------------------------


def _lookup(choices: list[tuple[Any, Any]], extra: dict[str, str] | None = None) -> dict[str, str]:
    """Value → stored value, from the stored values and their labels in every language."""
    table = {str(value).lower(): value for value, _label in choices}
    for language in ("ru", "kk", "en"):
        with translation.override(language):
            for value, label in choices:
                table[str(label).lower()] = value
    return table | (extra or {})


_FIELD_ORDER = tuple(name for name, _required in IMPORT_FIELDS)
_REQUIRED_AT = tuple(i for i, (_name, required) in enumerate(IMPORT_FIELDS) if required)
_MISSING = object()
_MEMO_MAX = 10_000  # distinct cell texts remembered per column (a file's values repeat)


class RowParser:
    """Turns one file row into the values of a complaint, or the errors of its cells.

    Runs once per row of files of a million rows, so it works on lists in the fixed order of
    IMPORT_FIELDS, and remembers what each distinct cell text of a column meant (a date parsed, a
    unit or outcome found): a file's values repeat, and each is worked out once. Every cell is
    still checked on every row: the memo holds the answer of the same check on the same text."""

    def __init__(self, body: Body, columns: dict[str, str], headers: list[str], today: date):
        self.today = today
        self.body_id = body.pk
        self.columns = columns
        self.positions = [
            headers.index(columns[name]) if columns.get(name) in headers else -1 for name in _FIELD_ORDER
        ]
        self.width = max(self.positions) + 1
        self.units: dict[str, int] = {}
        for pk, ru, kk in Unit.objects.filter(body=body, side=Side.POLICE).values_list(
            "pk", "name_ru", "name_kk"
        ):
            self.units[ru.lower().strip()] = pk
            if kk:
                self.units[kk.lower().strip()] = pk
        # A subject switched off is known by its names, and refused by a code of its own: the
        # file names a subject the classifier no longer takes for new complaints.
        self.subjects: dict[str, Any] = {}
        for pk, code, ru, kk, active in ComplaintSubject.objects.filter(body=body).values_list(
            "pk", "code", "name_ru", "name_kk", "is_active"
        ):
            value = pk if active else SUBJECT_OFF
            self.subjects[code.lower()] = value
            self.subjects[ru.lower().strip()] = value
            if kk:
                self.subjects[kk.lower().strip()] = value
        self.officials = _lookup(OfficialKind.choices, _OFFICIAL_WORDS)
        self.outcomes = _lookup(ComplaintOutcome.choices, _OUTCOME_WORDS)
        self.articles = {"105": "105", "106": "106"}
        self.articles |= _lookup(ComplaintArticle.choices)
        self.dates: dict[str, tuple[date, str] | str] = {}
        self.day_texts: dict[date, str] = {}
        # (position in IMPORT_FIELDS, field, table, error code); the memo: cell text → value
        self.lookups: tuple[tuple[int, str, dict[str, Any], str, dict[str, Any]], ...] = (
            (0, "article", self.articles, "unknown_article", {}),
            (3, "unit", self.units, "unknown_unit", {}),
            (5, "subject", self.subjects, "unknown_subject", {}),
            (4, "official", self.officials, "unknown_official", {}),
            (6, "outcome", self.outcomes, "unknown_outcome", {}),
        )
        self.flags: dict[str, bool | None] = {}
        self.combinations: dict[tuple[str, ...], tuple[Any, ...]] = {}  # the five texts → values
        self.used_subjects: set[int] = set()  # of the rows found valid: checked again when written
        # The valid rows counted by the summaries' keys (alqa.domain.complaint_summary._specs, after
        # the body): what the analytics gain once the rows are written, tallied here so that the
        # rows are not read again. ComplaintSummary: month, article, unit, subject, outcome, kind
        # of official, violation found; ComplaintDays: month, article, outcome, kind of official,
        # violation found, days from filing to decision.
        self.counts: dict[tuple[Any, ...], int] = {}
        self.days: dict[tuple[Any, ...], int] = {}
        self.months: dict[date, str] = {}

    def _date(self, cell: Any, text: str) -> tuple[date, str] | None | str:
        """The cell's date and its ISO text (what the database is given), None when empty, or
        "bad_date"."""
        if cell.__class__ is str:
            if not text:
                return None
            known = self.dates.get(text)
            if known is not None:
                return known
        elif cell is None:
            return None
        elif isinstance(cell, date):
            day = cell.date() if isinstance(cell, datetime) else cell
            iso = self.day_texts.get(day)
            if iso is None:
                iso = self.day_texts[day] = day.isoformat()
            return day, iso
        elif not text:
            return None
        parsed: tuple[date, str] | str = "bad_date"
        for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y"):
            try:
                day = datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
            except ValueError:
                continue
            parsed = (day, day.isoformat())
            break
        if len(self.dates) < 100_000:  # a file's dates repeat: each is parsed once
            self.dates[text] = parsed
        return parsed

    def _error(self, errors: list[dict[str, Any]], number: int, field: str, code: str, **params: Any) -> None:
        errors.append(
            {
                "row": number,
                "column": self.columns.get(field, ""),
                "field": field,
                "code": code,
                "params": params,
            }
        )

    def _found(self, table: dict[str, Any], text: str, name: str) -> Any:
        value = table.get(text.lower())
        if value is None and name == "article":
            value = table.get(_ARTICLE_PREFIX.sub("", text.lower()))
        return value

    def parse(self, row: list[Any], number: int) -> tuple[tuple[Any, ...] | None, list[dict[str, Any]]]:
        """The row's values in the order of the register's columns (the dates as ISO text), or
        its errors."""
        errors: list[dict[str, Any]] = []
        error = self._error
        size = len(row)
        if size >= self.width:
            cells = [row[i] if i >= 0 else None for i in self.positions]
        else:
            cells = [row[i] if 0 <= i < size else None for i in self.positions]
        texts = [c.strip() if c.__class__ is str else _text(c) for c in cells]
        if _LONG_NUMBER.search("\x00".join(texts)):  # only then look closer
            looked = {
                name: text
                for name, text, cell, at in zip(_FIELD_ORDER, texts, cells, self.positions, strict=True)
                if at >= 0 and not isinstance(cell, date)
            }
            for finding in find_identifiers(looked):
                if not any(e["field"] == finding.field for e in errors):
                    error(errors, number, finding.field, "case_identifiers")
            if errors:
                return None, errors
        for at in _REQUIRED_AT:
            if not texts[at]:
                error(errors, number, _FIELD_ORDER[at], "required")
        dates: list[tuple[date, str] | None] = []
        for at, name in ((1, "filed_on"), (2, "decided_on")):
            parsed: Any = self._date(cells[at], texts[at])
            if parsed.__class__ is str:
                error(errors, number, name, "bad_date")
                parsed = None
            elif parsed is not None and parsed[0] > self.today:
                error(errors, number, name, "future_date")
                parsed = None
            dates.append(parsed)
        # The five looked-up cells of a row come in few combinations: a combination found good
        # once is good again (the same lookups of the same texts); any other goes cell by cell.
        combination = (texts[0], texts[3], texts[5], texts[4], texts[6])
        found = self.combinations.get(combination)
        if found is None:
            before = len(errors)
            values: list[Any] = []
            for at, name, table, code, memo in self.lookups:
                text = texts[at]
                value = memo.get(text, _MISSING)
                if value is _MISSING:
                    value = self._found(table, text, name)
                    if len(memo) < _MEMO_MAX:
                        memo[text] = value
                if value is None:
                    if text:
                        error(errors, number, name, code)
                elif value is SUBJECT_OFF:
                    error(errors, number, name, "subject_off", subject=text)
                    value = None
                values.append(value)
            found = tuple(values)
            if len(errors) == before and None not in found and len(self.combinations) < _MEMO_MAX:
                self.combinations[combination] = found
        flag = texts[7]
        violation = self.flags.get(flag)
        if violation is None:
            lowered = flag.lower()
            violation = True if lowered in _YES else False if lowered in _NO else None
            if len(self.flags) < _MEMO_MAX:
                self.flags[flag] = violation
            if violation is None:
                error(errors, number, "violation_found", "bad_flag")
        measures = texts[8]
        if len(measures) > MEASURES_MAX:
            error(errors, number, "measures", "too_long", max=MEASURES_MAX)
        if errors:
            return None, errors
        filed, decided = dates
        article, unit, subject, official, outcome = found
        rules = validate_complaint_values(
            body_id=self.body_id,
            filed_on=filed[0] if filed else None,
            decided_on=decided[0] if decided else None,
            outcome=outcome,
            today=self.today,
        )
        if rules:
            if "decided_on" in rules and decided is None:
                error(errors, number, "decided_on", "decided_without_date")
            elif "decided_on" in rules:
                error(errors, number, "decided_on", "decided_before_filed")
            if "outcome" in rules:
                error(errors, number, "outcome", "pending_with_date")
            if errors:
                return None, errors
        self.used_subjects.add(subject)
        if filed is not None:  # always, a required field: the row's counts in the summaries
            day = filed[0]
            month = self.months.get(day)
            if month is None:
                month = self.months[day] = day.replace(day=1).isoformat()
            counted = (month, article, unit, subject, outcome, official, violation)
            self.counts[counted] = self.counts.get(counted, 0) + 1
            if decided is not None:
                histogram = (month, article, outcome, official, violation, (decided[0] - day).days)
                self.days[histogram] = self.days.get(histogram, 0) + 1
        return (
            article,
            filed[1] if filed else None,
            decided[1] if decided else None,
            unit,
            official,
            subject,
            outcome,
            violation,
            measures,
        ), []


# --- the import's steps ----------------------------------------------------------------------


def receive_import(*, body: Body, actor: User, upload: UploadedFile[Any], source: str) -> ComplaintImport:
    """Effects: checks the file's size, kind and digest; stores it; creates the import waiting for
    its column mapping; records `complaint_import.uploaded`. The same file sent again while its
    first copy waits for the mapping answers that import; a file imported before is refused."""
    source = (source or "").strip()
    name = PurePath(upload.name or "").name[:255]
    if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB; files of up to %(max)s MB are imported.")
                % {"size": round(upload.size / (1024 * 1024)), "max": MAX_IMPORT_BYTES // (1024 * 1024)}
            }
        )
    if not _kind(name):
        raise ValidationError({"file": _("Send an XLSX or a CSV file.")})
    if not source:
        raise ValidationError({"source": _("This field is required.")})
    digest = hashlib.sha256()
    for block in upload.chunks():
        digest.update(block)
    sha = digest.hexdigest()
    upload.seek(0)
    try:
        header = next(read_rows(upload.file, name), None) if upload.file is not None else None
    except UnreadableFile:
        header = None
    upload.seek(0)
    if not header or not any(_text(h) for h in header):
        raise ValidationError({"file": _messages()["unreadable"]})
    earlier = ComplaintImport.objects.filter(
        body=body,
        sha256=sha,
        status__in=[ImportStatus.UPLOADED, ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.DONE],
    ).first()
    if earlier is not None:
        if earlier.status == ImportStatus.UPLOADED:
            return earlier
        raise ValidationError({"file": _already(earlier)})
    with atomic_unique("file", _("This file is already being imported.")):
        job = ComplaintImport(
            body=body, actor=actor, file_name=name, sha256=sha, size=upload.size or 0, source=source
        )
        job.file.save(name, upload, save=False)
        job.save()
        record_event(
            job,
            "complaint_import.uploaded",
            actor=actor,
            body=body,
            data={"file": name, "sha256": sha, "size": job.size, "source": source},
        )
    return job


def _already(earlier: ComplaintImport) -> str:
    if earlier.status == ImportStatus.DONE:
        return _("This file was imported on %(day)s (%(rows)s rows); it is not imported again.") % {
            "day": long_date(timezone.localdate(earlier.finished_at or earlier.created_at)),
            "rows": earlier.rows_done,
        }
    return _("This file is already being imported.")


def saved_columns(body: Body, source: str) -> dict[str, str]:
    mapping = ImportMapping.objects.filter(body=body, source=source).first()
    return dict(mapping.columns) if mapping else {}


def start_import(job: ComplaintImport, *, actor: User, columns: dict[str, str], headers: list[str]) -> bool:
    """Effects: checks the mapping (every required field has a column of the file); saves it as
    the source's; queues the import; records `complaint_import.queued`. Returns whether it was
    queued now (False: it had been already — the worker is not asked twice)."""
    errors = {}
    for name, required in IMPORT_FIELDS:
        column = columns.get(name, "")
        if required and not column:
            errors[name] = _("Choose the column that holds this field.")
        elif column and column not in headers:
            errors[name] = _("The file has no such column.")
    if errors:
        raise ValidationError(errors)
    columns = {k: v for k, v in columns.items() if v and k in _LABELS}
    with transaction.atomic():
        queued = ComplaintImport.objects.filter(pk=job.pk, status=ImportStatus.UPLOADED).update(
            status=ImportStatus.QUEUED, columns=columns
        )
        if not queued:
            return False
        mapping, created = ImportMapping.objects.select_for_update().get_or_create(
            body=job.body, source=job.source, defaults={"columns": columns}
        )
        if not created and mapping.columns != columns:
            mapping.columns = columns
            mapping.save(update_fields=["columns", "updated_at"])
        record_event(
            job,
            "complaint_import.queued",
            actor=actor,
            body=job.body,
            data={"file": job.file_name, "source": job.source, "columns": columns},
        )
    job.refresh_from_db()
    return True


def _claim(job_id: int) -> ComplaintImport | None:
    now = timezone.now()
    claimed = ComplaintImport.objects.filter(
        Q(status=ImportStatus.QUEUED) | Q(status=ImportStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER),
        pk=job_id,
    ).update(status=ImportStatus.RUNNING, heartbeat_at=now, rows_done=0)
    if not claimed:
        return None
    return ComplaintImport.objects.select_related("body", "actor").get(pk=job_id)


def _progress(job: ComplaintImport, done: int) -> None:
    """The worker's progress on the import's row (read by the page that polls it). Not audited:
    it is the job's own bookkeeping, not a change of the register; the register's change is
    audited when it lands."""
    ComplaintImport.objects.filter(pk=job.pk).update(rows_done=done, heartbeat_at=timezone.now())


def _checked_rows(
    job: ComplaintImport, handle: IO[bytes], today: date, tally: _Tally
) -> Iterator[tuple[int, tuple[Any, ...] | None, list[dict[str, Any]]]]:
    rows = read_rows(handle, job.file_name)
    headers = [_text(h) for h in next(rows, [])]
    missing = [(f, c) for f, c in job.columns.items() if c not in headers]
    if missing:
        for field, column in missing:
            yield (
                1,
                None,
                [
                    {
                        "row": 1,
                        "column": column,
                        "field": field,
                        "code": "missing_column",
                        "params": {"column": column},
                    }
                ],
            )
        return
    parser = RowParser(job.body, job.columns, headers, today)
    parser.used_subjects = tally.subjects
    parser.counts = tally.counts
    parser.days = tally.days
    for number, row in enumerate(rows, start=2):
        if not any(row) and all(v is None or v == "" for v in row):
            continue  # blank lines between and after the rows (any() in C first: a 0 is not blank)
        values, errors = parser.parse(row, number)
        yield number, values, errors


@dataclass
class _Tally:
    """What the check of the rows hands to their writing besides the rows: the subjects they
    name (checked again under the body's lock) and their counts by the summaries' keys."""

    subjects: set[int] = default(default_factory=set)
    counts: dict[tuple[Any, ...], int] = default(default_factory=dict)
    days: dict[tuple[Any, ...], int] = default(default_factory=dict)


def _drop_file(job: ComplaintImport) -> None:
    """The stored file goes once the import has finished: the register keeps no copy of it."""
    if job.file:
        job.file.delete(save=False)
    ComplaintImport.objects.filter(pk=job.pk).update(file="")


def _finish_refused(job: ComplaintImport, errors: list[dict[str, Any]], extra: int, checked: int) -> None:
    if extra:
        errors.append({"code": "more_errors", "params": {"count": extra}})
    with transaction.atomic():
        ComplaintImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, errors=errors, rows_done=checked, finished_at=timezone.now()
        )
        record_event(
            job,
            "complaint_import.refused",
            actor=job.actor,
            body=job.body,
            data={"file": job.file_name, "errors": len(errors) - bool(extra) + extra},
        )
    _drop_file(job)


_COLUMNS = (
    "body_id",
    "article",
    "filed_on",
    "decided_on",
    "unit_id",
    "official",
    "subject_id",
    "outcome",
    "violation_found",
    "measures",
    "source",
    "imported_id",
    "created_at",
)


def run_import(job_id: int) -> ComplaintImport | None:
    """The worker's part. Effects, in order: claims the queued import (or one whose worker died);
    checks every row, reporting progress, and keeps the checked rows in a temporary file (chunks
    of pickled tuples: memory holds one chunk); with any error, marks it refused with the errors
    (by row and column) and records `complaint_import.refused`, nothing imported; without, inserts
    every row in one transaction (chunks of INSERTs; COPY on PostgreSQL), adds them to the analytics'
    summaries in the same transaction, marks it done and records one
    `complaints.imported` event naming the file, the count and a digest of the rows. The stored file is removed at
    the end either way (the register keeps no copy of what it was given)."""
    job = _claim(job_id)
    if job is None:
        return None
    today = timezone.localdate()
    with tempfile.TemporaryFile() as spill:
        try:
            with job.file.open("rb") as handle:
                total = _estimate_rows(handle, job.file_name)
                ComplaintImport.objects.filter(pk=job.pk).update(rows_total=total)
                errors: list[dict[str, Any]] = []
                tally = _Tally()
                extra = checked = 0
                batch: list[tuple[Any, ...]] = []
                digest = hashlib.sha256()  # of the rows as checked, in order: what the register receives
                for checked, (_number, values, row_errors) in enumerate(
                    _checked_rows(job, handle, today, tally), start=1
                ):
                    for e in row_errors:
                        if len(errors) < MAX_ERRORS:
                            errors.append(e)
                        else:
                            extra += 1
                    if not errors and values is not None:
                        batch.append(values)
                        if len(batch) >= CHUNK:
                            _spill(spill, batch, digest)
                            batch = []
                    if checked % CHUNK == 0:
                        _progress(job, checked)
                if batch and not errors:
                    _spill(spill, batch, digest)
        except UnreadableFile:
            _finish_refused(job, [{"code": "unreadable"}], 0, 0)
            job.refresh_from_db()
            return job
        if errors or not checked:
            _finish_refused(job, errors or [{"code": "empty"}], extra, checked)
            job.refresh_from_db()
            return job
        spill.seek(0)
        _progress(job, 0)
        try:
            _insert(job, spill, digest.hexdigest(), tally)
        except _SubjectsSwitchedOff as exc:
            _finish_refused(
                job, [{"code": "subject_off_meanwhile", "params": {"subject": exc.names}}], 0, checked
            )
            job.refresh_from_db()
            return job
    _drop_file(job)
    job.refresh_from_db()
    return job


def _spill(spill: IO[bytes], batch: list[tuple[Any, ...]], digest: Any) -> None:
    data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
    digest.update(data)
    spill.write(data)


class _SubjectsSwitchedOff(Exception):
    def __init__(self, names: str):
        super().__init__(names)
        self.names = names


def _insert(job: ComplaintImport, spill: IO[bytes], rows_sha256: str, tally: _Tally) -> int:
    """The checked rows into the register, in one transaction under the body's lock; the import
    marked done and audited in the same transaction. A subject of the rows switched off since
    they were checked (`switch_subject` takes the same lock) refuses the whole file: raises
    _SubjectsSwitchedOff, nothing written. The dates come as ISO text and the time of
    the import is adapted once: the database driver converts nothing row by row."""
    table = connection.ops.quote_name(Complaint._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    marks = ", ".join(["%s"] * len(_COLUMNS))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    head = (job.body_id,)
    now = timezone.now()
    postgresql = connection.vendor == "postgresql"
    tail = (
        job.source,
        job.pk,
        now.isoformat() if postgresql else connection.ops.adapt_datetimefield_value(now),
    )
    count = 0
    with transaction.atomic():
        Body.objects.select_for_update(no_key=True).filter(pk=job.body_id).values_list(
            "pk", flat=True
        ).first()
        off = ComplaintSubject.objects.filter(pk__in=tally.subjects, is_active=False).order_by(
            "position", "name_ru"
        )
        if off:
            raise _SubjectsSwitchedOff(", ".join(s.name_ru for s in off))
        with connection.cursor() as cursor, _sqlite_cache(cursor):
            if postgresql:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for chunk in _chunks(spill):
                        copy.write(_copy_text(chunk, head, tail))
                        count += len(chunk)
            else:
                for chunk in _chunks(spill):
                    rows = [head + values + tail for values in chunk]
                    rows.sort(key=_FILED_ON)  # neighbouring index entries: fewer pages touched
                    cursor.executemany(sql, rows)
                    count += len(chunk)
        add_counts(job.body_id, tally.counts, tally.days)  # the analytics' summaries, from the tally
        ComplaintImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.DONE, rows_done=count, rows_total=count, finished_at=timezone.now(), errors=[]
        )
        record_event(
            job,
            "complaints.imported",
            actor=job.actor,
            body=job.body,
            data={
                "file": job.file_name,
                "sha256": job.sha256,
                "rows": count,
                "rows_sha256": rows_sha256,
                "source": job.source,
            },
        )
    return count


_FILED_ON = itemgetter(_COLUMNS.index("filed_on"))
SQLITE_IMPORT_CACHE_KB = 64 * 1024


@contextmanager
def _sqlite_cache(cursor: Any) -> Iterator[None]:
    """SQLite: a page cache of 64 MB while the rows go in (with the default 2 MB the inserts into
    the table's indexes read their pages again and again: the import ran at half the speed when it
    was measured, with the wider indexes of before the summaries); the connection's own size again
    afterwards. Nothing on PostgreSQL."""
    if connection.vendor != "sqlite":
        yield
        return
    cursor.execute("PRAGMA cache_size")
    previous = int(cursor.fetchone()[0])
    cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {previous}")


def _chunks(spill: IO[bytes]) -> Iterator[list[tuple[Any, ...]]]:
    while True:
        try:
            yield pickle.load(spill)  # noqa: S301 (our own file, written just before)
        except EOFError:
            return


_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _copy_field(value: Any) -> str:
    """One value in COPY's text format: NULL as \\N, a flag as t or f, text with its backslashes,
    tabs and line ends escaped."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    text = str(value)
    return _COPY_SPECIAL.sub(lambda m: _COPY_ESCAPES[m.group()], text) if _COPY_SPECIAL.search(text) else text


def _copy_text(chunk: list[tuple[Any, ...]], head: tuple[Any, ...], tail: tuple[Any, ...]) -> str:
    """PostgreSQL: a chunk of checked rows as the text COPY reads (one line a row, tab-separated),
    the import's own columns before and after. The article, the kind of official and the outcome
    are stored values of fixed lists, the unit and the subject numbers, the dates ISO text: only
    the measures (free text) may need escaping."""
    before = "\t".join(_copy_field(v) for v in head) + "\t"
    after = "\t" + "\t".join(_copy_field(v) for v in tail) + "\n"
    special = _COPY_SPECIAL.search
    null = "\\N"
    lines = []
    for article, filed, decided, unit, official, subject, outcome, violation, measures in chunk:
        if special(measures):
            measures = _copy_field(measures)
        flag = "t" if violation else "f"
        lines.append(
            f"{before}{article}\t{filed}\t{decided or null}\t{unit}\t{official}\t{subject}\t{outcome}\t"
            f"{flag}\t{measures}{after}"
        )
    return "".join(lines)


def stale_imports() -> list[int]:
    """Imports whose worker died mid-way (no sign of life for STALE_AFTER): to be taken up again."""
    limit = timezone.now() - STALE_AFTER
    return list(
        ComplaintImport.objects.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=limit).values_list(
            "pk", flat=True
        )
    )
