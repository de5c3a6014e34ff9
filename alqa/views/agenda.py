"""Pages of a meeting's agenda: add a question (with its files), change, move or remove one,
approve the agenda. A change to an approved agenda says beforehand that it withdraws the approval:
its form carries the confirmation, and without it nothing changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alqa import permissions
from alqa.domain.attachments import add_agenda_item_with_files
from alqa.domain.meetings import (
    DOWN,
    EDIT_AGENDA,
    UP,
    approve_agenda,
    change_agenda_item,
    move_agenda_item,
    refuse_action,
    remove_agenda_item,
)
from alqa.forms.common import apply_errors
from alqa.forms.meetings import AgendaItemActionForm, AgendaItemForm
from alqa.models import AgendaItem, Meeting
from alqa.views.common import meeting_url


def refused(request, meeting: Meeting, action: str):
    """A page of an action the meeting's state does not allow (domain.meetings.why_not) is not
    shown: back to the meeting with the reason, before anything is typed."""
    try:
        refuse_action(meeting, action)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(meeting_url(meeting))
    return None


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = AgendaItem.objects.select_related("speaker").filter(meeting=meeting, pk=item_id).first()
    if item is None:
        raise Http404("No such question on this agenda.")
    item.meeting = meeting
    return item


@login_required
def agenda_item_new(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    if (refusal := refused(request, meeting, EDIT_AGENDA)) is not None:
        return refusal
    form = AgendaItemForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            add_agenda_item_with_files(meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The question has been added to the agenda."))
            return redirect(meeting_url(meeting, "agenda"))
    return render(
        request, "alqa/meetings/item_form.html", {"form": form, "meeting": meeting, "body": meeting.body}
    )


@login_required
def agenda_item_edit(request, meeting_id, item_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    item = _item(meeting, item_id)
    if (refusal := refused(request, meeting, EDIT_AGENDA)) is not None:
        return refusal
    initial = {
        "title_ru": item.title_ru,
        "title_kk": item.title_kk,
        "plan_item_ref": item.plan_item_ref,
        "speaker": item.speaker,
    }
    form = AgendaItemForm(request.POST or None, meeting=meeting, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change_agenda_item(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The question has been changed."))
            return redirect(meeting_url(meeting, f"item-{item.pk}"))
    return render(
        request,
        "alqa/meetings/item_form.html",
        {"form": form, "meeting": meeting, "body": meeting.body, "item": item},
    )


def _item_action(request, meeting_id, item_id, *, action: str):
    """Moving or removing a question. GET shows what will happen with the confirmation the
    approved agenda needs; POST does it (the meeting page posts a move of a draft agenda
    directly)."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    item = _item(meeting, item_id)
    if (refusal := refused(request, meeting, EDIT_AGENDA)) is not None:
        return refusal
    form = AgendaItemActionForm(request.POST if request.method == "POST" else None, meeting=meeting)
    direction = (request.POST or request.GET).get("direction", "")
    if action == "move" and direction not in (UP, DOWN):
        direction = ""
        if request.method == "POST":
            form.is_valid()
            form.add_error(None, _("Choose up or down."))
    if request.method == "POST" and form.is_valid():
        withdraw = form.cleaned_data["withdraw_approval"]
        try:
            if action == "move":
                move_agenda_item(item, actor=request.user, direction=direction, withdraw_approval=withdraw)
            else:
                remove_agenda_item(item, actor=request.user, withdraw_approval=withdraw)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if action == "move":
                messages.success(request, _("The question has been moved."))
                return redirect(meeting_url(meeting, f"item-{item.pk}"))
            messages.success(request, _("The question has been removed from the agenda."))
            return redirect(meeting_url(meeting, "agenda"))
    return render(
        request,
        "alqa/meetings/item_action.html",
        {
            "form": form,
            "meeting": meeting,
            "body": meeting.body,
            "item": item,
            "action": action,
            "direction": direction,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_move(request, meeting_id, item_id):
    return _item_action(request, meeting_id, item_id, action="move")


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_remove(request, meeting_id, item_id):
    return _item_action(request, meeting_id, item_id, action="remove")


@login_required
@require_POST
def agenda_approve(request, meeting_id):
    # read afresh (not from the page cache); only the presiding person gets as far as the domain
    meeting = permissions.get_meeting_to_approve(request.user, meeting_id)
    try:
        approve_agenda(meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The agenda has been approved (version %(version)s).") % {"version": meeting.agenda_version},
        )
    return redirect(meeting_url(meeting, "agenda"))
