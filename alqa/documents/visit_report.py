"""The report of a visit (clause 2.2.7) in Russian or Kazakh: PDF through WeasyPrint (as the print
pack), DOCX through python-docx. Both read the same facts (`report_facts`): the facility, the day,
who went, the checklist's results, the findings and the summary."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from alqa.dates import human_date
from alqa.documents.print_pack import _fetcher
from alqa.models import Finding, Visit, VisitCheck


@dataclass(frozen=True)
class ReportFinding:
    kind: str
    description: str
    cause: str
    unit: str
    status: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class ReportFacts:
    language: str
    body: str
    title: str
    facility: str
    facility_kind: str
    address: str
    unit: str
    day: str
    participants: list[tuple[str, str]]
    checks: list[tuple[str, str, str]]
    findings: list[ReportFinding]
    summary: str
    purpose: str


def report_facts(visit: Visit, *, language: str) -> ReportFacts:
    """The report's content, in `language` (labels, names and texts in that language where they
    exist)."""
    with translation.override(language):
        facility = visit.facility
        checks = [
            (c.item.text, c.get_result_display(), c.note)
            for c in VisitCheck.objects.filter(visit=visit).select_related("item")
        ]
        findings = [
            ReportFinding(
                kind=f.get_kind_display(),
                description=f.description,
                cause=f.cause,
                unit=f.unit.name if f.unit_id and f.unit else "",
                status=f.get_status_display(),
                files=tuple(x.name for x in f.files.all()),
            )
            for f in Finding.objects.filter(visit=visit).select_related("unit").prefetch_related("files")
        ]
        day = visit.visited_on or visit.planned_on
        return ReportFacts(
            language=language,
            body=visit.body.name,
            title=_("Report of the visit to %(facility)s") % {"facility": facility.name},
            facility=facility.name,
            facility_kind=facility.get_kind_display(),
            address=facility.address,
            unit=facility.unit.name if facility.unit_id and facility.unit else "",
            day=human_date(day),
            participants=[
                (m.full_name, m.get_side_display()) for m in visit.participants.order_by("side", "full_name")
            ],
            checks=checks,
            findings=findings,
            summary=visit.summary,
            purpose=visit.purpose,
        )


def visit_report_pdf(visit: Visit, *, language: str) -> bytes:
    from weasyprint import HTML

    facts = report_facts(visit, language=language)
    with translation.override(language):
        html = render_to_string("alqa/documents/visit_report.html", {"facts": facts})
    # nothing is fetched: the print pack's fetcher with no folder allowed refuses every URL
    pdf: bytes = HTML(string=html, url_fetcher=_fetcher([])).write_pdf()
    return pdf


def visit_report_docx(visit: Visit, *, language: str) -> bytes:
    import docx

    facts = report_facts(visit, language=language)
    with translation.override(language):
        document = docx.Document()
        document.core_properties.language = language
        document.add_paragraph(facts.body)
        document.add_heading(facts.title, level=1)
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in (
            (_("Facility"), f"{facts.facility} ({facts.facility_kind})"),
            (_("Address"), facts.address),
            (_("Responsible unit"), facts.unit),
            (_("Visited on"), facts.day),
            (_("Purpose of the visit"), facts.purpose),
        ):
            if value:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = label, value
        document.add_heading(_("Who went"), level=2)
        for name, side in facts.participants:
            document.add_paragraph(f"{name} — {side}", style="List Bullet")
        if facts.checks:
            document.add_heading(_("What was checked"), level=2)
            checks = document.add_table(rows=1, cols=3)
            checks.style = "Table Grid"
            head = checks.rows[0].cells
            head[0].text, head[1].text, head[2].text = _("Item"), _("Result"), _("Note")
            for text, result, note in facts.checks:
                cells = checks.add_row().cells
                cells[0].text, cells[1].text, cells[2].text = text, result, note
        document.add_heading(_("Findings"), level=2)
        if not facts.findings:
            document.add_paragraph(_("No violation was found."))
        for n, finding in enumerate(facts.findings, start=1):
            document.add_paragraph(f"{n}. {finding.kind} ({finding.status})", style="List Number")
            document.add_paragraph(finding.description)
            if finding.cause:
                document.add_paragraph(_("Its cause: %(text)s") % {"text": finding.cause})
            if finding.unit:
                document.add_paragraph(_("Unit: %(unit)s.") % {"unit": finding.unit})
            if finding.files:
                document.add_paragraph(_("Files: %(names)s") % {"names": ", ".join(finding.files)})
        if facts.summary:
            document.add_heading(_("Summary"), level=2)
            for line in facts.summary.splitlines():
                document.add_paragraph(line)
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


def visit_report_filename(visit: Visit, language: str, extension: str) -> str:
    day = visit.visited_on or visit.planned_on
    return f"visit-{visit.pk}-{day:%Y-%m-%d}-{language}.{extension}"
