"""The control report of a period (clause 3.2: the report on execution heard at a meeting) as a
PDF (WeasyPrint, as the generalisation note): the figures of the assignments due in the period
and the list of them, in Russian or Kazakh."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the report fetches nothing: {url}")


def render_control_pdf(
    body: Any, *, listing: Any, figures: dict[str, int], period: tuple, language: str
) -> bytes:
    """`listing` (alqa.queries.execution.ControlList) of the assignments due in `period`."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            "alqa/documents/control_report.html",
            {
                "body": body,
                "listing": listing,
                "figures": figures,
                "start": period[0],
                "end": period[1],
                "language": language,
            },
        )
    return bytes(HTML(string=html, url_fetcher=_no_fetch).write_pdf())
