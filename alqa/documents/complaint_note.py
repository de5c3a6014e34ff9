"""The generalisation note as a PDF (WeasyPrint, as the print pack): the group's text in the
language asked for, the figures of the period and its charts as SVG, and the approval."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from alqa.models import ComplaintNote


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the note fetches nothing: {url}")


def render_note_pdf(note: ComplaintNote, *, figures: Any, language: str) -> bytes:
    """The note and `figures` (alqa.queries.complaints.Analytics of its period) as a PDF."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            "alqa/documents/complaint_note.html",
            {"note": note, "figures": figures, "language": language, "texts": note_texts(note, language)},
        )
    return bytes(HTML(string=html, url_fetcher=_no_fetch).write_pdf())


def note_texts(note: ComplaintNote, language: str) -> dict[str, str]:
    return {part: note.text(part, language) for part in ("title", "causes", "conclusions", "recommendations")}


def note_filename(note: ComplaintNote, language: str) -> str:
    return f"complaints-note-{note.period_from:%Y%m%d}-{note.period_to:%Y%m%d}-{language}.pdf"
