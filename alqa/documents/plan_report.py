"""The period report of a work plan as a PDF (WeasyPrint, as the complaints note): the plan, each
item with its executors, deadline and result, and the statistics of the period (clause 2.2.10)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from alqa.models import WorkPlan


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the report fetches nothing: {url}")


def plan_report_pdf(plan: WorkPlan, *, page: Any, language: str) -> bytes:
    """The plan and `page` (alqa.queries.plans.PlanPage) as a PDF in `language`."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            "alqa/documents/plan_report.html", {"plan": plan, "page": page, "language": language}
        )
    return bytes(HTML(string=html, url_fetcher=_no_fetch).write_pdf())
