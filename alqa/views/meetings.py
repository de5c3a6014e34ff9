"""Pages of meetings: schedule, agenda, invitations, attendance and quorum, decisions.

Each view reaches the meeting through permissions.get_meeting_for_user and calls one domain
function; the domain's ValidationError goes back onto the form (or into a message)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
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
from alqa.domain.quorum import Quorum, SideCount, compute_quorum
from alqa.enums import AgendaItemKind, GuestKind, InvitationReply, MeetingStatus, Role, Side
from alqa.forms.meetings import (
    AgendaItemForm,
    CancelMeetingForm,
    DecisionForm,
    ExecutorFormSet,
    InviteGuestForm,
    MeetingForm,
)
from alqa.fragments import cached_fragment
from alqa.models import (
    AgendaItem,
    Assignment,
    Attachment,
    AuditEvent,
    Decision,
    Invitation,
    Meeting,
    Member,
    Proposal,
)
from alqa.models.meetings import explain_due
from alqa.templatetags.alqa_tags import long_date
from alqa.views.common import apply_errors, show_case_guard


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    return reverse("meeting", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")


def stored_quorum(data: dict) -> Quorum | None:
    """The quorum kept with a decision, back as a Quorum (None for a malformed record)."""
    try:
        return Quorum(
            rule=data["rule"],
            met=data["met"],
            # police first, then bar, whatever order the database keeps JSON keys in (jsonb sorts them)
            sides={
                side: SideCount(**data["sides"][side]) for side in ("police", "bar") if side in data["sides"]
            },
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
            cancel_meeting(
                meeting,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                identifiers_confirmed=form.cleaned_data["confirm_identifiers"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting has been cancelled; everyone invited has been told."))
            return redirect("meeting", meeting_id=meeting.pk)
    return render(
        request, "alqa/meetings/cancel.html", {"form": form, "meeting": meeting, "body": meeting.body}
    )


# --- the meeting page ---------------------------------------------------------------------


def _quorum_context(meeting: Meeting) -> dict:
    quorum = quorum_for(meeting)
    return {
        "quorum": quorum,
        "quorum_text": describe_quorum(quorum),
        "quorum_rule": meeting.body.policy.get_quorum_rule_display(),
    }


# The meeting page renders its long lists (agenda, invitations, attendance, decisions) here, row by
# row with format_html, rather than through template loops: with 30 items, 40 members and 30
# decisions the template engine spent most of the request's CPU on them. The markup and the
# translated strings (same msgids as the templates') are those the template used to produce;
# every value is escaped by format_html / conditional_escape.


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _files_by_owner(meeting: Meeting, items) -> dict[tuple[str, int], list]:
    """The files of the agenda items and of their proposals, one query: {("item" | "proposal",
    id): [<li> markup, ...]} in the order of their ids, as the prefetches gave them."""
    proposal_ids = {item["proposal_id"] for item in items if item["proposal_id"]}
    rows = (
        Attachment.objects.filter(Q(agenda_item__meeting=meeting) | Q(proposal_id__in=proposal_ids))
        .order_by("id")
        .values_list("pk", "name", "size", "agenda_item_id", "proposal_id")
    )
    prefix = reverse("meeting_attachment", args=[meeting.pk, 0])[:-2]
    files: dict[tuple[str, int], list] = {}
    for pk, name, size, item_id, proposal_id in rows:
        li = format_html(
            '<li><a href="{}{}/">{}</a> <span class="muted">({})</span></li>',
            prefix,
            pk,
            name,
            filesizeformat(size),
        )
        if item_id:
            files.setdefault(("item", item_id), []).append(li)
        if proposal_id:
            files.setdefault(("proposal", proposal_id), []).append(li)
    return files


AGENDA_COLUMNS = (
    "pk",
    "order",
    "title_ru",
    "title_kk",
    "kind",
    "plan_item_ref",
    "speaker__full_name",
    "proposal_id",
    "remark_on_id",
)


def _agenda_rows_html(meeting, items, *, is_member_view: bool, can_manage: bool, cancelled: bool) -> str:
    kinds = _labels(AgendaItemKind.choices)
    proposal_label, memo_label = _("Proposal:"), _("Justification memo")
    record_label = _("Record a decision")
    plan_item, remark = (
        _("Plan item: %(ref)s"),
        _("Remark on decision %(order)s.%(number)s of the meeting of %(day)s:"),
    )
    attached = _files_by_owner(meeting, items)
    # Proposals and the decisions remarked on: a query each, and only when some item has one.
    proposal_ids = {item["proposal_id"] for item in items if item["proposal_id"]}
    proposals = Proposal.objects.select_related("author").in_bulk(proposal_ids) if proposal_ids else {}
    remark_ids = {item["remark_on_id"] for item in items if item["remark_on_id"]}
    remarked = (
        Decision.objects.select_related("meeting", "agenda_item").in_bulk(remark_ids) if remark_ids else {}
    )
    rows = []
    for item in items:
        head = []
        if item["title_ru"]:
            head.append(format_html('<span lang="ru">{}</span>', item["title_ru"]))
        if item["title_ru"] and item["title_kk"]:
            head.append(mark_safe("<br>"))
        if item["title_kk"]:
            head.append(format_html('<span lang="kk">{}</span>', item["title_kk"]))
        proposal = proposals.get(item["proposal_id"])
        if proposal:
            title = (
                format_html('<a href="{}">{}</a>', reverse("proposal", args=[proposal.pk]), proposal.title)
                if is_member_view
                else conditional_escape(proposal.title)
            )
            memos = "".join(
                format_html(
                    '\n              <div lang="{}">{}</div>',
                    lang,
                    mark_safe(linebreaks(memo, autoescape=True)),
                )
                for lang, memo in (("ru", proposal.memo_ru), ("kk", proposal.memo_kk))
                if memo
            )
            head.append(
                format_html(
                    '\n            <p class="help">{} {} — {}</p>\n'
                    "            <details><summary>{}</summary>{}\n            </details>",
                    proposal_label,
                    title,
                    proposal.author.full_name,
                    memo_label,
                    mark_safe(memos),
                )
            )
        if item["plan_item_ref"]:
            head.append(
                format_html(
                    '\n          <p class="help">{}</p>',
                    mark_safe(plan_item % {"ref": conditional_escape(item["plan_item_ref"])}),
                )
            )
        target = remarked.get(item["remark_on_id"])
        if target:
            text = remark % {
                "day": conditional_escape(long_date(timezone.localtime(target.meeting.starts_at))),
                "number": target.number,
                "order": target.agenda_item.order,
            }
            head.append(
                format_html(
                    '\n          <p class="help">{} <a href="{}#decision-{}">{}</a></p>',
                    mark_safe(text),
                    reverse("meeting", args=[target.meeting_id]),
                    target.pk,
                    Truncator(target.text).chars(120),
                )
            )
        files = attached.get(("item", item["pk"]), [])
        if proposal:
            files = files + attached.get(("proposal", proposal.pk), [])
        decision = ""
        if can_manage:
            link = (
                ""
                if cancelled
                else format_html(
                    '<a href="{}">{}<span class="sr-only"> — {}</span></a>',
                    reverse("decision_new", args=[meeting.pk, item["pk"]]),
                    record_label,
                    item["order"],
                )
            )
            decision = format_html("\n        <td>{}</td>", link)
        rows.append(
            format_html(
                '\n      <tr id="item-{}">\n        <td>{}</td>\n        <th scope="row">\n          {}\n        </th>\n'
                "        <td>{}</td>\n        <td>{}</td>\n"
                '        <td>\n          <ul class="files">\n          {}\n          </ul>\n        </td>{}\n      </tr>',
                item["pk"],
                item["order"],
                mark_safe("".join(head)),
                kinds.get(item["kind"], item["kind"]),
                item["speaker__full_name"] or "—",
                mark_safe("".join(files)),
                decision,
            )
        )
    return mark_safe("".join(rows))


INVITATION_COLUMNS = (
    "member_id",
    "member__full_name",
    "member__role",
    "member__side",
    "guest_id",
    "guest__full_name",
    "guest__kind",
    "reply",
    "replied_at",
)


def _invitations(meeting: Meeting) -> list[dict]:
    """The meeting's invitations as plain dicts (members by side and name, then participants)."""
    return list(
        meeting.invitations.order_by("guest_id", "member__side", "member__full_name").values(
            *INVITATION_COLUMNS
        )
    )


def _invitation_rows_html(invitations: list[dict]) -> str:
    roles, sides = _labels(Role.choices), _labels(Side.choices)
    kinds, replies = _labels(GuestKind.choices), _labels(InvitationReply.choices)
    invited = _("Invited participant")
    rows = []
    for inv in invitations:
        if inv["member_id"]:
            role, side = inv["member__role"], inv["member__side"]
            name, part = (
                inv["member__full_name"],
                format_html("{}, {}", roles.get(role, role), sides.get(side, side)),
            )
        else:
            kind = inv["guest__kind"]
            name, part = inv["guest__full_name"], format_html("{}: {}", invited, kinds.get(kind, kind))
        replied = (
            format_html(' <span class="muted">({})</span>', long_date(timezone.localtime(inv["replied_at"])))
            if inv["replied_at"]
            else ""
        )
        rows.append(
            format_html(
                '\n      <tr>\n        <th scope="row">{}</th>\n        <td>{}</td>\n        <td>{}{}</td>\n      </tr>',
                name,
                part,
                replies.get(inv["reply"], inv["reply"]),
                replied,
            )
        )
    return mark_safe("".join(rows))


def _detail_attendance(meeting: Meeting, invitations: list[dict]) -> dict:
    """Attendance and quorum for the meeting page from two queries (the members in office on the
    day and the attendance rows); the quorum is counted from them as quorum_for counts it."""
    day = meeting_day(meeting)
    rows = {
        (m, g): present
        for m, g, present in meeting.attendance.values_list("member_id", "guest_id", "present")
    }
    members = Member.objects.filter(body=meeting.body).on(day).order_by("side", "full_name")
    sides, roles = _labels(Side.choices), _labels(Role.choices)
    by_side: dict[str, dict] = {}
    total: dict[str, int] = {}
    present_count: dict[str, int] = {}
    for pk, full_name, side, role in members.values_list("pk", "full_name", "side", "role"):
        present = rows.get((pk, None), False)
        total[side] = total.get(side, 0) + 1
        if present:
            present_count[side] = present_count.get(side, 0) + 1
        group = by_side.setdefault(side, {"label": sides.get(side, side), "rows": []})
        group["rows"].append(
            {
                "member": {
                    "pk": pk,
                    "full_name": full_name,
                    "role": role,
                    "role_label": roles.get(role, role),
                },
                "present": present,
            }
        )
    guests = [
        {
            "guest": {"pk": i["guest_id"], "full_name": i["guest__full_name"]},
            "present": rows.get((None, i["guest_id"]), False),
        }
        for i in invitations
        if i["guest_id"]
    ]
    present_list = [
        format_html("<li>{} ({})</li>", row["member"]["full_name"], group["label"])
        for group in by_side.values()
        for row in group["rows"]
        if row["present"]
    ]
    guest_label = _("invited participant")
    present_list += [
        format_html("<li>{} ({})</li>", row["guest"]["full_name"], guest_label)
        for row in guests
        if row["present"]
    ]
    quorum = compute_quorum(rule=meeting.body.policy.quorum_rule, present=present_count, total=total)
    return {
        "attendance_sides": list(by_side.values()),
        "attendance_guests": guests,
        "attendance_recorded": bool(rows),
        "attendance_present_html": mark_safe("\n      ".join(present_list)),
        "quorum": quorum,
        "quorum_text": describe_quorum(quorum),
        "quorum_rule": meeting.body.policy.get_quorum_rule_display(),
    }


def _in_language(ru: str, kk: str) -> str:
    """What the models' bilingual properties (title, text, name) give: Kazakh for a Kazakh reader
    when there is a Kazakh text, else Russian (or Kazakh when there is no Russian)."""
    if get_language() == "kk" and kk:
        return kk
    return ru or kk


def _decisions_html(meeting: Meeting) -> tuple[bool, str]:
    """The decision cards, from two queries of plain values (decisions, then their executors).
    Labels and explanations as Decision.text, AgendaItem.title, Assignment.executor_label and
    Assignment.due_explanation give them."""
    decisions = list(
        meeting.decisions.values_list(  # in the model's order, as before
            "pk",
            "number",
            "text_ru",
            "text_kk",
            "quorum",
            "agenda_item__order",
            "agenda_item__title_ru",
            "agenda_item__title_kk",
        )
    )
    if not decisions:
        return False, ""
    by_decision: dict[int, list] = {}
    for row in (
        Assignment.objects.filter(decision__meeting=meeting)
        .order_by("id")
        .values_list(
            "decision_id",
            "executor_member_id",
            "executor_member__full_name",
            "executor_unit_id",
            "executor_unit__name_ru",
            "executor_unit__name_kk",
            "executor_name",
            "due_date",
            "due_working_days",
            "due_recounted",
        )
    ):
        by_decision.setdefault(row[0], []).append(row[1:])
    held_on = meeting_day(meeting)
    heading, quorum_at = (
        _("Decision %(order)s.%(number)s on «%(title)s»"),
        _("Quorum at the decision: %(detail)s"),
    )
    executors = format_html(
        '\n      <table class="table">\n        <caption>{}</caption>\n'
        '        <thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead>\n'
        "        <tbody>",
        _("Executors"),
        _("Executor"),
        _("Deadline"),
        _("How the deadline was counted"),
    )
    described: dict[str, str] = {}  # decisions of one sitting mostly share their quorum
    cards = []
    for pk, number, text_ru, text_kk, quorum_data, order, title_ru, title_kk in decisions:
        title = heading % {
            "order": order,
            "number": number,
            "title": conditional_escape(_in_language(title_ru, title_kk)),
        }
        table = ""
        assignments = by_decision.get(pk)
        if assignments:
            lines = []
            for (
                member_id,
                member_name,
                unit_id,
                unit_ru,
                unit_kk,
                name,
                due_date,
                working_days,
                recounted,
            ) in assignments:
                if member_id:
                    label = member_name
                elif unit_id:
                    label = _in_language(unit_ru, unit_kk)
                else:
                    label = name
                explanation = explain_due(working_days, held_on, recounted)
                lines.append(
                    format_html(
                        '\n          <tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
                        label,
                        long_date(due_date),
                        explanation or "—",
                    )
                )
            table = executors + mark_safe("".join(lines)) + mark_safe("\n        </tbody>\n      </table>")
        key = json.dumps(quorum_data, sort_keys=True, default=str)
        if key not in described:
            q = stored_quorum(quorum_data)
            described[key] = describe_quorum(q) if q else ""
        quorum = (
            format_html(
                '\n      <p class="muted">{}</p>',
                mark_safe(quorum_at % {"detail": conditional_escape(described[key])}),
            )
            if described[key]
            else ""
        )
        cards.append(
            format_html(
                '\n    <article class="card" id="decision-{0}" aria-labelledby="decision-{0}-heading">\n'
                '      <h3 id="decision-{0}-heading">{1}</h3>\n      <div>{2}</div>{3}{4}\n    </article>',
                pk,
                mark_safe(title),
                mark_safe(linebreaks(_in_language(text_ru, text_kk), autoescape=True)),
                table,
                quorum,
            )
        )
    return True, mark_safe("".join(cards))


@login_required
def meeting_detail(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id)
    body = meeting.body
    reader = permissions.meeting_reader(request.user, meeting)
    content = cached_fragment(
        request,
        "alqa/meetings/_detail.html",
        lambda: _detail_context(
            meeting,
            request.user,
            is_member_view=reader.member,
            can_manage=reader.manages,
            is_presiding=reader.presiding,
        ),
        parts=("meeting", meeting.pk, *reader.cache_parts),
    )
    return render(
        request, "alqa/meetings/detail.html", {"meeting": meeting, "body": body, "content": content}
    )


def _detail_context(
    meeting: Meeting, user, *, is_member_view: bool, can_manage: bool, is_presiding: bool
) -> dict:
    """What the meeting page's content shows to one kind of reader."""
    cancelled = meeting.status == MeetingStatus.CANCELLED
    items = list(meeting.items.values(*AGENDA_COLUMNS))
    context = {
        "meeting": meeting,
        "body": meeting.body,
        "items": items,
        "agenda_rows_html": _agenda_rows_html(
            meeting, items, is_member_view=is_member_view, can_manage=can_manage, cancelled=cancelled
        ),
        "approved_by": meeting.agenda_approved_by if meeting.agenda_approved_by_id else None,
        "is_presiding": is_presiding,
        "is_member_view": is_member_view,
        "can_manage": can_manage,
        "cancelled": cancelled,
        "cancel_reason": "",
    }
    if cancelled:
        event = meeting_events(meeting, "meeting.cancelled")
        context["cancel_reason"] = (event.data or {}).get("reason", "") if event else ""
    if is_member_view:
        invitations = _invitations(meeting)
        has_decisions, decisions_html = _decisions_html(meeting)
        context |= {
            "invitations": invitations,
            "invitation_rows_html": _invitation_rows_html(invitations),
            "decisions": has_decisions,
            "decisions_html": decisions_html,
            "guest_form": InviteGuestForm(meeting=meeting) if can_manage else None,
        } | _detail_attendance(meeting, invitations)
    else:
        context["my_invitation"] = meeting.invitations.filter(guest__user=user).first()
    return context


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
                    identifiers_confirmed=data["confirm_identifiers"],
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
    # write=True: read afresh (not from the page cache), and only those who keep the register
    # (the presiding chair or deputy among them) get as far as the domain's own check
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
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
    show_case_guard(form, exc)
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
                identifiers_confirmed=form.cleaned_data["confirm_identifiers"],
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
