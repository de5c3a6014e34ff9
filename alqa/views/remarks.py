"""Pages of compliance remarks (clause 2.2.3): file one on a decision or a plan item, the body's
register with its state filter, one remark, and closing it with the outcome heard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alqa import permissions
from alqa.domain.remarks import close_remark, file_remark
from alqa.enums import RemarkStatus
from alqa.forms.common import apply_errors
from alqa.forms.plans import CloseRemarkForm, RemarkForm
from alqa.models import Finding
from alqa.queries.plans import remark_register


@login_required
def remark_list(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    status = request.GET.get("status", "")
    return render(
        request,
        "alqa/remarks/list.html",
        {
            "body": body,
            "remarks": remark_register(body, status=status),
            "status": status if status in RemarkStatus.values else "",
            "statuses": RemarkStatus.choices,
        },
    )


def _file(request, *, author, target: dict, context: dict):
    body = author.body
    posted = request.method == "POST"
    form = RemarkForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            remark = file_remark(body=body, author=author, actor=request.user, **target, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your remark has been filed. It is proposed for the next meeting's agenda; the "
                    "chair and the secretary have been told."
                ),
            )
            return redirect("remark", remark_id=remark.pk)
    return render(request, "alqa/remarks/form.html", {"form": form, "body": body} | context)


@login_required
def remark_new(request, decision_id):
    decision, author = permissions.get_decision_to_remark(request.user, decision_id)
    return _file(request, author=author, target={"decision": decision}, context={"decision": decision})


@login_required
def plan_item_remark_new(request, plan_item_id):
    item, author = permissions.get_plan_item_to_remark(request.user, plan_item_id)
    return _file(request, author=author, target={"plan_item": item}, context={"plan_item": item})


def _detail(request, remark, *, close_form=None, status=200):
    can_manage = permissions.can_manage_body(request.user, remark.body)
    open_ = remark.status != RemarkStatus.CLOSED
    if can_manage and open_:
        close_form = close_form or CloseRemarkForm()
    proposal = remark.proposal
    return render(
        request,
        "alqa/remarks/detail.html",
        {
            "remark": remark,
            "body": remark.body,
            "attachments": list(proposal.attachments.all()) if proposal else [],
            "items": list(proposal.items.select_related("meeting")) if proposal else [],
            "finding": Finding.objects.filter(remark=remark).select_related("facility").first(),
            "close_form": close_form if can_manage and open_ else None,
        },
        status=status,
    )


@login_required
def remark_detail(request, remark_id):
    return _detail(request, permissions.get_remark_for_user(request.user, remark_id))


@login_required
@require_POST
def remark_close(request, remark_id):
    remark = permissions.get_remark_for_user(request.user, remark_id, write=True)
    form = CloseRemarkForm(request.POST)
    if form.is_valid():
        try:
            close_remark(remark, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The remark has been closed with the outcome."))
            return redirect("remark", remark_id=remark.pk)
    remark.refresh_from_db()
    return _detail(request, remark, close_form=form, status=400)
