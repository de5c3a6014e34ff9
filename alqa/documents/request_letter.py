"""The letter of a request for documents (clause 2.2.8), DOCX in Russian or Kazakh: the body, the
outgoing number and date, the addressee, what is requested and on what basis, the time for the
answer, the chair's signature line."""

from __future__ import annotations

import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alqa.dates import date_of, inflected_date
from alqa.domain.meetings import current_chair
from alqa.models import DocumentRequest


def request_letter_docx(request: DocumentRequest, *, language: str) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    body = request.body
    chair = current_chair(body, on=timezone.localdate())
    with translation.override(language):
        document = docx.Document()
        document.core_properties.language = language
        document.add_paragraph(body.name)
        day = date_of(request.sent_on) if request.sent_on else "____________"
        document.add_paragraph(
            _("Outgoing No. %(number)s of %(day)s") % {"number": request.outgoing_number, "day": day}
        )
        to = [request.addressee, request.addressee_unit, request.addressee_official]
        document.add_paragraph("\n".join(line for line in to if line)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        document.add_heading(_("Request for documents and information"), level=1)
        document.add_paragraph(
            _(
                "Under clause 2.2.8 of the regulation of the interdepartmental monitoring group, and on "
                "the basis of %(basis)s, the group asks you to provide the following documents and "
                "information:"
            )
            % {"basis": request.legal_basis}
        )
        for line in request.subject.splitlines():
            if line.strip():
                document.add_paragraph(line.strip())
        if request.due_on:
            document.add_paragraph(
                _("Please answer by %(day)s.") % {"day": inflected_date(request.due_on, "dative")}
            )
        document.add_paragraph("")
        document.add_paragraph(
            _("Chair of the monitoring group") + "    ____________    " + (chair.full_name if chair else "")
        )
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


def request_letter_filename(request: DocumentRequest, language: str) -> str:
    return f"request-{request.year}-{request.number}-{language}.docx"
