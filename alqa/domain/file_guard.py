"""The case guard over the text inside uploaded files (clause 1.2).

The text of PDF files (pypdf) and DOCX files (python-docx: paragraphs and tables) is checked for
ЕРДР and ИИН numbers as typed text is (alqa/domain/case_guard.py). What is found is never stored
or logged: the writer is told which file and what kind, with the number masked, and either removes
the file or confirms, as for typed text. Images are not read.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError

from alqa.domain.attachments import CheckedFile
from alqa.domain.case_guard import (
    CODE,
    CaseIdentifiersFound,
    Finding,
    describe,
    find_identifiers,
    is_blocking,
)

log = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Text beyond this many characters of one file is not read (a guard, not an indexer).
MAX_TEXT = 2_000_000


def file_text(checked: CheckedFile) -> str:
    """The text of a PDF or DOCX file; empty for images and for files that cannot be read."""
    try:
        if checked.content_type == PDF:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(checked.data))
            parts: list[str] = []
            size = 0
            for page in reader.pages:
                text = page.extract_text() or ""
                parts.append(text)
                size += len(text)
                if size > MAX_TEXT:
                    break
            return "\n".join(parts)
        if checked.content_type == DOCX:
            import docx

            document = docx.Document(io.BytesIO(checked.data))
            lines = [p.text for p in document.paragraphs]
            for table in document.tables:
                for row in table.rows:
                    lines.extend(cell.text for cell in row.cells)
            return "\n".join(lines)
    except Exception:  # noqa: BLE001 - a file that cannot be read is stored as it is, not refused
        log.info("the text of %s could not be read", checked.name)
    return ""


class FileIdentifiersFound(CaseIdentifiersFound):
    """A file whose text holds a case or personal number, not confirmed (or refused outright by
    the body's policy): the messages name the file and sit on the `files` field."""

    def __init__(self, findings: list[Finding], *, blocking: bool = False):
        self.findings = findings
        self.blocking = blocking
        messages = [
            ValidationError(describe(f, blocking=blocking, file=f.field), code=CODE) for f in findings
        ]
        ValidationError.__init__(self, {"files": messages})


def check_file_texts(files: Sequence[CheckedFile], *, confirmed: bool, body: Any) -> list[str]:
    """Refuses (FileIdentifiersFound) files whose text holds case or personal numbers unless
    `confirmed` — whatever it says when the `body`'s policy is blocking; returns what was
    confirmed, as "files: kind" entries for the audit event."""
    findings = find_identifiers({f.name: file_text(f) for f in files})
    if findings and is_blocking(body):
        raise FileIdentifiersFound(findings, blocking=True)
    if findings and not confirmed:
        raise FileIdentifiersFound(findings)
    return sorted({f"files: {finding.kind}" for finding in findings})
