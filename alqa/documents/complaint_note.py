"""The generalisation note as a PDF (WeasyPrint, as the print pack) and as an editable Word
document (docxtpl, as the protocol): the group's text in the language asked for, the figures of
the period with its charts (SVG in the PDF; in Word a bar of blocks in each row of the table, so
the chart stays readable and editable without an image), and the approval.

The Word template is `alqa/documents/templates/complaint_note.docx`, written by
`scripts/make_note_docx_template.py`. Its tags read `body_name`, `title`, `period`, `labels`,
`summary` (lines), `charts` (each with `title` and `bars`: `label`, `count`, `satisfied`, `bar`),
`quarters` (`label`, `count`, `change`), `parts` (`heading`, `text`) and `approval`."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from alqa.dates import inflected_date, long_date
from alqa.models import ComplaintNote

DOCX_TEMPLATE = Path(__file__).parent / "templates" / "complaint_note.docx"
BAR_BLOCKS = 30  # the longest bar of a chart in the Word document, in blocks
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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


def note_filename(note: ComplaintNote, language: str, fmt: str = "pdf") -> str:
    return f"complaints-note-{note.period_from:%Y%m%d}-{note.period_to:%Y%m%d}-{language}.{fmt}"


def _days(value: float | None) -> str:
    return str(floatformat(value, 1)) if value is not None else "—"


def docx_context(note: ComplaintNote, *, figures: Any, language: str) -> dict[str, Any]:
    """What the Word template reads, in `language` (see the module's docstring)."""
    from docxtpl import RichText  # type: ignore[import-untyped]

    with translation.override(language):
        texts = note_texts(note, language)
        body = note.body
        approval = ""
        if note.approved_by_id and note.approved_at:
            approval = _("Approved by the chair %(name)s on %(day)s.") % {
                "name": note.approved_by.full_name if note.approved_by else "",
                "day": long_date(note.approved_at),
            }
        return {
            "body_name": body.name_kk if language == "kk" and body.name_kk else body.name_ru,
            "title": texts["title"],
            "period": _("Period: from %(start)s to %(end)s")
            % {
                "start": inflected_date(note.period_from, "ablative_bare"),
                "end": inflected_date(note.period_to, "dative"),
            },
            "labels": {
                "figures": _("Figures"),
                "complaints": _("Complaints"),
                "satisfied": _("Satisfied"),
                "quarters": _("By quarter"),
                "quarter": _("Quarter"),
                "change": _("Change on the quarter before"),
            },
            "summary": [
                f"{_('Complaints')}: {figures.total}",
                f"{_('Decided')}: {figures.decided}",
                f"{_('Satisfied in full or in part')}: {figures.satisfied} "
                f"({figures.satisfied_percent} {_('of those decided')})",
                f"{_('Violation found')}: {figures.violations}",
                f"{_('Days to decision, median')}: {_days(figures.median_days)}",
                f"{_('Days to decision, 90th percentile')}: {_days(figures.p90_days)}",
            ],
            "charts": [
                {
                    "title": str(chart.title),
                    "bars": [
                        {
                            "label": bar.label,
                            "count": bar.count,
                            "satisfied": bar.satisfied_percent,
                            "bar": "█" * max(round(BAR_BLOCKS * bar.share), 1 if bar.count else 0),
                        }
                        for bar in chart.bars
                    ],
                }
                for chart in figures.charts
            ],
            "quarters": [{"label": q.label, "count": q.count, "change": q.change} for q in figures.quarters],
            "parts": [
                {"heading": _("Main causes"), "text": RichText(texts["causes"])},
                {"heading": _("Conclusions"), "text": RichText(texts["conclusions"])},
                {"heading": _("Recommendations"), "text": RichText(texts["recommendations"])},
            ],
            "approval": approval,
        }


def render_note_docx(note: ComplaintNote, *, figures: Any, language: str) -> bytes:
    """The note and `figures` of its period as an editable Word document in `language`."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(DOCX_TEMPLATE))
    template.render(docx_context(note, figures=figures, language=language), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
