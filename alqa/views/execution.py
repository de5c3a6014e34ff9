"""Pages of execution control (clauses 3.2, 3.8): an assignment with its deadlines, reports and
requests (the secretary records the receipt and mails the executor's link; the chair decides);
the executor's personal link (no account); the control page of a body with its XLSX."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa import permissions
from alqa.documents.complaints_xlsx import workbook
from alqa.documents.control_report import render_control_pdf
from alqa.domain import execution as domain
from alqa.enums import OPEN_ASSIGNMENT, ExecutionDeadline, ExtensionStatus, ReportStatus
from alqa.forms.common import apply_errors
from alqa.forms.execution import DecisionForm, ExtensionForm, ReceiptForm, ReportForm
from alqa.models import Assignment, AssignmentFile, AssignmentReport, ExecutorLink, ExtensionRequest
from alqa.queries.execution import (
    STATUS_CHOICES,
    ControlFilters,
    control_list,
    control_page,
    period_figures,
    reminders_shown,
)
from alqa.queries.plans import current_plan_statistics
from alqa.views.attachments import serve_stored

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context(a: Assignment, *, chair_reminders: bool = True) -> dict[str, object]:
    """What both pages of an assignment show; the reminders sent to the chair only where
    `chair_reminders` (not on the executor's link)."""
    return {
        "assignment": a,
        "shown_status": dict(STATUS_CHOICES)[domain.shown_status(a)],
        "is_open": a.status in OPEN_ASSIGNMENT,
        "reports": list(a.reports.prefetch_related("files").order_by("submitted_at", "pk")),
        "requests": list(a.extension_requests.order_by("requested_at", "pk")),
        "reminders": reminders_shown(a.reminders.all(), to_chair=chair_reminders),
        "chair_kind": ExecutionDeadline.CHAIR,
    }


def _executor_forms(request, a: Assignment, *, actor, holder) -> tuple[ReportForm, ExtensionForm, bool]:
    """The executor's two forms (a report, an extension request); True when one was done. A
    refused report keeps its files for `holder` (the user, or the executor's link) to send again."""
    action = request.POST.get("action") if request.method == "POST" else None
    report_form = ReportForm(
        request.POST if action == "report" else None, request.FILES if action == "report" else None
    )
    extension_form = ExtensionForm(request.POST if action == "extension" else None)
    try:
        if action == "report" and report_form.is_valid():
            report_form.take_files(holder)
            data = report_form.cleaned_data
            domain.submit_report(
                a,
                kind=data["kind"],
                text=data["text"],
                files=data["files"],
                actor=actor,
                identifiers_confirmed=data["identifiers_confirmed"],
            )
            report_form.done(holder)
            messages.success(request, _("Thank you: the report has been sent to the chair."))
            return report_form, extension_form, True
        if action == "extension" and extension_form.is_valid():
            data = extension_form.cleaned_data
            domain.request_extension(a, reason=data["reason"], working_days=data["working_days"], actor=actor)
            messages.success(request, _("The request for an extension has been sent to the chair."))
            return report_form, extension_form, True
    except ValidationError as exc:
        apply_errors(report_form if action == "report" else extension_form, exc)
    if action == "report":
        report_form.keep_files(holder)  # the files chosen are not lost with the refusal
    return report_form, extension_form, False


@login_required
def assignment_detail(request, assignment_id):
    a = permissions.get_assignment_for_user(request.user, assignment_id)
    body = a.body
    can_manage = permissions.can_manage_body(request.user, body)
    can_decide = permissions.can_decide_assignment(request.user, a)
    is_executor = domain.member_executor(a, request.user) is not None
    report_form, extension_form = ReportForm(), ExtensionForm()
    receipt_form = ReceiptForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("report", "extension"):
            permissions.get_assignment_for_user(request.user, a.pk, report=True)
            report_form, extension_form, done = _executor_forms(
                request, a, actor=request.user, holder=request.user
            )
            if done:
                return redirect("assignment", a.pk)
        elif action in ("receipt", "send_link", "revoke_link"):
            permissions.get_assignment_for_user(request.user, a.pk, write=True)
            try:
                if action == "receipt":
                    receipt_form = ReceiptForm(request.POST)
                    if receipt_form.is_valid():
                        domain.record_receipt(
                            a, actor=request.user, on=receipt_form.cleaned_data["received_on"], via="paper"
                        )
                        return redirect("assignment", a.pk)
                elif action == "send_link":
                    domain.send_link(a, actor=request.user)
                    messages.success(request, _("The personal link has been sent to the executor."))
                    return redirect("assignment", a.pk)
                else:
                    domain.revoke_link(a, actor=request.user)
                    messages.success(request, _("The executor's link no longer opens the assignment."))
                    return redirect("assignment", a.pk)
            except ValidationError as exc:
                apply_errors(receipt_form, exc)
                if action != "receipt":
                    messages.error(request, " ".join(exc.messages))
        else:
            a = permissions.get_assignment_to_decide(request.user, a.pk)
            form = DecisionForm(request.POST)
            comment = form.data.get("comment", "")
            try:
                if action in ("accept", "return"):
                    report = get_object_or_404(
                        AssignmentReport, pk=request.POST.get("report") or 0, assignment=a
                    )
                    domain.decide_report(
                        report, actor=request.user, accept=action == "accept", comment=comment
                    )
                elif action in ("grant", "refuse"):
                    ext = get_object_or_404(
                        ExtensionRequest, pk=request.POST.get("request") or 0, assignment=a
                    )
                    domain.decide_extension(ext, actor=request.user, grant=action == "grant", comment=comment)
                elif action in ("close", "withdraw"):
                    domain.close_assignment(
                        a, actor=request.user, withdraw=action == "withdraw", comment=comment
                    )
                else:
                    messages.error(request, _("Choose what to do with the assignment."))
                return redirect("assignment", a.pk)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("assignment", a.pk)
    return render(
        request,
        "alqa/execution/assignment.html",
        _context(a, chair_reminders=permissions.can_read_chair_reminders(request.user, a))
        | {
            "body": body,
            "can_manage": can_manage,
            "can_decide": can_decide,
            "is_executor": is_executor,
            "report_form": report_form,
            "extension_form": extension_form,
            "receipt_form": receipt_form,
            "live_link": domain.live_link(a) if can_manage else None,
            "addressee": domain.addressee(a) if can_manage else None,
            "pending": ReportStatus.SUBMITTED,
            "pending_request": ExtensionStatus.PENDING,
        },
    )


def executor_link(request, token):
    """An executor's personal link (the token is the key: no sign-in). After the assignment is
    closed or the link revoked, a page says so (410); an unknown link is 404."""
    try:
        a = domain.assignment_for_token(token)
    except ExecutorLink.DoesNotExist:
        raise Http404("No such link.") from None
    except ValidationError as exc:
        return render(
            request, "alqa/execution/link_gone.html", {"reason": " ".join(exc.messages)}, status=410
        )
    # the executor has no account: files of a refused report are kept for their link
    holder = ExecutorLink.objects.only("pk").get(token=token) if request.method == "POST" else None
    report_form, extension_form, done = _executor_forms(request, a, actor=None, holder=holder)
    if done:
        return redirect("executor_link", token)
    return render(
        request,
        "alqa/execution/link.html",
        _context(a, chair_reminders=False)
        | {
            "token": token,
            "report_form": report_form,
            "extension_form": extension_form,
            "body": a.body,
        },
    )


def executor_link_file(request, token, file_id):
    """A file of the executor's own reports, through their link."""
    try:
        a = domain.assignment_for_token(token)
    except (ExecutorLink.DoesNotExist, ValidationError):
        raise Http404("No such link.") from None
    f = get_object_or_404(AssignmentFile, pk=file_id, report__assignment=a)
    return serve_stored(f)


@login_required
def assignment_file(request, file_id):
    f = get_object_or_404(AssignmentFile.objects.select_related("report"), pk=file_id)
    permissions.get_assignment_for_user(request.user, f.report.assignment_id)
    return serve_stored(f)


def _control_body(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    if not permissions.can_control_execution(request.user, body):
        raise PermissionDenied
    return body


GROUPS = ("executor", "unit", "meeting", "side")


@login_required
def control(request, body_id):
    """The control page (clause 3.2): overdue (by how many working days), due this week, the
    assignments counted by executor, unit, meeting or plan, or side, and the list filtered a page
    at a time (the XLSX holds every row)."""
    body = _control_body(request, body_id)
    filters = ControlFilters.from_query(request.GET)
    group = request.GET.get("group") if request.GET.get("group") in GROUPS else "executor"
    page_number = request.GET.get("page") or ""
    listing = control_page(
        body,
        filters,
        group=group,
        page=int(page_number) if page_number.isdigit() and len(page_number) < 7 else 1,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "alqa/execution/control.html",
        {
            "body": body,
            "listing": listing,
            "filters": filters,
            "group": group,
            "status_choices": STATUS_CHOICES,
            "units": body.units.order_by("side", "name_ru"),
            "query": request.GET.urlencode(),
            "plan_statistics": current_plan_statistics(body),
            "list_query": query.urlencode(),
            "closed_query": "&closed=1" if filters.include_closed else "",
            # the rows' links: the address of an assignment is this with its number and "/"
            "assignment_url": reverse("assignment", args=[0])[:-2],
        },
    )


def export_rows(body, filters: ControlFilters) -> tuple[list[str], list[list[object]]]:
    listing = control_list(body, filters)
    headers = [
        _("Meeting"),
        _("Decision"),
        _("Executor"),
        _("Side"),
        _("Status"),
        _("Execution deadline"),
        _("Information deadline"),
        _("Working days overdue"),
        _("Extensions"),
    ]
    rows: list[list[object]] = [
        [
            r.meeting_day,
            r.assignment.source_text,
            r.assignment.executor_label,
            r.side,
            r.status_label,
            r.assignment.due_date,
            r.assignment.info_due,
            r.days_overdue,
            r.assignment.extensions,
        ]
        for r in listing.rows
    ]
    return headers, rows


@login_required
def control_report(request, body_id):
    """The control report of a period as a PDF in Russian or Kazakh (`from`, `to`: default the
    current quarter; `language`)."""
    body = _control_body(request, body_id)
    filters = ControlFilters.from_query(request.GET)
    today = timezone.localdate()
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    filters.due_from = filters.due_from or first
    filters.due_to = filters.due_to or (
        date(first.year + (first.month + 3 > 12), (first.month + 2) % 12 + 1, 1) - timedelta(days=1)
    )
    filters.include_closed = True
    language = request.GET.get("language") if request.GET.get("language") in ("ru", "kk") else "ru"
    listing = control_list(body, filters)
    data = render_control_pdf(
        body,
        listing=listing,
        figures=period_figures(listing),
        period=(filters.due_from, filters.due_to),
        language=language,
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="control-{filters.due_from:%Y%m%d}-{filters.due_to:%Y%m%d}-{language}.pdf"'
    )
    return response


@login_required
def control_export(request, body_id):
    body = _control_body(request, body_id)
    headers, rows = export_rows(body, ControlFilters.from_query(request.GET))
    response = HttpResponse(workbook(_("Execution control"), headers, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="control-{timezone.localdate():%Y-%m-%d}.xlsx"'
    return response
