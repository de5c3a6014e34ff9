"""Pages of the complaints register (clause 2.1.4): the register with filters, a complaint's
form, the XLSX export, the analytics, and the import of files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alqa import jobs, permissions
from alqa.documents.complaints_xlsx import workbook
from alqa.domain.complaint_import import (
    error_text,
    guess_columns,
    preview,
    receive_import,
    saved_columns,
    start_import,
)
from alqa.domain.complaints import (
    add_subject,
    create_complaint,
    delete_complaint,
    switch_subject,
    update_complaint,
    update_subject,
)
from alqa.enums import ImportStatus
from alqa.forms.common import apply_errors
from alqa.forms.complaints import (
    ComplaintFilterForm,
    ComplaintForm,
    ImportColumnsForm,
    ImportUploadForm,
    SubjectForm,
)
from alqa.models import ComplaintImport
from alqa.queries.complaints import (
    choices_of,
    classifier_of,
    complaint_analytics,
    complaint_register,
    export_rows,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request, body):
    choices = choices_of(body)
    form = ComplaintFilterForm(request.GET or None, choices=choices)
    return form, form.filters()


@login_required
def complaint_list(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    form, filters = _filters(request, body)
    page = complaint_register(body, filters, request.GET.get("page"))
    return render(
        request,
        "alqa/complaints/list.html",
        {
            "body": body,
            "form": form,
            "page": page,
            "can_manage": permissions.can_manage_body(request.user, body),
            "imports": ComplaintImport.objects.filter(body=body)[:5],
        },
    )


@login_required
def complaint_export(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    _form, filters = _filters(request, body)
    headers, rows = export_rows(body, filters)
    content = workbook(_("Complaints"), headers, rows)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="complaints-{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    return response


@login_required
def complaint_analytics_page(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    form, filters = _filters(request, body)
    return render(
        request,
        "alqa/complaints/analytics.html",
        {"body": body, "form": form, "figures": complaint_analytics(body, filters)},
    )


def _complaint_form(request, body, complaint=None):
    form = ComplaintForm(request.POST or None, instance=complaint, choices=choices_of(body))
    if request.method == "POST" and form.is_valid():
        try:
            if complaint is None:
                create_complaint(body=body, actor=request.user, **form.cleaned_data)
            else:
                update_complaint(complaint, actor=request.user, changes=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)  # type: ignore[arg-type]  # a ModelForm: apply_errors reads only add_error
        else:
            messages.success(request, _("The complaint has been saved."))
            return redirect("complaints", body_id=body.pk)
    return render(request, "alqa/complaints/form.html", {"form": form, "body": body, "complaint": complaint})


@login_required
def complaint_new(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id, write=True)
    return _complaint_form(request, body)


@login_required
def complaint_edit(request, complaint_id):
    complaint = permissions.get_complaint_for_user(request.user, complaint_id, write=True)
    return _complaint_form(request, complaint.body, complaint)


@login_required
@require_POST
def complaint_delete(request, complaint_id):
    complaint = permissions.get_complaint_for_user(request.user, complaint_id, write=True)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Confirm that the complaint is to be deleted."))
        return redirect("complaint_edit", complaint_id=complaint.pk)
    delete_complaint(complaint, actor=request.user)
    messages.success(request, _("The complaint has been deleted."))
    return redirect("complaints", body_id=complaint.body_id)


@login_required
def complaint_import_new(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id, write=True)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            job = receive_import(
                body=body,
                actor=request.user,
                upload=form.cleaned_data["file"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("complaint_import", import_id=job.pk)
    return render(request, "alqa/complaints/import_new.html", {"form": form, "body": body})


@login_required
def complaint_import(request, import_id):
    """The import's page: the preview and the column mapping while it waits for them, then the
    worker's progress (polled by HTMX without a script of ours), then the result."""
    job = permissions.get_complaint_import_for_user(request.user, import_id, write=request.method == "POST")
    headers: list[str] = []
    rows: list[list[str]] = []
    form = None
    if job.status == ImportStatus.UPLOADED:
        headers, rows = preview(job)
        initial = guess_columns(headers, saved_columns(job.body, job.source))
        form = ImportColumnsForm(request.POST or None, headers=headers, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                queued = start_import(job, actor=request.user, columns=form.columns(), headers=headers)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if queued:
                    jobs.import_complaints_task(job.pk)
                return redirect("complaint_import", import_id=job.pk)
    context = {
        "job": job,
        "body": job.body,
        "form": form,
        "headers": headers,
        "rows": rows,
        "errors": [error_text(e) for e in job.errors],
        "running": job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
        "percent": min(100, round(100 * job.rows_done / job.rows_total)) if job.rows_total else 0,
        "register_url": reverse("complaints", args=[job.body_id]),
    }
    if request.htmx:
        return render(request, "alqa/complaints/_import_status.html", context)
    return render(request, "alqa/complaints/import.html", context)


@login_required
def complaint_subjects(request, body_id):
    """The body's classifier of what complaints are about: every member reads it; the chair, the
    deputy and the secretary add to it."""
    body = permissions.get_body_for_user(request.user, body_id, write=request.method == "POST")
    form = SubjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_subject(body=body, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The subject has been added to the classifier."))
            return redirect("complaint_subjects", body_id=body.pk)
    context = {
        "body": body,
        "subjects": classifier_of(body),
        "form": form,
        "can_manage": permissions.can_manage_body(request.user, body),
    }
    return render(request, "alqa/complaints/subjects.html", context)


@login_required
def complaint_subject_edit(request, subject_id):
    subject = permissions.get_complaint_subject_for_user(request.user, subject_id, write=True)
    initial = {"name_ru": subject.name_ru, "name_kk": subject.name_kk, "position": subject.position}
    form = SubjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_subject(subject, actor=request.user, changes=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The subject has been saved."))
            return redirect("complaint_subjects", body_id=subject.body_id)
    return render(
        request, "alqa/complaints/subject_form.html", {"body": subject.body, "subject": subject, "form": form}
    )


@login_required
@require_POST
def complaint_subject_switch(request, subject_id):
    """The chair, the deputy and the secretary switch a subject of the classifier off, or on
    again (`state`: off or on)."""
    subject = permissions.get_complaint_subject_for_user(request.user, subject_id, write=True)
    state = request.POST.get("state", "")
    if state not in ("on", "off"):
        messages.error(request, _("Choose whether to switch the subject on or off."))
        return redirect("complaint_subjects", body_id=subject.body_id)
    was = subject.is_active
    subject = switch_subject(subject, actor=request.user, active=state == "on")
    if subject.is_active == was:  # a repeated request: nothing changed, nothing to say
        return redirect("complaint_subjects", body_id=subject.body_id)
    if subject.is_active:
        messages.success(
            request,
            _("“%(name)s” is switched on: new complaints may be filed under it.") % {"name": subject.name},
        )
    else:
        messages.success(
            request,
            _(
                "“%(name)s” is switched off: it is no longer offered for new complaints or taken by the "
                "import; the complaints filed under it keep it."
            )
            % {"name": subject.name},
        )
    return redirect("complaint_subjects", body_id=subject.body_id)
