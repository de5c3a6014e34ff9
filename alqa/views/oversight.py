"""Pages of oversight between meetings: the facilities' register and checklist, visits planned and
recorded, findings and their files, a finding turned into a proposal, the visit report."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alqa import permissions
from alqa.documents.visit_report import visit_report_docx, visit_report_filename, visit_report_pdf
from alqa.domain.meetings import member_of
from alqa.domain.visits import (
    add_checklist_item,
    add_finding,
    cancel_visit,
    create_facility,
    plan_visit,
    propose_from_finding,
    record_visit,
    remark_from_finding,
    set_checklist_item_in_use,
    update_facility,
)
from alqa.enums import FacilityKind, VisitStatus
from alqa.forms.common import apply_errors
from alqa.forms.oversight import (
    ChecklistItemForm,
    FacilityForm,
    FindingForm,
    FindingRemarkForm,
    VisitPlanForm,
    VisitRecordForm,
)
from alqa.models import ChecklistItem, OversightFile
from alqa.queries.oversight import checklist_items, facility_page, oversight_page, visit_page
from alqa.views.attachments import serve_stored


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


@login_required
def oversight(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    page = _page_number(request)
    return render(
        request,
        "alqa/oversight/index.html",
        {
            "body": body,
            "page": oversight_page(body, page=page),
            "page_number": page,
            "can_manage": permissions.can_manage_body(request.user, body),
        },
    )


@login_required
def facility_form(request, body_id, facility_id=None):
    body = permissions.get_body_for_user(request.user, body_id, write=True)
    facility = None
    if facility_id is not None:
        facility = permissions.get_facility_for_user(request.user, facility_id, write=True)
        if facility.body_id != body.pk:
            raise Http404("No such facility.")
    initial = {}
    if facility is not None:
        initial = {f: getattr(facility, f) for f in ("name_ru", "name_kk", "kind", "address", "unit")}
        initial["is_operational_criminal_police"] = facility.is_operational_criminal_police
    form = FacilityForm(request.POST if request.method == "POST" else None, body=body, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            if facility is None:
                facility = create_facility(body=body, actor=request.user, **form.cleaned_data)
            else:
                update_facility(facility, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The facility has been saved."))
            return redirect("facility", facility_id=facility.pk)
    return render(
        request, "alqa/oversight/facility_form.html", {"body": body, "form": form, "facility": facility}
    )


@login_required
def facility_detail(request, facility_id):
    facility = permissions.get_facility_for_user(request.user, facility_id)
    return render(
        request,
        "alqa/oversight/facility.html",
        {
            "body": facility.body,
            "facility": facility,
            "page": facility_page(facility),
            "can_manage": permissions.can_manage_body(request.user, facility.body),
        },
    )


@login_required
def checklist(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    can_manage = permissions.can_manage_body(request.user, body)
    form = None
    if request.method == "POST":
        body = permissions.get_body_for_user(request.user, body_id, write=True)
        form = ChecklistItemForm(request.POST)
        if form.is_valid():
            try:
                add_checklist_item(body=body, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The item has been added to the checklist."))
                return redirect("checklist", body_id=body.pk)
    items = checklist_items(body)
    kinds = [(value, label, [i for i in items if i.kind == value]) for value, label in FacilityKind.choices]
    return render(
        request,
        "alqa/oversight/checklist.html",
        {
            "body": body,
            "kinds": kinds,
            "form": (form or ChecklistItemForm()) if can_manage else None,
            "can_manage": can_manage,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def checklist_item_toggle(request, body_id, checklist_item_id):
    body = permissions.get_body_for_user(request.user, body_id, write=True)
    item = get_object_or_404(ChecklistItem.objects.filter(body=body), pk=checklist_item_id)
    set_checklist_item_in_use(item, actor=request.user, in_use=not item.is_active)
    messages.success(request, _("The checklist has been changed."))
    return redirect("checklist", body_id=body.pk)


@login_required
def visit_new(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    posted = request.method == "POST"
    initial = {"facility": request.GET.get("facility")} if request.GET.get("facility", "").isdigit() else {}
    form = VisitPlanForm(request.POST if posted else None, body=body, initial=initial)
    if posted and form.is_valid():
        try:
            visit = plan_visit(body=body, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The visit has been planned."))
            return redirect("visit", visit_id=visit.pk)
    return render(
        request,
        "alqa/oversight/visit_plan.html",
        {"body": body, "form": form},
        status=400 if form.errors else 200,
    )


def _visit_detail(request, visit, *, remark_form=None, remark_finding=None, status=200):
    is_member = member_of(request.user, visit.body) is not None
    remark_form = remark_form or FindingRemarkForm(body=visit.body)
    return render(
        request,
        "alqa/oversight/visit.html",
        {
            "body": visit.body,
            "visit": visit,
            "page": visit_page(visit),
            "is_member": is_member,
            "remark_form": remark_form,
            "decisions": list(remark_form.fields["decision"].choices) if is_member else [],
            "remark_finding": remark_finding,
        },
        status=status,
    )


@login_required
def visit_detail(request, visit_id):
    return _visit_detail(request, permissions.get_visit_for_user(request.user, visit_id))


@login_required
def visit_record(request, visit_id):
    visit = permissions.get_visit_for_user(request.user, visit_id)
    body = visit.body
    if visit.status == VisitStatus.CANCELLED:
        raise Http404("No such visit.")
    items = checklist_items(body, visit.facility.kind)
    initial: dict[str, object] = {"visited_on": visit.visited_on or visit.planned_on}
    if visit.status == VisitStatus.RECORDED:
        initial |= {
            "participants": list(visit.participants.values_list("pk", flat=True)),
            "summary_ru": visit.summary_ru,
            "summary_kk": visit.summary_kk,
        }
        for check in visit.checks.all():
            initial[f"check_{check.item_id}"] = check.result
            initial[f"note_{check.item_id}"] = check.note
    posted = request.method == "POST"
    form = VisitRecordForm(request.POST if posted else None, body=body, items=items, initial=initial)
    if posted and form.is_valid():
        try:
            record_visit(visit, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The visit has been recorded."))
            return redirect("visit", visit_id=visit.pk)
    return render(
        request,
        "alqa/oversight/visit_record.html",
        {"body": body, "visit": visit, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def visit_cancel(request, visit_id):
    visit = permissions.get_visit_for_user(request.user, visit_id)
    try:
        cancel_visit(visit, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The visit has been cancelled."))
    return redirect("visit", visit_id=visit.pk)


@login_required
def finding_new(request, visit_id):
    visit = permissions.get_visit_for_user(request.user, visit_id)
    body = visit.body
    if visit.status != VisitStatus.RECORDED:
        messages.error(request, _("Findings are added to a recorded visit."))
        return redirect("visit", visit_id=visit.pk)
    posted = request.method == "POST"
    form = FindingForm(request.POST if posted else None, request.FILES if posted else None, body=body)
    if posted and form.is_valid():
        form.take_files(request.user)
        try:
            add_finding(visit, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            form.done(request.user)
            messages.success(request, _("The finding has been added."))
            return redirect("visit", visit_id=visit.pk)
    if posted:
        form.keep_files(request.user)  # the files chosen are not lost with the refusal
    return render(
        request,
        "alqa/oversight/finding_form.html",
        {"body": body, "visit": visit, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def finding_propose(request, finding_id):
    finding = permissions.get_finding_for_user(request.user, finding_id)
    author = permissions.get_author_for_user(request.user, finding.body_id)
    try:
        proposal = propose_from_finding(finding, actor=request.user, author=author)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("visit", visit_id=finding.visit_id)
    messages.success(request, _("The finding has been submitted as your proposal."))
    return redirect("proposal", proposal_id=proposal.pk)


@login_required
@require_POST
def finding_remark(request, finding_id):
    finding = permissions.get_finding_for_user(request.user, finding_id)
    author = permissions.get_remark_author(request.user, finding.body_id)
    form = FindingRemarkForm(request.POST, body=finding.body)
    if form.is_valid():
        try:
            remark = remark_from_finding(
                finding, actor=request.user, author=author, decision=form.cleaned_data["decision"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The finding has been filed as your remark on the decision. It is proposed for "
                    "the next meeting's agenda; the chair and the secretary have been told."
                ),
            )
            return redirect("remark", remark_id=remark.pk)
    visit = permissions.get_visit_for_user(request.user, finding.visit_id)
    return _visit_detail(request, visit, remark_form=form, remark_finding=finding.pk, status=400)


@login_required
@require_GET
def finding_file(request, finding_id, file_id):
    finding = permissions.get_finding_for_user(request.user, finding_id)
    stored = get_object_or_404(OversightFile.objects.filter(finding=finding), pk=file_id)
    return serve_stored(stored)


def _language(request) -> str:
    language = getattr(request, "LANGUAGE_CODE", None) or get_language() or settings.LANGUAGE_CODE
    return language if language in ("ru", "kk") else "ru"


@login_required
@require_GET
def visit_report(request, visit_id, extension):
    visit = permissions.get_visit_for_user(request.user, visit_id)
    if visit.status != VisitStatus.RECORDED or extension not in ("pdf", "docx"):
        raise Http404("No such report.")
    language = request.GET.get("lang") if request.GET.get("lang") in ("ru", "kk") else _language(request)
    if extension == "pdf":
        content, mime = visit_report_pdf(visit, language=language), "application/pdf"
    else:
        content = visit_report_docx(visit, language=language)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = (
        f'attachment; filename="{visit_report_filename(visit, language, extension)}"'
    )
    return response
