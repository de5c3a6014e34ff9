"""Legislative proposals (clause 2.2.11): the register with filters, a draft and its edits, and
the steps of its way — approved by a decision, submitted, its outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alqa import permissions
from alqa.domain.legislation import TRANSITIONS, create_proposal, move, update_draft
from alqa.enums import LegislativeStatus
from alqa.forms.common import apply_errors
from alqa.forms.oversight import LegislativeProposalForm, LegislativeStepForm
from alqa.queries.oversight import legislative_page
from alqa.views.common import query_text
from alqa.views.requests import _page_number


@login_required
def legislation_list(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    page_number = _page_number(request)
    page = legislative_page(
        body,
        status=request.GET.get("status", ""),
        search=query_text(request),
        page=page_number,
    )
    return render(
        request,
        "alqa/legislation/list.html",
        {
            "body": body,
            "page": page,
            "page_number": page_number,
            "statuses": [
                (value, label, page.counts.get(value, 0)) for value, label in LegislativeStatus.choices
            ],
            "can_manage": permissions.can_manage_body(request.user, body),
        },
    )


@login_required
def legislation_new(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id, write=True)
    posted = request.method == "POST"
    form = LegislativeProposalForm(request.POST if posted else None)
    if posted and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            created = create_proposal(body=body, actor=request.user, **fields)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The draft legislative proposal has been saved."))
            return redirect("legislative_proposal", legislative_proposal_id=created.pk)
    return render(
        request,
        "alqa/legislation/form.html",
        {"body": body, "form": form, "proposal": None},
        status=400 if form.errors else 200,
    )


@login_required
def legislation_edit(request, legislative_proposal_id):
    proposal = permissions.get_legislative_proposal_for_user(
        request.user, legislative_proposal_id, write=True
    )
    posted = request.method == "POST"
    initial = {f: getattr(proposal, f) for f in LegislativeProposalForm.guarded_fields} | {
        "version": proposal.version
    }
    form = LegislativeProposalForm(request.POST if posted else None, initial=initial)
    if posted and form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version") or 0
        try:
            update_draft(proposal, actor=request.user, version=version, **fields)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The draft legislative proposal has been saved."))
            return redirect("legislative_proposal", legislative_proposal_id=proposal.pk)
    return render(
        request,
        "alqa/legislation/form.html",
        {"body": proposal.body, "form": form, "proposal": proposal},
        status=400 if form.errors else 200,
    )


# The fields of the step each status offers.
STEP_FIELDS = {
    LegislativeStatus.DRAFT: {"decision"},
    LegislativeStatus.APPROVED: {"submitted_on", "outgoing_ref"},
    LegislativeStatus.SUBMITTED: {"outcome_on", "outcome_note"},
}


def _detail(request, proposal, *, form=None, status=200):
    body = proposal.body
    can_manage = permissions.can_manage_body(request.user, body)
    steps = sorted(TRANSITIONS[proposal.status])
    if can_manage and steps and form is None:
        form = LegislativeStepForm(
            body=body,
            initial={
                "to": steps[0],
                "submitted_on": timezone.localdate(),
                "outcome_on": timezone.localdate(),
            },
        )
    if form is not None:
        form.fields["to"].choices = [(s, LegislativeStatus(s).label) for s in steps]
        for name in (
            set(form.fields) - STEP_FIELDS.get(proposal.status, set()) - {"to", "confirm_identifiers"}
        ):
            del form.fields[name]
    return render(
        request,
        "alqa/legislation/detail.html",
        {
            "body": body,
            "proposal": proposal,
            "can_manage": can_manage,
            "step_form": form if can_manage and steps else None,
            "step": proposal.status,
        },
        status=status,
    )


@login_required
def legislation_detail(request, legislative_proposal_id):
    return _detail(
        request, permissions.get_legislative_proposal_for_user(request.user, legislative_proposal_id)
    )


@login_required
@require_POST
def legislation_step(request, legislative_proposal_id):
    proposal = permissions.get_legislative_proposal_for_user(
        request.user, legislative_proposal_id, write=True
    )
    form = LegislativeStepForm(request.POST, body=proposal.body)
    if form.is_valid():
        try:
            move(proposal, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The step has been recorded."))
            return redirect("legislative_proposal", legislative_proposal_id=proposal.pk)
    proposal.refresh_from_db()
    return _detail(request, proposal, form=form, status=400)
