"""Files kept between a refused form and its next sending.

When a form with files is refused (a case or personal number in a file's text, another field
wrong), the files the writer chose are not lost: they are kept on the server under a random
token in a folder of the writer's own (`MEDIA_ROOT/held/<user id>/<token>/`, or
`held/link-<link id>/` for an executor writing through their personal link), the re-shown form
carries the token in a hidden field and names the files, and the next sending takes them again
with any new ones. Another user's token names no folder of theirs, so it finds nothing. Kept
files are temporary: they are removed once the form succeeds, and `purge` removes those older
than a day. Nothing here writes to the database.
"""

from __future__ import annotations

import mimetypes
import re
import secrets
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from alqa.models import ExecutorLink

TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")
MAX_AGE_SECONDS = 24 * 3600


def _owner(user: Any) -> str | None:
    """The folder of whom the files are kept for: a user's number, or `link-<number>` for an
    executor's personal link (an executor without an account writes through it)."""
    if user is None or getattr(user, "pk", None) is None:
        return None
    if isinstance(user, ExecutorLink):
        return f"link-{int(user.pk)}"
    return str(int(user.pk))


def _folder(token: str, user: Any) -> Path | None:
    owner = _owner(user)
    if not TOKEN.match(token or "") or owner is None:
        return None
    return Path(settings.MEDIA_ROOT) / "held" / owner / token


def _safe_name(name: str) -> str:
    name = Path(name).name.replace("\x00", "")
    return name[:200] or "file"


def hold(files: Sequence[UploadedFile[Any]], *, user: Any) -> str:
    """Keeps the files for the user; returns the token that names them ("" when none)."""
    if not files:
        return ""
    token = secrets.token_urlsafe(16)
    folder = _folder(token, user)
    assert folder is not None
    folder.mkdir(parents=True, exist_ok=True)
    for index, upload in enumerate(files):
        upload.seek(0)
        (folder / f"{index:02d}-{_safe_name(upload.name or 'file')}").write_bytes(upload.read())
        upload.seek(0)
    return token


def held(token: str, *, user: Any) -> list[SimpleUploadedFile]:
    """The files kept under the token for this user, as uploads again (none for a token that is
    not theirs, malformed or gone)."""
    folder = _folder(token, user)
    if folder is None or not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        name = path.name.split("-", 1)[1] if "-" in path.name else path.name
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        found.append(SimpleUploadedFile(name, path.read_bytes(), content_type=content_type))
    return found


def discard(token: str, *, user: Any) -> None:
    folder = _folder(token, user)
    if folder is not None and folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)


def purge(*, now: float | None = None) -> int:
    """Removes kept files older than a day (forms never sent again); returns how many folders."""
    root = Path(settings.MEDIA_ROOT) / "held"
    if not root.is_dir():
        return 0
    limit = (now or time.time()) - MAX_AGE_SECONDS
    removed = 0
    for folder in root.glob("*/*"):
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
