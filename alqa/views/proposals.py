"""Pages of members' proposals: submit with a justification memo and files, the queue of the
chair and the secretary, accept onto a meeting's agenda or return with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alqa import permissions
from alqa.domain.meetings import member_of
from alqa.domain.proposals import accept_proposal, return_proposal, submit_proposal
from alqa.enums import ProposalStatus
from alqa.forms.common import apply_errors
from alqa.forms.proposals import AcceptProposalForm, ProposalForm, ReturnProposalForm
from alqa.models import AgendaItem, Proposal


@login_required
def proposal_list(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    proposals = list(
        Proposal.objects.filter(body=body)
        .select_related("author")
        .prefetch_related(Prefetch("items", queryset=AgendaItem.objects.select_related("meeting")))
        .order_by("-created_at")
    )
    return render(
        request,
        "alqa/proposals/list.html",
        {
            "body": body,
            "queue": [p for p in proposals if p.status == ProposalStatus.SUBMITTED],
            "decided": [p for p in proposals if p.status != ProposalStatus.SUBMITTED],
            "can_manage": permissions.can_manage_body(request.user, body),
            "can_submit": member_of(request.user, body) is not None,
        },
    )


@login_required
def proposal_new(request, body_id):
    author = permissions.get_author_for_user(request.user, body_id)
    body = author.body
    posted = request.method == "POST"
    form = ProposalForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        form.take_files(request.user)
        try:
            proposal = submit_proposal(body=body, author=author, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            form.done(request.user)
            messages.success(
                request,
                _(
                    "Your proposal has been submitted. The chair and the secretary will "
                    "decide on it; you will be told by e-mail."
                ),
            )
            return redirect("proposal", proposal_id=proposal.pk)
    if posted:
        form.keep_files(request.user)  # the files chosen are not lost with the refusal
    return render(
        request,
        "alqa/proposals/form.html",
        {"form": form, "body": body, "author": author},
        status=400 if form.errors else 200,
    )


def _detail(request, proposal: Proposal, *, accept_form=None, return_form=None, status=200):
    body = proposal.body
    can_manage = permissions.can_manage_body(request.user, body)
    undecided = proposal.status == ProposalStatus.SUBMITTED
    if can_manage and undecided:
        accept_form = accept_form or AcceptProposalForm(body=body)
        return_form = return_form or ReturnProposalForm()
    items = AgendaItem.objects.filter(proposal=proposal).select_related("meeting")
    return render(
        request,
        "alqa/proposals/detail.html",
        {
            "proposal": proposal,
            "body": body,
            "attachments": list(proposal.attachments.all()),
            "items": list(items),
            "is_author": proposal.author.user_id is not None and proposal.author.user_id == request.user.pk,
            "can_manage": can_manage,
            "accept_form": accept_form if can_manage and undecided else None,
            "return_form": return_form if can_manage and undecided else None,
            "decided_by": proposal.decided_by if proposal.decided_by_id else None,
        },
        status=status,
    )


@login_required
def proposal_detail(request, proposal_id):
    proposal = permissions.get_proposal_for_user(request.user, proposal_id)
    return _detail(request, proposal)


@login_required
@require_POST
def proposal_accept(request, proposal_id):
    proposal = permissions.get_proposal_for_user(request.user, proposal_id, write=True)
    form = AcceptProposalForm(request.POST, body=proposal.body)
    if form.is_valid():
        meeting = form.cleaned_data["meeting"]
        try:
            accept_proposal(
                proposal,
                meeting=meeting,
                actor=request.user,
                decider=member_of(request.user, proposal.body),
                withdraw_approval=form.cleaned_data["withdraw_approval"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The proposal has been put on the agenda; its author has been told."))
            return redirect("meeting", meeting_id=meeting.pk)
    proposal.refresh_from_db()
    return _detail(request, proposal, accept_form=form)


@login_required
@require_POST
def proposal_return(request, proposal_id):
    proposal = permissions.get_proposal_for_user(request.user, proposal_id, write=True)
    form = ReturnProposalForm(request.POST)
    if form.is_valid():
        try:
            return_proposal(
                proposal,
                actor=request.user,
                decider=member_of(request.user, proposal.body),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The proposal has been returned; its author has been told."))
            return redirect("proposal", proposal_id=proposal.pk)
    proposal.refresh_from_db()
    return _detail(request, proposal, return_form=form)
