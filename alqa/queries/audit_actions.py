"""What each audit action reads as, in the reader's language: the one place to add a sentence.

A new action (`record_event(obj, "protocol.signed", …)`) gets one entry below: its name in the
filter's list, and its sentence. A sentence names its parts as `%(…)s`:

* `actor` — who did it, as «Серикбаев А. Н.»; `object` — the record as it was named then;
* `meeting` — the date of the meeting it concerns (the event's object when that is a meeting, or
  `data["meeting"]`), in the form that stands before its noun («1 декабря 2026 г.»,
  «2026 жылғы 1 желтоқсандағы»), so a sentence says "the meeting of %(meeting)s";
* `title`, `text`, `name` — `data["title_ru"/"title_kk"]` (and `text_…`, `name_…`) in the reader's
  language; every other key of the event's data under its own name (a date as a date, a choice
  as its label, a list joined by commas), and `<key>_count` for a list.

Russian past-tense verbs agree with the actor: give `woman=` the same sentence with the context
"actor is a woman" (written out: the translators' tools read only literal text) (Kazakh and English translate it once more the same). An
action without an entry reads as the generic sentence at the end, so an action recorded before
its sentence is written still reads as a sentence. Changed fields ({field: [before, after]})
are listed under the sentence by alqa.queries.audit, whatever the action.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Action:
    label: Promise | str  # the kind of action, in the filter's list
    sentence: Promise | str
    woman: Promise | str | None = None  # the sentence when the actor is a woman


# fmt: off
ACTIONS: dict[str, Action] = {
    "body.created": Action(_("Monitoring group created"), _("%(actor)s created the monitoring group %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s created the monitoring group %(object)s")),
    "policy.changed": Action(_("Policy changed"), _("%(actor)s changed the policy of the monitoring group"), pgettext_lazy("actor is a woman", "%(actor)s changed the policy of the monitoring group")),
    "unit.created": Action(_("Unit added"), _("%(actor)s added the unit %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s added the unit %(object)s")),
    "unit.changed": Action(_("Unit changed"), _("%(actor)s changed the unit %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s changed the unit %(object)s")),
    "member.added": Action(_("Member added"), _("%(actor)s added %(object)s to the register of members"), pgettext_lazy("actor is a woman", "%(actor)s added %(object)s to the register of members")),
    "member.changed": Action(_("Member's entry changed"), _("%(actor)s changed the register entry of %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s changed the register entry of %(object)s")),
    "guest.added": Action(_("Invited participant added"), _("%(actor)s added the invited participant %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s added the invited participant %(object)s")),
    "meeting.scheduled": Action(_("Meeting scheduled"), _("%(actor)s scheduled the meeting of %(meeting)s"), pgettext_lazy("actor is a woman", "%(actor)s scheduled the meeting of %(meeting)s")),
    "meeting.entered_retrospectively": Action(_("Meeting entered after it was held"), _("%(actor)s entered the meeting of %(meeting)s after it was held"), pgettext_lazy("actor is a woman", "%(actor)s entered the meeting of %(meeting)s after it was held")),
    "meeting.changed": Action(_("Meeting changed"), _("%(actor)s changed the meeting of %(meeting)s"), pgettext_lazy("actor is a woman", "%(actor)s changed the meeting of %(meeting)s")),
    "meeting.cancelled": Action(_("Meeting cancelled"), _("%(actor)s cancelled the meeting of %(meeting)s. Reason: %(reason)s"), pgettext_lazy("actor is a woman", "%(actor)s cancelled the meeting of %(meeting)s. Reason: %(reason)s")),
    "agenda.item_added": Action(_("Question added to the agenda"), _("%(actor)s added the question «%(title)s» to the agenda of the meeting of %(meeting)s"), pgettext_lazy("actor is a woman", "%(actor)s added the question «%(title)s» to the agenda of the meeting of %(meeting)s")),
    "agenda.files_attached": Action(_("Files attached to a question"), _("%(actor)s attached files to the question «%(object)s» of the meeting of %(meeting)s: %(files)s"), pgettext_lazy("actor is a woman", "%(actor)s attached files to the question «%(object)s» of the meeting of %(meeting)s: %(files)s")),
    "agenda.approved": Action(_("Agenda approved"), _("%(actor)s approved the agenda of the meeting of %(meeting)s, version %(version)s"), pgettext_lazy("actor is a woman", "%(actor)s approved the agenda of the meeting of %(meeting)s, version %(version)s")),
    "agenda.approval_withdrawn": Action(_("Approval of the agenda withdrawn"), _("%(actor)s changed the approved agenda of the meeting of %(meeting)s: its approval is withdrawn"), pgettext_lazy("actor is a woman", "%(actor)s changed the approved agenda of the meeting of %(meeting)s: its approval is withdrawn")),
    "meeting.guest_invited": Action(_("Participant invited to a meeting"), _("%(actor)s invited %(guest)s to the meeting of %(meeting)s"), pgettext_lazy("actor is a woman", "%(actor)s invited %(guest)s to the meeting of %(meeting)s")),
    "invitation.replied": Action(_("Reply to an invitation"), _("%(actor)s replied to the invitation to the meeting of %(meeting)s: %(reply)s"), pgettext_lazy("actor is a woman", "%(actor)s replied to the invitation to the meeting of %(meeting)s: %(reply)s")),
    "meeting.attendance_recorded": Action(_("Attendance recorded"), _("%(actor)s recorded attendance at the meeting of %(meeting)s: present %(present_count)s, absent %(absent_count)s, quorum: %(quorum_met)s"), pgettext_lazy("actor is a woman", "%(actor)s recorded attendance at the meeting of %(meeting)s: present %(present_count)s, absent %(absent_count)s, quorum: %(quorum_met)s")),
    "decision.recorded": Action(_("Decision recorded"), _("%(actor)s recorded the decision of the meeting of %(meeting)s: «%(text)s»"), pgettext_lazy("actor is a woman", "%(actor)s recorded the decision of the meeting of %(meeting)s: «%(text)s»")),
    "proposal.submitted": Action(_("Proposal submitted"), _("%(actor)s submitted the proposal «%(title)s»"), pgettext_lazy("actor is a woman", "%(actor)s submitted the proposal «%(title)s»")),
    "proposal.accepted": Action(_("Proposal put on the agenda"), _("%(actor)s put the proposal «%(object)s» on the agenda of the meeting of %(meeting)s"), pgettext_lazy("actor is a woman", "%(actor)s put the proposal «%(object)s» on the agenda of the meeting of %(meeting)s")),
    "proposal.returned": Action(_("Proposal returned"), _("%(actor)s returned the proposal «%(object)s» to its author. Reason: %(reason)s"), pgettext_lazy("actor is a woman", "%(actor)s returned the proposal «%(object)s» to its author. Reason: %(reason)s")),
    "deadline.recounted": Action(_("Deadline moved by the calendar"), _("The deadline «%(object)s» moved from %(from)s to %(to)s after a change of the working-day calendar")),
    "calendar.exception_added": Action(_("Calendar exception added"), _("%(actor)s added a calendar exception: %(date)s, %(kind)s"), pgettext_lazy("actor is a woman", "%(actor)s added a calendar exception: %(date)s, %(kind)s")),
    "calendar.exception_removed": Action(_("Calendar exception removed"), _("%(actor)s removed the calendar exception of %(date)s"), pgettext_lazy("actor is a woman", "%(actor)s removed the calendar exception of %(date)s")),
    "user.profile_changed": Action(_("Profile changed"), _("%(actor)s changed the profile of %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s changed the profile of %(object)s")),
    "user.calendar_token_reset": Action(_("Calendar feed address renewed"), _("%(actor)s gave the personal calendar feed a new address"), pgettext_lazy("actor is a woman", "%(actor)s gave the personal calendar feed a new address")),
    "api_token.issued": Action(_("API token issued"), _("%(actor)s issued the API token «%(name)s»"), pgettext_lazy("actor is a woman", "%(actor)s issued the API token «%(name)s»")),
    "api_token.revoked": Action(_("API token revoked"), _("%(actor)s revoked the API token «%(name)s»"), pgettext_lazy("actor is a woman", "%(actor)s revoked the API token «%(name)s»")),
    "admin.added": Action(_("Added in the administration site"), _("%(actor)s added %(object)s in the administration site"), pgettext_lazy("actor is a woman", "%(actor)s added %(object)s in the administration site")),
    "admin.changed": Action(_("Changed in the administration site"), _("%(actor)s changed %(object)s in the administration site"), pgettext_lazy("actor is a woman", "%(actor)s changed %(object)s in the administration site")),
    "admin.deleted": Action(_("Deleted in the administration site"), _("%(actor)s deleted %(object)s in the administration site"), pgettext_lazy("actor is a woman", "%(actor)s deleted %(object)s in the administration site")),
    "assignment.received": Action(_("Receipt of the protocol recorded"), _("The receipt of the protocol by %(object)s on %(on)s was recorded; the information is due by %(info_due)s")),
    "assignment.report_submitted": Action(_("Report on an assignment submitted"), _("%(object)s submitted information or a report on the assignment")),
    "assignment.report_accepted": Action(_("Report accepted"), _("%(actor)s accepted the report of %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s accepted the report of %(object)s")),
    "assignment.report_returned": Action(_("Report returned"), _("%(actor)s returned the report of %(object)s for rework: %(comment)s"), pgettext_lazy("actor is a woman", "%(actor)s returned the report of %(object)s for rework: %(comment)s")),
    "assignment.extension_requested": Action(_("Extension requested"), _("%(object)s asked to extend the deadline by %(working_days)s working days: %(reason)s")),
    "assignment.extension_granted": Action(_("Extension granted"), _("%(actor)s extended the deadline of %(object)s from %(from)s to %(to)s"), pgettext_lazy("actor is a woman", "%(actor)s extended the deadline of %(object)s from %(from)s to %(to)s")),
    "assignment.extension_refused": Action(_("Extension refused"), _("%(actor)s refused to extend the deadline of %(object)s: %(comment)s"), pgettext_lazy("actor is a woman", "%(actor)s refused to extend the deadline of %(object)s: %(comment)s")),
    "assignment.closed": Action(_("Assignment closed"), _("%(actor)s closed the assignment of %(object)s as executed"), pgettext_lazy("actor is a woman", "%(actor)s closed the assignment of %(object)s as executed")),
    "assignment.withdrawn": Action(_("Assignment withdrawn"), _("%(actor)s withdrew the assignment of %(object)s: %(comment)s"), pgettext_lazy("actor is a woman", "%(actor)s withdrew the assignment of %(object)s: %(comment)s")),
    "assignment.link_sent": Action(_("Executor's link sent"), _("%(actor)s sent %(object)s the personal link to the assignment (%(to)s)"), pgettext_lazy("actor is a woman", "%(actor)s sent %(object)s the personal link to the assignment (%(to)s)")),
    "assignment.link_revoked": Action(_("Executor's link revoked"), _("%(actor)s revoked the personal link of %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s revoked the personal link of %(object)s")),
    "assignment.reminded": Action(_("Deadline reminder sent"), _("A reminder of the deadline of %(due)s about the assignment of %(object)s was sent")),
}
# fmt: on

# An action without an entry above (one being added right now, or one of a newer version).
GENERIC = Action(
    _("Other change"),
    _("%(actor)s made a change: %(object)s"),
    pgettext_lazy("actor is a woman", "%(actor)s made a change: %(object)s"),
)


def action_for(code: str) -> Action:
    return ACTIONS.get(code, GENERIC)
