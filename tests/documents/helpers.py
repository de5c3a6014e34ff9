"""Real files and meetings for the document tests: PDFs laid out by WeasyPrint, a PNG, a DOCX."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from alqa.enums import Side
from tests import helpers
from tests.conftest import make_member

ALMATY = ZoneInfo("Asia/Almaty")
# Far enough ahead to stay in the future; a Tuesday, 10:00 in Almaty.
FUTURE = datetime(2030, 3, 12, 10, 0, tzinfo=ALMATY)


def pdf_with_text(*lines: str, page: str = "A4", rotate: int = 0) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    body = "".join(f"<p>{line}</p>" for line in lines)
    html = f"<html><style>@page {{ size: {page} }}</style><body style='font-family: DejaVu Sans'>{body}</body></html>"
    pdf = HTML(string=html).write_pdf()
    if not rotate:
        return pdf
    writer = PdfWriter()
    for p in PdfReader(io.BytesIO(pdf)).pages:
        writer.add_page(p).rotate(rotate)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type)


def members(body, admin_user, *, police: int, bar: int, prefix: str = "m") -> list:
    made = [
        make_member(body, admin_user, email=f"{prefix}p{i}@alqa.test", name=f"Полицейский {prefix}{i}")
        for i in range(police)
    ]
    made += [
        make_member(
            body, admin_user, email=f"{prefix}b{i}@alqa.test", side=Side.BAR, name=f"Адвокат {prefix}{i}"
        )
        for i in range(bar)
    ]
    return made


def schedule(body, *, actor, presiding, **extra):
    """A meeting at FUTURE unless `extra` says otherwise (tests.helpers.schedule)."""
    return helpers.schedule(body, actor=actor, presiding=presiding, **({"starts_at": FUTURE} | extra))
