"""Pages of requests for documents and information (clause 2.2.8): the register with the overdue
ones, a new request under the next outgoing number, its letter (DOCX, ru/kk), sending, the answer
with its files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alqa import permissions
from alqa.documents.request_letter import request_letter_docx, request_letter_filename
from alqa.domain.requests import create_request, is_overdue, mark_sent, record_answer
from alqa.enums import RequestStatus
from alqa.forms.common import apply_errors
from alqa.forms.oversight import RequestAnswerForm, RequestForm, RequestSentForm
from alqa.models import OversightFile
from alqa.queries.oversight import requests_page
from alqa.views.attachments import serve_stored

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


@login_required
def request_list(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    page_number = _page_number(request)
    overdue_only = request.GET.get("overdue") == "1"
    return render(
        request,
        "alqa/requests/list.html",
        {
            "body": body,
            "page": requests_page(body, overdue_only=overdue_only, page=page_number),
            "page_number": page_number,
            "can_manage": permissions.can_manage_body(request.user, body),
        },
    )


@login_required
def request_new(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id, write=True)
    posted = request.method == "POST"
    form = RequestForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            created = create_request(body=body, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The request has been entered under No. %(number)s.") % {"number": created.outgoing_number},
            )
            return redirect("request", request_id=created.pk)
    return render(
        request, "alqa/requests/form.html", {"body": body, "form": form}, status=400 if form.errors else 200
    )


def _detail(request, document_request, *, sent_form=None, answer_form=None, status=200):
    body = document_request.body
    can_manage = permissions.can_manage_body(request.user, body)
    return render(
        request,
        "alqa/requests/detail.html",
        {
            "body": body,
            "document_request": document_request,
            "overdue": is_overdue(document_request),
            "files": list(document_request.files.all()),
            "can_manage": can_manage,
            "sent_form": (sent_form or RequestSentForm(initial={"sent_on": timezone.localdate()}))
            if can_manage and document_request.status == RequestStatus.DRAFT
            else None,
            "answer_form": (answer_form or RequestAnswerForm(initial={"answered_on": timezone.localdate()}))
            if can_manage and document_request.status == RequestStatus.SENT
            else None,
        },
        status=status,
    )


@login_required
def request_detail(request, request_id):
    return _detail(request, permissions.get_request_for_user(request.user, request_id))


@login_required
@require_POST
def request_send(request, request_id):
    document_request = permissions.get_request_for_user(request.user, request_id, write=True)
    form = RequestSentForm(request.POST)
    if form.is_valid():
        try:
            mark_sent(document_request, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The request is marked sent; the answer's due date is set."))
            return redirect("request", request_id=document_request.pk)
    document_request.refresh_from_db()
    return _detail(request, document_request, sent_form=form, status=400)


@login_required
@require_POST
def request_answer(request, request_id):
    document_request = permissions.get_request_for_user(request.user, request_id, write=True)
    form = RequestAnswerForm(request.POST, request.FILES)
    if form.is_valid():
        form.take_files(request.user)
        try:
            record_answer(document_request, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            form.done(request.user)
            messages.success(request, _("The answer has been recorded."))
            return redirect("request", request_id=document_request.pk)
    form.keep_files(request.user)  # the files chosen are not lost with the refusal
    document_request.refresh_from_db()
    if document_request.status != RequestStatus.SENT:  # not sent yet, or answered meanwhile
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("request", request_id=document_request.pk)
    return _detail(request, document_request, answer_form=form, status=400)


@login_required
@require_GET
def request_letter(request, request_id, language):
    document_request = permissions.get_request_for_user(request.user, request_id)
    if language not in ("ru", "kk"):
        language = "ru"
    response = HttpResponse(request_letter_docx(document_request, language=language), content_type=DOCX)
    filename = request_letter_filename(document_request, language)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def request_file(request, request_id, file_id):
    document_request = permissions.get_request_for_user(request.user, request_id)
    stored = get_object_or_404(OversightFile.objects.filter(document_request=document_request), pk=file_id)
    return serve_stored(stored)
