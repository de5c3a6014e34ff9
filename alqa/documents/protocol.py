"""The protocol as documents: PDF (WeasyPrint) and DOCX (docxtpl), in Russian, in Kazakh, or both
side by side in two columns as the regulation itself is laid out.

Both are built from the same blocks: `blocks(content, language)` turns a revision's content (data:
codes, names and texts) into headings, paragraphs and lists in one language, with the labels of
that language. For "both", the Russian and the Kazakh blocks have the same structure and are laid
side by side, block by block. The signed PDF is PDF/A-2b with its fonts embedded (DejaVu, which
has every Kazakh letter); it is rendered once when the revision is signed and stored.

The Word template: `alqa/documents/templates/protocol.docx` by default; an administrator replaces
it per body by placing `protocol-templates/body-<id>.docx` under MEDIA_ROOT
(`replace_docx_template`). Its Jinja tags read `number`, `year`, `columns` (a list of
`{"ru": block, "kk": block}` pairs, or of single blocks under `ru` when one language) and
`signatures`.
"""

from __future__ import annotations

import gc
import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from alqa.dates import human_date
from alqa.enums import GuestKind, MeetingKind, OnlineGround, Role, Side, SignatureMethod, SignatureRole
from alqa.models import ProtocolRevision, ProtocolSignature

LANGUAGES = ("ru", "kk", "both")
DEFAULT_DOCX = Path(__file__).parent / "templates" / "protocol.docx"


@dataclass
class Block:
    """One part of the document: a heading, a paragraph, or a list of lines."""

    kind: str  # "title", "heading", "para", "list"
    text: str = ""
    items: list[str] = field(default_factory=list)


def _pick(item: dict[str, Any], key: str, language: str) -> str:
    """The text in `language`, else the other one (a question written in one language only)."""
    other = "ru" if language == "kk" else "kk"
    return item.get(f"{key}_{language}") or item.get(f"{key}_{other}") or ""


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value))


def blocks(
    content: dict[str, Any], language: str, signatures: list[dict[str, Any]] | None = None
) -> list[Block]:
    """The document's blocks in one language (see the module's docstring)."""
    with translation.override(language):
        out: list[Block] = []
        body = content["body"]
        body_name = body["name_kk"] if language == "kk" and body.get("name_kk") else body["name_ru"]
        out.append(Block("title", _("PROTOCOL No. %(number)s") % {"number": content["number"]}))
        out.append(
            Block(
                "para",
                _("%(kind)s meeting of the %(body)s")
                % {"kind": _label(MeetingKind, content["kind"]), "body": body_name},
            )
        )
        day = date.fromisoformat(content["date"])
        out.append(
            Block(
                "para",
                _("%(city)s, %(date)s, %(time)s")
                % {"city": body["city"], "date": human_date(day), "time": content["time"]},
            )
        )
        if content["format"] == "online":
            ground = _label(OnlineGround, content.get("online_ground") or "")
            note = content.get("online_ground_note") or ""
            out.append(
                Block("para", _("Held online. Ground: %(ground)s") % {"ground": f"{ground} {note}".strip()})
            )
        else:
            out.append(Block("para", _("Place: %(place)s") % {"place": content.get("place", "")}))
        if content.get("presiding"):
            out.append(Block("para", _("Presiding: %(name)s") % {"name": content["presiding"]["name"]}))
        if content.get("secretary"):
            out.append(Block("para", _("Secretary: %(name)s") % {"name": content["secretary"]["name"]}))
        for side in (Side.POLICE, Side.BAR):
            people = [m for m in content["members"] if m["side"] == side]
            present = [_member_line(m) for m in people if m["present"]]
            absent = [_member_line(m) for m in people if not m["present"]]
            out.append(Block("heading", _("Present, %(side)s side:") % {"side": _label(Side, side).lower()}))
            out.append(Block("list", items=present or ["—"]))
            out.append(Block("heading", _("Absent, %(side)s side:") % {"side": _label(Side, side).lower()}))
            out.append(Block("list", items=absent or ["—"]))
        out.append(Block("heading", _("Invited:")))
        out.append(
            Block(
                "list",
                items=[
                    ", ".join(
                        x for x in (g["name"], _label(GuestKind, g["kind"]), g.get("organisation", "")) if x
                    )
                    for g in content.get("invited", [])
                ]
                or ["—"],
            )
        )
        out.append(Block("para", _quorum_line(content["quorum"])))
        out.append(Block("heading", _("AGENDA:")))
        out.append(
            Block(
                "list", items=[f"{q['order']}. {_pick(q, 'title', language)}" for q in content["questions"]]
            )
        )
        for q in content["questions"]:
            out.append(Block("heading", f"{q['order']}. {_pick(q, 'title', language)}"))
            heard = _pick(q, "heard", language) or q.get("speaker", "")
            out.append(Block("para", _("HEARD: %(text)s") % {"text": heard or "—"}))
            discussion = _pick(q, "discussion", language)
            if discussion:
                out.append(Block("para", _("Discussion: %(text)s") % {"text": discussion}))
            if q["decisions"]:
                out.append(Block("heading", _("DECIDED:")))
                lines = []
                for d in q["decisions"]:
                    line = f"{q['order']}.{d['number']}. {_pick(d, 'text', language)}"
                    for ex in d["executors"]:
                        line += " " + _("Executor: %(name)s, due %(due)s.") % {
                            "name": ex["name"],
                            "due": human_date(date.fromisoformat(ex["due"])),
                        }
                    lines.append(line)
                out.append(Block("list", items=lines))
        out.append(Block("heading", _("Signatures:")))
        rows = []
        for s in signatures or []:
            rows.append(
                _("%(role)s: %(name)s — %(method)s, %(date)s")
                % {
                    "role": _label(SignatureRole, s["role"]),
                    "name": s["name"],
                    "method": _label(SignatureMethod, s["method"]),
                    "date": human_date(s["signed_on"]),
                }
            )
        if not rows:
            if content.get("presiding"):
                rows.append(_("Presiding: %(name)s") % {"name": content["presiding"]["name"]} + " ________")
            if content.get("secretary"):
                rows.append(_("Secretary: %(name)s") % {"name": content["secretary"]["name"]} + " ________")
        out.append(Block("list", items=rows))
        return out


def _member_line(m: dict[str, Any]) -> str:
    role = _label(Role, m["role"]) if m["role"] != Role.MEMBER else ""
    return ", ".join(x for x in (m["name"], role, m.get("position", "")) if x)


def _quorum_line(q: dict[str, Any]) -> str:
    names = {"police": _("police"), "bar": _("bar")}
    parts = [
        _("%(side)s: %(present)s of %(total)s present, needed %(required)s — %(state)s")
        % {
            "side": names[side],
            "present": count["present"],
            "total": count["total"],
            "required": count["required"],
            "state": _("met") if count["met"] else _("not met"),
        }
        for side, count in sorted(q["sides"].items(), key=lambda kv: kv[0] != "police")
    ]
    state = _("The quorum is met.") if q["met"] else _("The quorum is not met.")
    return _("Quorum: %(detail)s. %(state)s") % {"detail": "; ".join(parts), "state": state}


def _signature_rows(signatures: list[ProtocolSignature]) -> list[dict[str, Any]]:
    return [
        {"role": s.role, "name": s.member.full_name, "method": s.method, "signed_on": s.signed_on}
        for s in sorted(
            signatures,
            key=lambda s: (s.role != SignatureRole.PRESIDING, s.role != SignatureRole.SECRETARY, s.member_id),
        )
    ]


def columns(
    content: dict[str, Any], language: str, signatures: list[dict[str, Any]]
) -> list[dict[str, Block]]:
    """The blocks of the document as rows: one language (`ru` key only) or both side by side."""
    if language == "both":
        ru, kk = blocks(content, "ru", signatures), blocks(content, "kk", signatures)
        return [{"ru": a, "kk": b} for a, b in zip(ru, kk, strict=True)]
    return [{"ru": b} for b in blocks(content, language, signatures)]


@dataclass
class Line:
    """One row of the PDF: a title, heading, paragraph or list item, in Russian (`ru`, also the
    single language) and, side by side, in Kazakh (`kk`, empty when one language)."""

    kind: str  # "title", "heading", "para", "item"
    ru: str
    kk: str = ""


def lines(rows: list[dict[str, Block]]) -> list[Line]:
    """The rows of `columns` flattened for the PDF: a list gives one row per item, so each item
    stands beside its translation. The template makes the whole document one flat table with the
    text straight in its cells (bullets written as text, no list or paragraph elements):
    WeasyPrint lays out every element, list marker and table it is given, and this is where most
    of a long protocol's rendering time went (docs/performance.md).

    The texts come with their white space collapsed (`_collapsed`), so the template can set
    `white-space: pre-wrap`: the lines break at the same places and the pages look the same,
    and WeasyPrint skips a second Pango layout per line it makes for collapsible spaces."""
    out: list[Line] = []
    for row in rows:
        ru, kk = row["ru"], row.get("kk")
        if ru.kind == "list":
            kk_items = kk.items if kk is not None else []
            for i, item in enumerate(ru.items):
                out.append(Line("item", item, kk_items[i] if i < len(kk_items) else ""))
            for item in kk_items[len(ru.items) :]:
                out.append(Line("item", "", item))
        else:
            out.append(Line(ru.kind, ru.text, kk.text if kk is not None else ""))
    return [Line(line.kind, _collapsed(line.ru), _collapsed(line.kk)) for line in out]


# the white space CSS collapses under `white-space: normal` (a no-break space is not in it)
_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")


def _collapsed(text: str) -> str:
    """The text as `white-space: normal` shows it: runs of spaces, tabs and line breaks as one
    space, none at either end."""
    return _COLLAPSIBLE.sub(" ", text).strip(" ")


def document_html(
    content: dict[str, Any],
    *,
    language: str,
    signatures: list[dict[str, Any]] | None = None,
    content_hash: str = "",
) -> str:
    """The HTML WeasyPrint makes the PDF from (`render_pdf`)."""
    return render_to_string(
        "alqa/protocols/document.html",
        {
            "lines": lines(columns(content, language, signatures or [])),
            "both": language == "both",
            "language": "kk" if language == "kk" else "ru",
            "content_hash": content_hash,
            "number": content["number"],
            "year": content["year"],
        },
    )


def render_pdf(
    content: dict[str, Any],
    *,
    language: str,
    signatures: list[dict[str, Any]] | None = None,
    content_hash: str = "",
    pdf_a: bool = False,
) -> bytes:
    """The protocol as a PDF; `pdf_a` makes it PDF/A-2b (the signed copy)."""
    from weasyprint import HTML

    html = document_html(content, language=language, signatures=signatures, content_hash=content_hash)
    options: dict[str, Any] = {"pdf_variant": "pdf/a-2b"} if pdf_a else {}
    with _collector_paused():
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(**options)


_pause_lock = threading.Lock()
_pauses = 0  # renders under way with the collector paused (the worker renders in threads)
_collector_was_enabled = False


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while WeasyPrint lays out and paints: a long
    protocol makes hundreds of thousands of short-lived objects, and each collection they set off
    walked the process's whole heap (Django, WeasyPrint: about 200,000 objects), about a tenth of
    the render. Nearly all of them are freed by reference counting as the render goes, so the
    memory stays the same; the collector runs again when the last render in the process ends,
    and is left alone if it was already off."""
    global _pauses, _collector_was_enabled
    with _pause_lock:
        if _pauses == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _collector_was_enabled:
                gc.enable()


def render_signed_pdf(revision: ProtocolRevision, *, signatures: list[ProtocolSignature]) -> bytes:
    """The PDF stored with a signed revision: both languages side by side, PDF/A-2b, the text's
    SHA-256 and the signatures printed."""
    return render_pdf(
        revision.content,
        language="both",
        signatures=_signature_rows(signatures),
        content_hash=revision.content_hash,
        pdf_a=True,
    )


def render_text_pdf(revision: ProtocolRevision) -> bytes:
    """The text as a PDF for a qualified e-signature: both languages side by side, PDF/A-2b, the
    text's SHA-256 printed, no signatures (they are made over these bytes). Stored once per text
    (`ProtocolRevision.text_pdf`)."""
    return render_pdf(revision.content, language="both", content_hash=revision.content_hash, pdf_a=True)


def docx_template_path(body_id: int) -> Path:
    """The body's own Word template when an administrator placed one, else the default."""
    own = Path(settings.MEDIA_ROOT) / "protocol-templates" / f"body-{body_id}.docx"
    return own if own.exists() else DEFAULT_DOCX


def _sample() -> dict[str, Any]:
    """A small protocol to try a template on."""
    return {
        "body": {"name_ru": "Группа", "name_kk": "Топ", "city": "Алматы"},
        "number": 1,
        "year": 2026,
        "date": "2026-01-05",
        "time": "10:00",
        "kind": "regular",
        "format": "in_person",
        "place": "Зал",
        "presiding": {"member_id": 1, "name": "Председатель"},
        "secretary": {"member_id": 2, "name": "Секретарь"},
        "members": [],
        "invited": [],
        "quorum": {"rule": "each_side_majority", "met": False, "sides": {}, "overall": {}},
        "questions": [],
    }


def render_docx_from(template_bytes: bytes) -> bytes:
    """Renders the sample protocol with a template given as bytes: raises whatever the template's
    tags raise."""
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]

    template = DocxTemplate(io.BytesIO(template_bytes))
    return _fill(template, _sample(), "both", [], "")


def render_docx(
    content: dict[str, Any],
    *,
    language: str,
    body_id: int,
    signatures: list[dict[str, Any]] | None = None,
    content_hash: str = "",
) -> bytes:
    """The protocol as an editable Word document from the body's template."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(docx_template_path(body_id)))
    return _fill(template, content, language, signatures or [], content_hash)


def _fill(
    template: Any, content: dict[str, Any], language: str, signatures: list[dict[str, Any]], content_hash: str
) -> bytes:
    from docxtpl import RichText

    def rich(block: Block) -> RichText:
        if block.kind == "list":
            return RichText("\n".join(f"• {item}" for item in block.items))
        return RichText(block.text, bold=block.kind in ("title", "heading"))

    rows = columns(content, language, signatures)
    template.render(
        {
            "number": content["number"],
            "year": content["year"],
            "both": language == "both",
            "rows": [{k: rich(b) for k, b in row.items()} for row in rows],
            "content_hash": content_hash,
        },
        autoescape=True,
    )
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def signature_rows(revision: ProtocolRevision) -> list[dict[str, Any]]:
    """The valid signatures of a revision as the documents print them."""
    return _signature_rows(
        list(revision.signatures.filter(invalidated_at__isnull=True).select_related("member"))
    )


def document(revision: ProtocolRevision, *, fmt: str, language: str, body_id: int) -> tuple[bytes, str, str]:
    """A document of a revision: (bytes, content type, file name). The signed revision's PDF in
    both languages is the stored one, never rendered again; others are rendered on request."""
    protocol = revision.protocol
    name = f"protocol-{protocol.number}-{protocol.year}-r{revision.number}-{language}"
    if fmt == "docx":
        data = render_docx(
            revision.content,
            language=language,
            body_id=body_id,
            signatures=signature_rows(revision),
            content_hash=revision.content_hash,
        )
        return data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", f"{name}.docx"
    if revision.signed_at is not None and language == "both" and revision.pdf:
        return bytes(revision.pdf), "application/pdf", f"{name}.pdf"
    data = render_pdf(
        revision.content,
        language=language,
        signatures=signature_rows(revision),
        content_hash=revision.content_hash,
    )
    return data, "application/pdf", f"{name}.pdf"
