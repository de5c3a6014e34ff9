"""Uploaded files: size and type checked by content, not by the name alone."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024

# extension -> (content type, check of the first bytes / whole content)
ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


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


def check_upload(upload: UploadedFile[Any], *, max_bytes: int = MAX_BYTES) -> CheckedFile:
    """Accept PDF, DOCX, PNG and JPEG up to `max_bytes`, whose content is what the extension says."""
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1][:200] or "file"
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
