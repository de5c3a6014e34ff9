"""Pages of the work plans (clauses 2.1.1, 2.1.2, 2.2.10): the body's plans, one plan with its
items, statistics and amendments; drafting, approval by the chair, results, copying forward and
the period report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alqa import permissions
from alqa.documents.plan_report import plan_report_pdf
from alqa.domain.plans import (
    add_plan_item,
    approve_plan,
    change_plan_item,
    copy_forward,
    create_plan,
    next_period,
    record_plan_result,
)
from alqa.forms.common import apply_errors
from alqa.forms.plans import PlanForm, PlanItemChangeForm, PlanItemForm, PlanResultForm
from alqa.models import WorkPlan
from alqa.queries.plans import plan_list, plan_page


def _index(request, body, *, form=None, status=200):
    can_manage = permissions.can_manage_body(request.user, body)
    return render(
        request,
        "alqa/plans/list.html",
        {
            "body": body,
            "plans": plan_list(body),
            "form": form or (PlanForm() if can_manage else None),
            "can_manage": can_manage,
        },
        status=status,
    )


@login_required
def plan_index(request, body_id):
    return _index(request, permissions.get_body_for_user(request.user, body_id))


@login_required
@require_POST
def plan_new(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id, write=True)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            plan = create_plan(body=body, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The draft plan has been created: add its items."))
            return redirect("plan", plan_id=plan.pk)
    return _index(request, body, form=form, status=400)


def _page(request, plan: WorkPlan, *, item_form=None, status=200):
    body = plan.body
    can_manage = permissions.can_manage_body(request.user, body)
    year, quarter = next_period(plan)
    next_exists = WorkPlan.objects.filter(body=body, period=plan.period, year=year, quarter=quarter).exists()
    return render(
        request,
        "alqa/plans/detail.html",
        {
            "body": body,
            "page": plan_page(plan, next_exists=next_exists),
            "plan": plan,
            "can_manage": can_manage,
            "can_approve": permissions.can_approve_plan(request.user, body) and not plan.approved,
            "item_form": item_form
            or (PlanItemForm(body=body, approved=plan.approved) if can_manage else None),
        },
        status=status,
    )


@login_required
def plan_detail(request, plan_id):
    return _page(request, permissions.get_plan_for_user(request.user, plan_id))


@login_required
@require_POST
def plan_item_new(request, plan_id):
    plan = permissions.get_plan_for_user(request.user, plan_id, write=True)
    form = PlanItemForm(request.POST, body=plan.body, approved=plan.approved)
    if form.is_valid():
        try:
            item = add_plan_item(plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Item %(number)s has been added to the plan.") % {"number": item.number}
            )
            return redirect("plan", plan_id=plan.pk)
    plan.refresh_from_db()
    return _page(request, plan, item_form=form, status=400)


@login_required
@require_POST
def plan_approve(request, plan_id):
    plan, approver = permissions.get_plan_approver(request.user, plan_id)
    try:
        approve_plan(plan, actor=request.user, approver=approver)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The plan has been approved."))
    return redirect("plan", plan_id=plan.pk)


@login_required
@require_POST
def plan_copy_forward(request, plan_id):
    plan = permissions.get_plan_for_user(request.user, plan_id, write=True)
    try:
        new = copy_forward(plan, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("plan", plan_id=plan.pk)
    messages.success(request, _("The plan of the next period has been drafted with the items not done."))
    return redirect("plan", plan_id=new.pk)


@login_required
def plan_item_result(request, plan_item_id):
    item = permissions.get_plan_item_for_user(request.user, plan_item_id, write=True)
    posted = request.method == "POST"
    form = PlanResultForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            record_plan_result(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The result has been recorded."))
            return redirect("plan", plan_id=item.plan_id)
    return render(
        request,
        "alqa/plans/result.html",
        {"body": item.plan.body, "item": item, "plan": item.plan, "form": form},
        status=400 if posted else 200,
    )


@login_required
def plan_report(request, plan_id):
    plan = permissions.get_plan_for_user(request.user, plan_id)
    language = request.GET.get("language") or get_language() or "ru"
    if language not in ("ru", "kk"):
        language = "ru"
    pdf = plan_report_pdf(plan, page=plan_page(plan), language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{plan.pk}-{language}.pdf"'
    return response


@login_required
def plan_item_change(request, plan_item_id):
    """The secretary changes an item; once the plan is approved, the change is an amendment with
    its reason, kept and shown on the plan."""
    item = permissions.get_plan_item_for_user(request.user, plan_item_id, write=True)
    plan = item.plan
    posted = request.method == "POST"
    initial = {
        f: getattr(item, f) for f in ("activity_ru", "activity_kk", "expected_ru", "expected_kk", "due_date")
    }
    form = PlanItemChangeForm(request.POST if posted else None, initial=initial, approved=plan.approved)
    if posted and form.is_valid():
        try:
            change_plan_item(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The plan item has been changed."))
            return redirect("plan", plan_id=plan.pk)
    return render(
        request,
        "alqa/plans/change.html",
        {"body": plan.body, "item": item, "plan": plan, "form": form},
        status=400 if posted else 200,
    )
