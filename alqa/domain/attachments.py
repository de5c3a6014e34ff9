"""Uploaded files of proposals and agenda items: size and type checked by content, not by the name
alone; stored with the record they belong to."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from alqa.domain.audit import record_event
from alqa.domain.meetings import add_agenda_item
from alqa.enums import MeetingStatus
from alqa.models import AgendaItem, Attachment, Body, Meeting, Proposal, User
from alqa.models.files import StoredFile

Stored = TypeVar("Stored", bound=StoredFile)

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
MAX_NAME = 200  # characters of a stored file's name, its extension included

# extension -> content type; _looks_like checks the content
ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
ACCEPTED_EXTENSIONS = tuple(ALLOWED)


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str
    data: bytes


def _looks_like(extension: str, data: bytes) -> bool:
    if extension == ".pdf":
        return data.startswith(b"%PDF-")
    if extension == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in (".jpg", ".jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if extension == ".docx":
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "word/document.xml" in archive.namelist()
        except zipfile.BadZipFile:
            return False
    return False


def file_name(uploaded_name: str | None) -> str:
    """The name a file is kept under: the last part of the uploaded path, at most MAX_NAME
    characters. A longer name loses the end of its stem, never its extension (which says what
    the file is)."""
    name = (uploaded_name or "").replace("\\", "/").rsplit("/", 1)[-1] or "file"
    if len(name) <= MAX_NAME:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) >= MAX_NAME // 2:  # no extension worth keeping
        return name[:MAX_NAME]
    return stem[: MAX_NAME - len(extension) - 1] + "." + extension


def check_upload(upload: UploadedFile[Any], *, max_bytes: int = MAX_BYTES) -> CheckedFile:
    """Accept PDF, DOCX, PNG and JPEG up to `max_bytes`, whose content is what the extension says."""
    name = file_name(upload.name)
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(
            _("%(name)s: only PDF, DOCX, PNG and JPEG files are accepted.") % {"name": name}, code="type"
        )
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB.") % {"name": name, "limit": max_bytes // (1024 * 1024)},
            code="size",
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB.") % {"name": name, "limit": max_bytes // (1024 * 1024)},
            code="size",
        )
    if not data:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    if not _looks_like(extension, data):
        raise ValidationError(
            _("%(name)s is not the kind of file its extension says.") % {"name": name}, code="content"
        )
    return CheckedFile(name, ALLOWED[extension], len(data), hashlib.sha256(data).hexdigest(), data)


def check_files(files: Sequence[UploadedFile[Any]]) -> list[CheckedFile]:
    """Every file checked (check_upload); all their faults together under `files`."""
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("Attach at most %(n)s files.") % {"n": MAX_FILES}})
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(check_upload(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"files": errors})
    return checked


def store_checked(kind: type[Stored], files: list[CheckedFile], **owner: Any) -> list[Stored]:
    """Saves checked files as rows of `kind` (a StoredFile: a proposal's or agenda item's
    attachment, a finding's or answer's file, a report's file) with `owner`: the body, what owns
    them, the uploader where the kind keeps one. Part of the caller's transaction, whose audit
    event names the files."""
    stored = []
    for f in files:
        row = kind(name=f.name, content_type=f.content_type, size=f.size, sha256=f.sha256, **owner)
        row.file.save(f.name, ContentFile(f.data), save=False)
        row.save()
        stored.append(row)
    return stored


def store_files(
    files: list[CheckedFile],
    *,
    body: Body,
    actor: User,
    proposal: Proposal | None = None,
    agenda_item: AgendaItem | None = None,
) -> list[Attachment]:
    """Saves checked files with their proposal or agenda item (submit_proposal, attach_files)."""
    return store_checked(
        Attachment, files, body=body, proposal=proposal, agenda_item=agenda_item, uploaded_by=actor
    )


def _store_on_item(item: AgendaItem, checked: list[CheckedFile], *, actor: User) -> list[Attachment]:
    meeting = item.meeting
    stored = store_files(checked, body=meeting.body, actor=actor, agenda_item=item)
    record_event(
        item,
        "agenda.files_attached",
        actor=actor,
        body=meeting.body,
        data={"meeting": meeting.pk, "files": [a.name for a in stored]},
    )
    return stored


def attach_files(item: AgendaItem, *, files: Sequence[UploadedFile[Any]], actor: User) -> list[Attachment]:
    """Effects: checks every file (type by content, size, how many) before anything is written;
    refuses on a cancelled meeting; saves the files with the agenda item and records
    `agenda.files_attached` with their names, in one transaction."""
    checked = check_files(files)
    if not checked:
        return []
    if item.meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    with transaction.atomic():
        return _store_on_item(item, checked, actor=actor)


def add_agenda_item_with_files(
    meeting: Meeting, *, actor: User, files: Sequence[UploadedFile[Any]] = (), **item: Any
) -> AgendaItem:
    """Effects: checks every file first (as attach_files); then, in one transaction, adds the item
    (add_agenda_item: its checks, the case guard with `identifiers_confirmed`, the approval
    withdrawn, `agenda.item_added`) and stores the files with it (`agenda.files_attached`).
    A refusal of either leaves nothing behind."""
    checked = check_files(files)
    with transaction.atomic():
        added = add_agenda_item(meeting, actor=actor, **item)
        if checked:
            _store_on_item(added, checked, actor=actor)
    return added
