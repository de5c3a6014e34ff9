"""Pages of the generalisation notes of complaints practice (issue #13.4): write, approve (the
chair), send to the police units, the PDF, and the units' receipt link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alqa import permissions
from alqa.documents.complaint_note import (
    DOCX_TYPE,
    note_filename,
    note_texts,
    render_note_docx,
    render_note_pdf,
)
from alqa.domain.complaint_notes import (
    approve_note,
    confirm_receipt,
    create_note,
    put_note_on_agenda,
    recipients,
    send_note,
    update_note,
)
from alqa.enums import NoteStatus, Role
from alqa.forms.common import apply_errors
from alqa.forms.complaints import NoteForm
from alqa.models import ComplaintNote, NoteReceipt
from alqa.queries.complaints import ComplaintFilters, complaint_analytics
from alqa.queries.complaints import note_agenda as note_agenda_of


def _figures(note: ComplaintNote):
    return complaint_analytics(
        note.body, ComplaintFilters(date_from=note.period_from, date_to=note.period_to)
    )


@login_required
def note_list(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    return render(
        request,
        "alqa/complaints/notes.html",
        {
            "body": body,
            "notes": ComplaintNote.objects.filter(body=body),
            "can_manage": permissions.can_manage_body(request.user, body),
        },
    )


def _note_form(request, body, note=None):
    form = NoteForm(request.POST or None, instance=note)
    if request.method == "POST" and form.is_valid():
        try:
            if note is None:
                note = create_note(body=body, actor=request.user, **form.cleaned_data)
            else:
                note = update_note(note, actor=request.user, changes=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)  # type: ignore[arg-type]  # a ModelForm: apply_errors reads only add_error
        else:
            messages.success(request, _("The note has been saved."))
            return redirect("complaint_note", note_id=note.pk)
    return render(request, "alqa/complaints/note_form.html", {"form": form, "body": body, "note": note})


@login_required
def note_new(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id, write=True)
    return _note_form(request, body)


@login_required
def note_edit(request, note_id):
    note = permissions.get_note_for_user(request.user, note_id, write=True)
    return _note_form(request, note.body, note)


@login_required
def note_detail(request, note_id):
    note = permissions.get_note_for_user(request.user, note_id)
    language = get_language() or "ru"
    return render(
        request,
        "alqa/complaints/note.html",
        {
            "note": note,
            "body": note.body,
            "texts": note_texts(note, language),
            "figures": _figures(note),
            "receipts": NoteReceipt.objects.filter(note=note).select_related("unit"),
            "agenda": note_agenda_of(note),
            "recipients": recipients(note.body) if note.status == NoteStatus.APPROVED else [],
            "can_manage": permissions.can_manage_body(request.user, note.body),
            "is_chair": Role.CHAIR in permissions.roles_in_body(request.user, note.body),
        },
    )


@login_required
@require_POST
def note_approve(request, note_id):
    note = permissions.get_note_to_approve(request.user, note_id)
    try:
        approve_note(note, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The note has been approved."))
    return redirect("complaint_note", note_id=note.pk)


@login_required
@require_POST
def note_send(request, note_id):
    note = permissions.get_note_for_user(request.user, note_id, write=True)
    try:
        receipts = send_note(note, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The note has been sent to %(count)s units.") % {"count": len(receipts)})
    return redirect("complaint_note", note_id=note.pk)


def _pdf(note: ComplaintNote, language: str, fmt: str = "pdf") -> HttpResponse:
    language = language if language in ("ru", "kk") else "ru"
    with translation.override(language):  # the charts' titles and labels in the document's language
        figures = _figures(note)
    if fmt == "docx":
        data, content_type = render_note_docx(note, figures=figures, language=language), DOCX_TYPE
    else:
        data, content_type = render_note_pdf(note, figures=figures, language=language), "application/pdf"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{note_filename(note, language, fmt)}"'
    return response


@login_required
def note_pdf(request, note_id):
    note = permissions.get_note_for_user(request.user, note_id)
    return _pdf(note, request.GET.get("language") or get_language() or "ru")


@login_required
@require_POST
def note_agenda(request, note_id):
    """Puts the note on a meeting's agenda as a question (the meeting chosen on the note's page)."""
    note = permissions.get_note_for_user(request.user, note_id, write=True)
    meeting = permissions.get_meeting_for_user(request.user, request.POST.get("meeting", ""), write=True)
    try:
        put_note_on_agenda(
            note,
            meeting=meeting,
            actor=request.user,
            withdraw_approval=request.POST.get("withdraw_approval") == "on",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The note is on the agenda of the meeting: %(meeting)s.") % {"meeting": meeting}
        )
    return redirect("complaint_note", note_id=note.pk)


@login_required
def note_docx(request, note_id):
    """The note as an editable Word document, for the group to adjust before it is printed."""
    note = permissions.get_note_for_user(request.user, note_id)
    return _pdf(note, request.GET.get("language") or get_language() or "ru", fmt="docx")


def note_receipt(request, token):
    """A unit's receipt link (the token is the key: no sign-in). The first use records receipt;
    a second says it was received already. The note can be downloaded there."""
    receipt, first = confirm_receipt(token=token)
    if receipt is None:
        raise Http404("No such receipt.")
    note = receipt.note
    return render(
        request,
        "alqa/complaints/receipt.html",
        {"receipt": receipt, "note": note, "first": first, "texts": note_texts(note, get_language() or "ru")},
    )


def note_receipt_pdf(request, token):
    receipt = NoteReceipt.objects.select_related("note", "note__body").filter(token=token[:64]).first()
    if receipt is None:
        raise Http404("No such receipt.")
    return _pdf(receipt.note, request.GET.get("language") or get_language() or "ru")
