"""Pages of meetings: schedule, agenda, invitations, attendance and quorum, decisions.

Each view reaches the meeting through permissions.get_meeting_for_user and calls one domain
function; the domain's ValidationError goes back onto the form (or into a message)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alqa import permissions
from alqa.domain.meetings import (
    AttendanceRow,
    ExecutorInput,
    add_agenda_item,
    approve_agenda,
    body_cadence,
    cancel_meeting,
    current_chair,
    describe_quorum,
    invite_guest,
    meeting_day,
    quorum_for,
    record_attendance,
    record_decision,
    reply_to_invitation,
    schedule_meeting,
    update_meeting,
)
from alqa.domain.proposals import check_files, store_files
from alqa.domain.quorum import Quorum, SideCount
from alqa.enums import InvitationReply, MeetingStatus
from alqa.forms.meetings import (
    AgendaItemForm,
    CancelMeetingForm,
    DecisionForm,
    ExecutorFormSet,
    InviteGuestForm,
    MeetingForm,
)
from alqa.models import AgendaItem, Assignment, Attachment, AuditEvent, Invitation, Meeting, Member
from alqa.views.common import apply_errors


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    return reverse("meeting", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")


def stored_quorum(data: dict) -> Quorum | None:
    """The quorum kept with a decision, back as a Quorum (None for a malformed record)."""
    try:
        return Quorum(
            rule=data["rule"],
            met=data["met"],
            sides={side: SideCount(**count) for side, count in data["sides"].items()},
            overall=SideCount(**data["overall"]),
        )
    except (KeyError, TypeError, AttributeError):
        return None


# --- list, schedule, edit, cancel ---------------------------------------------------------


@login_required
def meeting_list(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    meetings = list(
        Meeting.objects.filter(body=body)
        .select_related("presiding")
        .annotate(item_count=Count("items"))
        .order_by("-starts_at")
    )
    now = timezone.now()
    upcoming = [m for m in meetings if m.starts_at >= now and m.status == MeetingStatus.SCHEDULED][::-1]
    past = [m for m in meetings if not (m.starts_at >= now and m.status == MeetingStatus.SCHEDULED)]
    return render(
        request,
        "alqa/meetings/list.html",
        {
            "body": body,
            "upcoming": upcoming,
            "past": past,
            "cadence": body_cadence(body),
            "next_meeting": upcoming[0] if upcoming else None,
            "can_manage": permissions.can_manage_body(request.user, body),
        },
    )


@login_required
def meeting_new(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id, write=True)
    chair = current_chair(body, on=timezone.localdate())
    form = MeetingForm(request.POST or None, body=body, initial={"presiding": chair})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = schedule_meeting(body=body, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if meeting.retrospective:
                messages.success(request, _("The meeting has been entered after the fact."))
            else:
                messages.success(
                    request,
                    _(
                        "The meeting has been scheduled. Add the agenda; invitations go out "
                        "when the presiding person approves it."
                    ),
                )
            return redirect("meeting", meeting_id=meeting.pk)
    return render(request, "alqa/meetings/form.html", {"form": form, "body": body, "meeting": None})


@login_required
def meeting_edit(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    if meeting.status == MeetingStatus.CANCELLED:
        messages.error(request, _("A cancelled meeting cannot be changed."))
        return redirect("meeting", meeting_id=meeting.pk)
    form = MeetingForm(
        request.POST or None, body=meeting.body, editing=True, initial=MeetingForm.initial_from(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_meeting(meeting, actor=request.user, changes=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("meeting", meeting_id=meeting.pk)
    return render(
        request, "alqa/meetings/form.html", {"form": form, "body": meeting.body, "meeting": meeting}
    )


@login_required
def meeting_cancel(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    form = CancelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancel_meeting(meeting, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting has been cancelled; everyone invited has been told."))
            return redirect("meeting", meeting_id=meeting.pk)
    return render(
        request, "alqa/meetings/cancel.html", {"form": form, "meeting": meeting, "body": meeting.body}
    )


# --- the meeting page ---------------------------------------------------------------------


def _attendance_context(meeting: Meeting, invitations: list[Invitation]) -> dict:
    day = meeting_day(meeting)
    rows = {(a.member_id, a.guest_id): a.present for a in meeting.attendance.all()}
    members = list(Member.objects.filter(body=meeting.body).on(day).order_by("side", "full_name"))
    by_side: dict[str, dict] = {}
    for m in members:
        group = by_side.setdefault(m.side, {"label": m.get_side_display(), "rows": []})
        group["rows"].append(
            {"member": m, "present": rows.get((m.pk, None), False), "recorded": (m.pk, None) in rows}
        )
    guests = [
        {"guest": i.guest, "present": rows.get((None, i.guest_id), False)} for i in invitations if i.guest_id
    ]
    return {
        "attendance_sides": list(by_side.values()),
        "attendance_guests": guests,
        "attendance_recorded": bool(rows),
    }


def _quorum_context(meeting: Meeting) -> dict:
    quorum = quorum_for(meeting)
    return {
        "quorum": quorum,
        "quorum_text": describe_quorum(quorum),
        "quorum_rule": meeting.body.policy.get_quorum_rule_display(),
    }


@login_required
def meeting_detail(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id)
    body = meeting.body
    is_member_view = permissions.bodies_for_user(request.user).filter(pk=body.pk).exists()
    can_manage = is_member_view and permissions.can_manage_body(request.user, body)
    items = list(
        meeting.items.select_related(
            "speaker", "proposal__author", "remark_on__meeting", "remark_on__agenda_item"
        ).prefetch_related("attachments", "proposal__attachments")
    )
    context = {
        "meeting": meeting,
        "body": body,
        "items": items,
        "approved_by": meeting.agenda_approved_by if meeting.agenda_approved_by_id else None,
        "is_presiding": meeting.presiding.user_id is not None
        and meeting.presiding.user_id == request.user.pk,
        "is_member_view": is_member_view,
        "can_manage": can_manage,
        "cancelled": meeting.status == MeetingStatus.CANCELLED,
        "cancel_reason": "",
    }
    if context["cancelled"]:
        event = meeting_events(meeting, "meeting.cancelled")
        context["cancel_reason"] = (event.data or {}).get("reason", "") if event else ""
    if is_member_view:
        invitations = list(
            meeting.invitations.select_related("member", "guest").order_by(
                "guest_id", "member__side", "member__full_name"
            )
        )
        decisions = list(
            meeting.decisions.select_related("agenda_item").prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.select_related("executor_member", "executor_unit").order_by(
                        "id"
                    ),
                )
            )
        )
        for d in decisions:
            q = stored_quorum(d.quorum)
            d.quorum_text = describe_quorum(q) if q else ""
        context |= (
            {
                "invitations": invitations,
                "decisions": decisions,
                "guest_form": InviteGuestForm(meeting=meeting) if can_manage else None,
            }
            | _attendance_context(meeting, invitations)
            | _quorum_context(meeting)
        )
    else:
        context["my_invitation"] = meeting.invitations.filter(guest__user=request.user).first()
    return render(request, "alqa/meetings/detail.html", context)


def meeting_events(meeting: Meeting, action: str) -> AuditEvent | None:
    return (
        AuditEvent.objects.filter(object_type="meeting", object_id=str(meeting.pk), action=action)
        .order_by("-id")
        .first()
    )


# --- agenda -------------------------------------------------------------------------------


@login_required
def agenda_item_new(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    form = AgendaItemForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checked = check_files(data["files"])
            with transaction.atomic():
                item = add_agenda_item(
                    meeting,
                    actor=request.user,
                    title_ru=data["title_ru"],
                    title_kk=data["title_kk"],
                    kind=data["kind"],
                    speaker=data["speaker"],
                    plan_item_ref=data["plan_item_ref"],
                    remark_on=data["remark_on"],
                    order=data["order"],
                )
                store_files(checked, body=meeting.body, actor=request.user, agenda_item=item)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The question has been added to the agenda."))
            return redirect(_meeting_url(meeting, "agenda"))
    return render(
        request, "alqa/meetings/item_form.html", {"form": form, "meeting": meeting, "body": meeting.body}
    )


@login_required
@require_POST
def agenda_approve(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id)
    try:
        approve_agenda(meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The agenda has been approved (version %(version)s).") % {"version": meeting.agenda_version},
        )
    return redirect(_meeting_url(meeting, "agenda"))


# --- invitations --------------------------------------------------------------------------


@login_required
@require_POST
def meeting_invite_guest(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    form = InviteGuestForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            invite_guest(meeting, guest=form.cleaned_data["guest"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("%(name)s has been invited.") % {"name": form.cleaned_data["guest"].full_name}
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(_meeting_url(meeting, "invitations"))


def invitation_reply(request, token):
    """The private link of an invitation: no sign-in; the token is the key."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("meeting__body", "member", "guest"), token=str(token)[:64]
    )
    meeting = invitation.meeting
    if request.method == "POST":
        try:
            reply_to_invitation(invitation, reply=request.POST.get("reply", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: your reply has been recorded."))
        return redirect("invitation_reply", token=invitation.token)
    return render(
        request,
        "alqa/meetings/reply.html",
        {
            "invitation": invitation,
            "meeting": meeting,
            "items": list(meeting.items.all()),
            "cancelled": meeting.status == MeetingStatus.CANCELLED,
            "replies": [(v, label) for v, label in InvitationReply.choices if v != InvitationReply.PENDING],
        },
    )


# --- attendance and quorum ----------------------------------------------------------------


MAX_ID = 2**63 - 1  # the largest key a database stores; a larger number is not understood


def _ids(values: list[str]) -> list[int]:
    ids = [int(v) for v in values]
    if any(not 1 <= i <= MAX_ID for i in ids):
        raise ValueError("id out of range")
    return ids


@login_required
@require_POST
def meeting_attendance(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    error = None
    try:
        member_ids = _ids(request.POST.getlist("member"))
        present = set(_ids(request.POST.getlist("present")))
        guest_ids = _ids(request.POST.getlist("guest"))
        guests_present = set(_ids(request.POST.getlist("guest_present")))
    except ValueError:
        error = _("The attendance list was not understood; reload the page and try again.")
    else:
        try:
            record_attendance(
                meeting,
                actor=request.user,
                members=[AttendanceRow(i, i in present) for i in member_ids],
                guests=[(i, i in guests_present) for i in guest_ids],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if request.htmx:
        return render(
            request,
            "alqa/meetings/_quorum.html",
            {
                "meeting": meeting,
                "attendance_error": error,
                "attendance_saved": error is None,
            }
            | _quorum_context(meeting),
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The attendance has been saved."))
    return redirect(_meeting_url(meeting, "attendance"))


# --- decisions ----------------------------------------------------------------------------


def _apply_decision_errors(form, formset, rows: list[int], exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.message_dict.items():
        if key.startswith("executors."):
            try:
                index = rows[int(key.split(".", 1)[1])]
            except (ValueError, IndexError):
                form.add_error(None, errors)
            else:
                formset.forms[index].add_error(None, errors)
        else:
            form.add_error(key if key in form.fields else None, errors)


@login_required
def decision_new(request, meeting_id, item_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    item = get_object_or_404(AgendaItem.objects.filter(meeting=meeting), pk=item_id)
    posted = request.method == "POST"
    form = DecisionForm(request.POST if posted else None)
    formset = ExecutorFormSet(
        request.POST if posted else None, prefix="executors", form_kwargs={"body": meeting.body}
    )
    if posted and form.is_valid() and formset.is_valid():
        executors, rows = [], []
        for index, row in enumerate(formset.forms):
            data = row.cleaned_data
            if not data or not any(v not in (None, "") for v in data.values()):
                continue
            rows.append(index)
            executors.append(
                ExecutorInput(
                    member_id=data["member"].pk if data.get("member") else None,
                    unit_id=data["unit"].pk if data.get("unit") else None,
                    name=data.get("name") or "",
                    due_date=data.get("due_date"),
                    due_working_days=data.get("due_working_days"),
                )
            )
        try:
            record_decision(
                meeting,
                actor=request.user,
                agenda_item=item,
                text_ru=form.cleaned_data["text_ru"],
                text_kk=form.cleaned_data["text_kk"],
                executors=executors,
            )
        except ValidationError as exc:
            _apply_decision_errors(form, formset, rows, exc)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect(_meeting_url(meeting, "decisions"))
    return render(
        request,
        "alqa/meetings/decision_form.html",
        {
            "form": form,
            "formset": formset,
            "meeting": meeting,
            "item": item,
            "body": meeting.body,
            "has_errors": posted
            and (bool(form.errors) or not formset.is_valid() or any(f.errors for f in formset)),
        }
        | _quorum_context(meeting),
    )


# --- files --------------------------------------------------------------------------------


def serve_attachment(attachment: Attachment) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The file is missing.") from None
    return FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )


@login_required
def meeting_attachment(request, meeting_id, attachment_id):
    """A file of the meeting's agenda: of one of its questions, or of a proposal on its agenda."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id)
    attachment = (
        Attachment.objects.filter(pk=attachment_id)
        .filter(Q(agenda_item__meeting=meeting) | Q(proposal__items__meeting=meeting))
        .first()
    )
    if attachment is None:
        raise Http404("No such file.")
    return serve_attachment(attachment)
