"""What each audit action reads as, in the reader's language: the one place to add a sentence.

A new action (`record_event(obj, "protocol.signed", …)`) gets one entry below: its name in the
filter's list, and its sentence. A sentence names its parts as `%(…)s`:

* `actor` — who did it, as «Серикбаев А. Н.»; `object` — the record as it was named then;
* `meeting` — the date of the meeting it concerns (the event's object when that is a meeting, or
  `data["meeting"]`), in the form that stands before its noun («1 декабря 2026 г.»,
  «2026 жылғы 1 желтоқсандағы»), so a sentence says "the meeting of %(meeting)s";
* `title`, `text`, `name` — `data["title_ru"/"title_kk"]` (and `text_…`, `name_…`) in the reader's
  language; every other key of the event's data under its own name (a date as a date, a choice
  as its label, a list joined by commas), and `<key>_count` for a list; a key holding a code
  that is no model field's (a refusal's reason) is named in `choices=` with its TextChoices and
  reads as the code's label.

Russian past-tense verbs agree with the actor: give `woman=` the same sentence with the context
"actor is a woman" (written out: the translators' tools read only literal text) (Kazakh and English translate it once more the same). An
action without an entry reads as the generic sentence at the end, so an action recorded before
its sentence is written still reads as a sentence. Changed fields ({field: [before, after]})
are listed under the sentence by alqa.queries.audit, whatever the action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alqa.enums import SignatureRefusal


@dataclass(frozen=True)
class Action:
    label: Promise | str  # the kind of action, in the filter's list
    sentence: Promise | str
    woman: Promise | str | None = None  # the sentence when the actor is a woman
    # keys of the event's data holding a code of these choices, read as the code's label
    choices: tuple[tuple[str, Any], ...] = ()


# fmt: off
ACTIONS: dict[str, Action] = {
    "body.created": Action(_("Monitoring group created"), _("%(actor)s created the monitoring group %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s created the monitoring group %(object)s")),
    "policy.changed": Action(_("Policy changed"), _("%(actor)s changed the policy of the monitoring group"), pgettext_lazy("actor is a woman", "%(actor)s changed the policy of the monitoring group")),
    "unit.created": Action(_("Unit added"), _("%(actor)s added the unit %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s added the unit %(object)s")),
    "unit.changed": Action(_("Unit changed"), _("%(actor)s changed the unit %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s changed the unit %(object)s")),
    "complaint_subject.added": Action(_("Subject added to the classifier"), _("%(actor)s added the subject %(object)s to the classifier of complaints"), pgettext_lazy("actor is a woman", "%(actor)s added the subject %(object)s to the classifier of complaints")),
    "complaint_subject.changed": Action(_("Subject of the classifier changed"), _("%(actor)s changed the subject %(object)s of the classifier of complaints"), pgettext_lazy("actor is a woman", "%(actor)s changed the subject %(object)s of the classifier of complaints")),
    "complaint_subject.switched_off": Action(_("Subject of the classifier switched off"), _("%(actor)s switched off the subject %(object)s of the classifier of complaints"), pgettext_lazy("actor is a woman", "%(actor)s switched off the subject %(object)s of the classifier of complaints")),
    "complaint_subject.switched_on": Action(_("Subject of the classifier switched on"), _("%(actor)s switched on again the subject %(object)s of the classifier of complaints"), pgettext_lazy("actor is a woman", "%(actor)s switched on again the subject %(object)s of the classifier of complaints")),
    "member.added": Action(_("Member added"), _("%(actor)s added %(object)s to the register of members"), pgettext_lazy("actor is a woman", "%(actor)s added %(object)s to the register of members")),
    "member.changed": Action(_("Member's entry changed"), _("%(actor)s changed the register entry of %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s changed the register entry of %(object)s")),
    "guest.added": Action(_("Invited participant added"), _("%(actor)s added the invited participant %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s added the invited participant %(object)s")),
    "meeting.scheduled": Action(_("Meeting scheduled"), _("%(actor)s scheduled the meeting of %(meeting)s"), pgettext_lazy("actor is a woman", "%(actor)s scheduled the meeting of %(meeting)s")),
    "meeting.entered_retrospectively": Action(_("Meeting entered after it was held"), _("%(actor)s entered the meeting of %(meeting)s after it was held"), pgettext_lazy("actor is a woman", "%(actor)s entered the meeting of %(meeting)s after it was held")),
    "meeting.changed": Action(_("Meeting changed"), _("%(actor)s changed the meeting of %(meeting)s"), pgettext_lazy("actor is a woman", "%(actor)s changed the meeting of %(meeting)s")),
    "meeting.cancelled": Action(_("Meeting cancelled"), _("%(actor)s cancelled the meeting of %(meeting)s. Reason: %(reason)s"), pgettext_lazy("actor is a woman", "%(actor)s cancelled the meeting of %(meeting)s. Reason: %(reason)s")),
    "agenda.item_added": Action(_("Question added to the agenda"), _("%(actor)s added the question «%(title)s» to the agenda of the meeting of %(meeting)s"), pgettext_lazy("actor is a woman", "%(actor)s added the question «%(title)s» to the agenda of the meeting of %(meeting)s")),
    "agenda.files_attached": Action(_("Files attached to a question"), _("%(actor)s attached files to the question «%(object)s» of the meeting of %(meeting)s: %(files)s"), pgettext_lazy("actor is a woman", "%(actor)s attached files to the question «%(object)s» of the meeting of %(meeting)s: %(files)s")),
    "agenda.item_changed": Action(_("Question changed"), _("%(actor)s changed the question «%(title)s» of the agenda of the meeting of %(meeting)s"), pgettext_lazy("actor is a woman", "%(actor)s changed the question «%(title)s» of the agenda of the meeting of %(meeting)s")),
    "agenda.item_moved": Action(_("Question moved on the agenda"), _("%(actor)s moved the question «%(title)s» of the agenda of the meeting of %(meeting)s from place %(from)s to place %(to)s"), pgettext_lazy("actor is a woman", "%(actor)s moved the question «%(title)s» of the agenda of the meeting of %(meeting)s from place %(from)s to place %(to)s")),
    "agenda.item_removed": Action(_("Question removed from the agenda"), _("%(actor)s removed the question «%(title)s» from the agenda of the meeting of %(meeting)s"), pgettext_lazy("actor is a woman", "%(actor)s removed the question «%(title)s» from the agenda of the meeting of %(meeting)s")),
    "agenda.approved": Action(_("Agenda approved"), _("%(actor)s approved the agenda of the meeting of %(meeting)s, version %(version)s"), pgettext_lazy("actor is a woman", "%(actor)s approved the agenda of the meeting of %(meeting)s, version %(version)s")),
    "agenda.approval_withdrawn": Action(_("Approval of the agenda withdrawn"), _("%(actor)s changed the approved agenda of the meeting of %(meeting)s: its approval is withdrawn"), pgettext_lazy("actor is a woman", "%(actor)s changed the approved agenda of the meeting of %(meeting)s: its approval is withdrawn")),
    "meeting.guest_invited": Action(_("Participant invited to a meeting"), _("%(actor)s invited %(guest)s to the meeting of %(meeting)s"), pgettext_lazy("actor is a woman", "%(actor)s invited %(guest)s to the meeting of %(meeting)s")),
    "invitation.replied": Action(_("Reply to an invitation"), _("%(actor)s replied to the invitation to the meeting of %(meeting)s: %(reply)s"), pgettext_lazy("actor is a woman", "%(actor)s replied to the invitation to the meeting of %(meeting)s: %(reply)s")),
    "meeting.attendance_recorded": Action(_("Attendance recorded"), _("%(actor)s recorded attendance at the meeting of %(meeting)s: present %(present_count)s, absent %(absent_count)s, quorum: %(quorum_met)s"), pgettext_lazy("actor is a woman", "%(actor)s recorded attendance at the meeting of %(meeting)s: present %(present_count)s, absent %(absent_count)s, quorum: %(quorum_met)s")),
    "decision.recorded": Action(_("Decision recorded"), _("%(actor)s recorded the decision of the meeting of %(meeting)s: «%(text)s»"), pgettext_lazy("actor is a woman", "%(actor)s recorded the decision of the meeting of %(meeting)s: «%(text)s»")),
    "proposal.submitted": Action(_("Proposal submitted"), _("%(actor)s submitted the proposal «%(title)s»"), pgettext_lazy("actor is a woman", "%(actor)s submitted the proposal «%(title)s»")),
    "proposal.accepted": Action(_("Proposal put on the agenda"), _("%(actor)s put the proposal «%(object)s» on the agenda of the meeting of %(meeting)s"), pgettext_lazy("actor is a woman", "%(actor)s put the proposal «%(object)s» on the agenda of the meeting of %(meeting)s")),
    "proposal.back_in_queue": Action(_("Proposal back in the queue"), _("%(actor)s removed the proposal «%(object)s» from the agenda of the meeting of %(meeting)s: it waits for a decision again"), pgettext_lazy("actor is a woman", "%(actor)s removed the proposal «%(object)s» from the agenda of the meeting of %(meeting)s: it waits for a decision again")),
    "proposal.returned": Action(_("Proposal returned"), _("%(actor)s returned the proposal «%(object)s» to its author. Reason: %(reason)s"), pgettext_lazy("actor is a woman", "%(actor)s returned the proposal «%(object)s» to its author. Reason: %(reason)s")),
    "deadline.recounted": Action(_("Deadline moved by the calendar"), _("The deadline «%(object)s» moved from %(from)s to %(to)s after a change of the working-day calendar")),
    "calendar.exception_added": Action(_("Calendar exception added"), _("%(actor)s added a calendar exception: %(date)s, %(kind)s"), pgettext_lazy("actor is a woman", "%(actor)s added a calendar exception: %(date)s, %(kind)s")),
    "calendar.exception_removed": Action(_("Calendar exception removed"), _("%(actor)s removed the calendar exception of %(date)s"), pgettext_lazy("actor is a woman", "%(actor)s removed the calendar exception of %(date)s")),
    "user.profile_changed": Action(_("Profile changed"), _("%(actor)s changed the profile of %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s changed the profile of %(object)s")),
    "user.calendar_token_reset": Action(_("Calendar feed address renewed"), _("%(actor)s gave the personal calendar feed a new address"), pgettext_lazy("actor is a woman", "%(actor)s gave the personal calendar feed a new address")),
    "user.password_set": Action(_("Password set"), _("%(actor)s set a new password"), pgettext_lazy("actor is a woman", "%(actor)s set a new password")),
    "user.password_reset_mailed": Action(_("Password reset link mailed"), _("A link to set a new password was mailed to %(to)s")),
    "account.unknown_address_mailed": Action(_("Password reset asked for an unknown address"), _("A new password was asked for %(to)s, an address with no account; a notice was mailed there")),
    "account.mail_queued": Action(_("Account mail sent"), _("An account mail (%(mail)s) was sent to %(to)s")),
    "api_token.issued": Action(_("API token issued"), _("%(actor)s issued the API token «%(name)s»"), pgettext_lazy("actor is a woman", "%(actor)s issued the API token «%(name)s»")),
    "api_token.revoked": Action(_("API token revoked"), _("%(actor)s revoked the API token «%(name)s»"), pgettext_lazy("actor is a woman", "%(actor)s revoked the API token «%(name)s»")),
    "protocol.signing_pdf_stored": Action(_("PDF for signing stored"), _("%(actor)s opened the signing of the protocol %(object)s: its PDF for signing was stored"), pgettext_lazy("actor is a woman", "%(actor)s opened the signing of the protocol %(object)s: its PDF for signing was stored")),
    "protocol.signature_refused": Action(_("Electronic signature refused"), _("%(actor)s's electronic signature of the protocol %(object)s was refused: %(code)s"), pgettext_lazy("actor is a woman", "%(actor)s's electronic signature of the protocol %(object)s was refused: %(code)s"), choices=(("code", SignatureRefusal),)),
    "protocol.acknowledgements_reset": Action(_("Amendment to be acknowledged again"), _("The amendment of the protocol %(object)s, revision %(revision)s, is signed: its recipients acknowledge it again")),
    "protocol.rendering_requested": Action(_("Rendering of a document requested"), _("%(actor)s asked for a document of the protocol %(object)s (%(format)s, %(language)s)"), pgettext_lazy("actor is a woman", "%(actor)s asked for a document of the protocol %(object)s (%(format)s, %(language)s)")),
    "admin.added": Action(_("Added in the administration site"), _("%(actor)s added %(object)s in the administration site"), pgettext_lazy("actor is a woman", "%(actor)s added %(object)s in the administration site")),
    "admin.changed": Action(_("Changed in the administration site"), _("%(actor)s changed %(object)s in the administration site"), pgettext_lazy("actor is a woman", "%(actor)s changed %(object)s in the administration site")),
    "admin.deleted": Action(_("Deleted in the administration site"), _("%(actor)s deleted %(object)s in the administration site"), pgettext_lazy("actor is a woman", "%(actor)s deleted %(object)s in the administration site")),
    "protocol.created": Action(_("Protocol created"), _("%(actor)s created the protocol %(object)s of the meeting of %(meeting)s; signing due: %(sign_due)s"), pgettext_lazy("actor is a woman", "%(actor)s created the protocol %(object)s of the meeting of %(meeting)s; signing due: %(sign_due)s")),
    "protocol.edited": Action(_("Protocol text edited"), _("%(actor)s edited the text of the protocol %(object)s (revision %(revision)s); signatures no longer valid: %(signatures_invalidated)s"), pgettext_lazy("actor is a woman", "%(actor)s edited the text of the protocol %(object)s (revision %(revision)s); signatures no longer valid: %(signatures_invalidated)s")),
    "protocol.amendment_started": Action(_("Amendment of a protocol begun"), _("%(actor)s began an amendment of the protocol %(object)s (revision %(revision)s). Reason: %(reason)s"), pgettext_lazy("actor is a woman", "%(actor)s began an amendment of the protocol %(object)s (revision %(revision)s). Reason: %(reason)s")),
    "protocol.signature_added": Action(_("Signature under a protocol added"), _("%(actor)s added the signature of %(object)s under the protocol, revision %(revision)s, signed on %(signed_on)s"), pgettext_lazy("actor is a woman", "%(actor)s added the signature of %(object)s under the protocol, revision %(revision)s, signed on %(signed_on)s")),
    "protocol.revision_signed": Action(_("Protocol signed"), _("The protocol %(object)s is signed by everyone required (revision %(revision)s, %(signed_on)s); copies to be sent by: %(distribute_due)s; kept until: %(retain_until)s")),
    "protocol.recipient_added": Action(_("Recipient of a protocol added"), _("%(actor)s added a recipient of the protocol's copies: %(name)s (%(email)s)"), pgettext_lazy("actor is a woman", "%(actor)s added a recipient of the protocol's copies: %(name)s (%(email)s)")),
    "protocol.recipient_changed": Action(_("Recipient of a protocol changed"), _("%(actor)s changed the recipient of the protocol's copies %(object)s: among the recipients — %(included)s"), pgettext_lazy("actor is a woman", "%(actor)s changed the recipient of the protocol's copies %(object)s: among the recipients — %(included)s")),
    "protocol.distributed": Action(_("Copies of a protocol sent"), _("%(actor)s sent the signed copies of the protocol %(object)s (revision %(revision)s) to its recipients: %(recipients_count)s"), pgettext_lazy("actor is a woman", "%(actor)s sent the signed copies of the protocol %(object)s (revision %(revision)s) to its recipients: %(recipients_count)s")),
    "protocol.handed_over": Action(_("Paper copy of a protocol handed over"), _("%(actor)s recorded that a paper copy of the protocol was handed over: %(object)s, %(on)s"), pgettext_lazy("actor is a woman", "%(actor)s recorded that a paper copy of the protocol was handed over: %(object)s, %(on)s")),
    "protocol.acknowledged": Action(_("Receipt of a protocol confirmed"), _("Receipt of the protocol's copy confirmed: %(object)s")),
    "protocol.reminded": Action(_("Reminder about a protocol sent"), _("A reminder about the protocol %(object)s was sent: due %(due)s, people reminded: %(to_count)s")),
    "protocol.retention_extended": Action(_("Retention of a protocol extended"), _("%(actor)s extended the retention term of the protocol %(object)s: %(from)s → %(to)s"), pgettext_lazy("actor is a woman", "%(actor)s extended the retention term of the protocol %(object)s: %(from)s → %(to)s")),
    "protocol.destroyed": Action(_("Protocol destroyed"), _("%(actor)s destroyed the protocol № %(number)s/%(year)s by the act %(act)s"), pgettext_lazy("actor is a woman", "%(actor)s destroyed the protocol № %(number)s/%(year)s by the act %(act)s")),
    "protocol.template_replaced": Action(_("Protocol template replaced"), _("%(actor)s replaced the Word template of the group's protocols"), pgettext_lazy("actor is a woman", "%(actor)s replaced the Word template of the group's protocols")),
    "esign.root_added": Action(_("Trusted root certificate installed"), _("%(actor)s installed the trusted root certificate «%(name)s» (%(subject)s)"), pgettext_lazy("actor is a woman", "%(actor)s installed the trusted root certificate «%(name)s» (%(subject)s)")),
    "esign.root_reactivated": Action(_("Trusted root certificate active again"), _("%(actor)s made the trusted root certificate «%(name)s» active again (%(subject)s)"), pgettext_lazy("actor is a woman", "%(actor)s made the trusted root certificate «%(name)s» active again (%(subject)s)")),
    "esign.root_deactivated": Action(_("Trusted root certificate deactivated"), _("%(actor)s deactivated the trusted root certificate «%(object)s»"), pgettext_lazy("actor is a woman", "%(actor)s deactivated the trusted root certificate «%(object)s»")),
    "esign.crl_added": Action(_("Revocation list added"), _("%(actor)s added a certificate revocation list of %(issuer)s: revoked certificates — %(revoked_count)s"), pgettext_lazy("actor is a woman", "%(actor)s added a certificate revocation list of %(issuer)s: revoked certificates — %(revoked_count)s")),
    "user.iin_changed": Action(_("IIN changed"), _("%(actor)s changed the IIN of %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s changed the IIN of %(object)s")),
    "audit.sealed": Action(_("Audit trail put under the key"), _("The audit trail was put under the audit key: earlier events sealed — %(legacy_events)s")),
    "audit.head_mailed": Action(_("Final hash of the audit trail mailed"), _("The final hash of the audit trail was mailed to the administrators (%(recipients)s): events — %(events)s, chain intact: %(intact)s")),
    "facility.created": Action(_("Facility added"), _("%(actor)s added the facility «%(name)s» (%(kind)s)"), pgettext_lazy("actor is a woman", "%(actor)s added the facility «%(name)s» (%(kind)s)")),
    "facility.changed": Action(_("Facility changed"), _("%(actor)s changed the facility «%(object)s»"), pgettext_lazy("actor is a woman", "%(actor)s changed the facility «%(object)s»")),
    "checklist.seeded": Action(_("Checklist filled with the standard items"), _("%(actor)s filled the checklist of facilities of the kind «%(kind)s» with the standard items: %(items_count)s"), pgettext_lazy("actor is a woman", "%(actor)s filled the checklist of facilities of the kind «%(kind)s» with the standard items: %(items_count)s")),
    "checklist.item_added": Action(_("Checklist item added"), _("%(actor)s added the item «%(text)s» to the checklist of facilities of the kind «%(kind)s»"), pgettext_lazy("actor is a woman", "%(actor)s added the item «%(text)s» to the checklist of facilities of the kind «%(kind)s»")),
    "checklist.item_changed": Action(_("Checklist item changed"), _("%(actor)s changed the checklist item «%(object)s»: in use — %(in_use)s"), pgettext_lazy("actor is a woman", "%(actor)s changed the checklist item «%(object)s»: in use — %(in_use)s")),
    "visit.planned": Action(_("Visit planned"), _("%(actor)s planned a visit: %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s planned a visit: %(object)s")),
    "visit.recorded": Action(_("Visit recorded"), _("%(actor)s recorded the visit %(object)s: participants — %(participants_count)s"), pgettext_lazy("actor is a woman", "%(actor)s recorded the visit %(object)s: participants — %(participants_count)s")),
    "visit.recorded_again": Action(_("Visit recorded again"), _("%(actor)s recorded the visit %(object)s again: participants — %(participants_count)s"), pgettext_lazy("actor is a woman", "%(actor)s recorded the visit %(object)s again: participants — %(participants_count)s")),
    "visit.cancelled": Action(_("Visit cancelled"), _("%(actor)s cancelled the visit %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s cancelled the visit %(object)s")),
    "finding.added": Action(_("Violation recorded"), _("%(actor)s recorded a violation found during a visit: %(kind)s — «%(description)s»"), pgettext_lazy("actor is a woman", "%(actor)s recorded a violation found during a visit: %(kind)s — «%(description)s»")),
    "finding.proposed": Action(_("Violation turned into a proposal"), _("%(actor)s turned the violation «%(object)s» into a proposal for the agenda"), pgettext_lazy("actor is a woman", "%(actor)s turned the violation «%(object)s» into a proposal for the agenda")),
    "finding.remarked": Action(_("Violation turned into a compliance remark"), _("%(actor)s turned the violation «%(object)s» into a remark that a decision is not complied with"), pgettext_lazy("actor is a woman", "%(actor)s turned the violation «%(object)s» into a remark that a decision is not complied with")),
    "finding.closed": Action(_("Violation remedied"), _("%(actor)s marked the violation «%(object)s» as remedied"), pgettext_lazy("actor is a woman", "%(actor)s marked the violation «%(object)s» as remedied")),
    "request.created": Action(_("Request for documents drafted"), _("%(actor)s drafted the request for documents № %(number)s to %(addressee)s"), pgettext_lazy("actor is a woman", "%(actor)s drafted the request for documents № %(number)s to %(addressee)s")),
    "request.sent": Action(_("Request for documents sent"), _("%(actor)s sent the request № %(object)s: sent on %(sent_on)s, answer due %(due_on)s"), pgettext_lazy("actor is a woman", "%(actor)s sent the request № %(object)s: sent on %(sent_on)s, answer due %(due_on)s")),
    "request.answered": Action(_("Answer to a request recorded"), _("%(actor)s recorded the answer to the request № %(object)s: received on %(answered_on)s, assessment: %(assessment)s"), pgettext_lazy("actor is a woman", "%(actor)s recorded the answer to the request № %(object)s: received on %(answered_on)s, assessment: %(assessment)s")),
    "publication.drafted": Action(_("Publication drafted"), _("%(actor)s drafted the publication «%(title)s»"), pgettext_lazy("actor is a woman", "%(actor)s drafted the publication «%(title)s»")),
    "publication.edited": Action(_("Publication edited"), _("%(actor)s edited the publication «%(title)s»; approvals withdrawn: %(approvals_withdrawn)s"), pgettext_lazy("actor is a woman", "%(actor)s edited the publication «%(title)s»; approvals withdrawn: %(approvals_withdrawn)s")),
    "publication.approved": Action(_("Publication approved"), _("%(actor)s approved the publication «%(object)s»"), pgettext_lazy("actor is a woman", "%(actor)s approved the publication «%(object)s»")),
    "publication.published": Action(_("Publication published"), _("%(actor)s published «%(object)s»"), pgettext_lazy("actor is a woman", "%(actor)s published «%(object)s»")),
    "publication.withdrawn": Action(_("Publication withdrawn"), _("%(actor)s withdrew the publication «%(object)s»"), pgettext_lazy("actor is a woman", "%(actor)s withdrew the publication «%(object)s»")),
    "complaint.created": Action(_("Complaint entered"), _("%(actor)s entered the complaint %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s entered the complaint %(object)s")),
    "complaint.changed": Action(_("Complaint changed"), _("%(actor)s changed the complaint %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s changed the complaint %(object)s")),
    "complaint.deleted": Action(_("Complaint deleted"), _("%(actor)s deleted the complaint %(object)s"), pgettext_lazy("actor is a woman", "%(actor)s deleted the complaint %(object)s")),
    "complaint_subjects.seeded": Action(_("Classifier of complaint subjects filled"), _("%(actor)s filled the classifier of complaint subjects with the standard subjects: %(codes_count)s"), pgettext_lazy("actor is a woman", "%(actor)s filled the classifier of complaint subjects with the standard subjects: %(codes_count)s")),
    "complaint_summary.rebuilt": Action(_("Summaries of the complaints register counted again"), _("%(actor)s counted the summaries of the complaints register again from its rows: %(complaints)s"), pgettext_lazy("actor is a woman", "%(actor)s counted the summaries of the complaints register again from its rows: %(complaints)s")),
    "complaint_import.uploaded": Action(_("File of complaints uploaded"), _("%(actor)s uploaded the file of complaints «%(file)s» (source: %(source)s)"), pgettext_lazy("actor is a woman", "%(actor)s uploaded the file of complaints «%(file)s» (source: %(source)s)")),
    "complaint_import.queued": Action(_("Import of complaints started"), _("%(actor)s started the import of complaints from the file «%(file)s» (source: %(source)s)"), pgettext_lazy("actor is a woman", "%(actor)s started the import of complaints from the file «%(file)s» (source: %(source)s)")),
    "complaint_import.refused": Action(_("File of complaints refused"), _("The file of complaints «%(file)s» was not imported: errors found — %(errors)s")),
    "complaints.imported": Action(_("Complaints imported"), _("Complaints from the file «%(file)s» imported: %(rows)s (source: %(source)s)")),
    "complaint_note.created": Action(_("Generalisation note drafted"), _("%(actor)s drafted the generalisation note «%(title)s»"), pgettext_lazy("actor is a woman", "%(actor)s drafted the generalisation note «%(title)s»")),
    "complaint_note.changed": Action(_("Generalisation note changed"), _("%(actor)s changed the generalisation note «%(object)s»"), pgettext_lazy("actor is a woman", "%(actor)s changed the generalisation note «%(object)s»")),
    "complaint_note.approved": Action(_("Generalisation note approved"), _("%(actor)s approved the generalisation note «%(object)s»"), pgettext_lazy("actor is a woman", "%(actor)s approved the generalisation note «%(object)s»")),
    "complaint_note.sent": Action(_("Generalisation note sent"), _("%(actor)s sent the generalisation note «%(object)s» to the police units: %(units_count)s"), pgettext_lazy("actor is a woman", "%(actor)s sent the generalisation note «%(object)s» to the police units: %(units_count)s")),
    "complaint_note.received": Action(_("Receipt of a generalisation note confirmed"), _("A police unit confirmed receipt of the generalisation note «%(object)s»")),
    "remark.filed": Action(_("Compliance remark filed"), _("%(actor)s filed a compliance remark: «%(object)s»"), pgettext_lazy("actor is a woman", "%(actor)s filed a compliance remark: «%(object)s»")),
    "remark.closed": Action(_("Compliance remark closed"), _("%(actor)s closed the compliance remark «%(object)s» with the outcome heard"), pgettext_lazy("actor is a woman", "%(actor)s closed the compliance remark «%(object)s» with the outcome heard")),
    "plan.created": Action(_("Work plan drafted"), _("%(actor)s drafted the work plan «%(object)s»"), pgettext_lazy("actor is a woman", "%(actor)s drafted the work plan «%(object)s»")),
    "plan.item_added": Action(_("Item added to a work plan"), _("%(actor)s added the item «%(object)s» to a work plan"), pgettext_lazy("actor is a woman", "%(actor)s added the item «%(object)s» to a work plan")),
    "plan.item_changed": Action(_("Work plan item changed"), _("%(actor)s changed the work plan item «%(object)s»"), pgettext_lazy("actor is a woman", "%(actor)s changed the work plan item «%(object)s»")),
    "plan.approved": Action(_("Work plan approved"), _("%(actor)s approved the work plan «%(object)s»"), pgettext_lazy("actor is a woman", "%(actor)s approved the work plan «%(object)s»")),
    "plan.copied_forward": Action(_("Work plan copied forward"), _("%(actor)s drafted the work plan «%(object)s» with the items not done of the previous period"), pgettext_lazy("actor is a woman", "%(actor)s drafted the work plan «%(object)s» with the items not done of the previous period")),
    "plan_item.result_recorded": Action(_("Result of a plan item recorded"), _("%(actor)s recorded the result of the work plan item «%(object)s»"), pgettext_lazy("actor is a woman", "%(actor)s recorded the result of the work plan item «%(object)s»")),
    "urgent_contact.logged": Action(_("Urgent contact logged"), _("%(actor)s logged an urgent contact with %(contact_person)s"), pgettext_lazy("actor is a woman", "%(actor)s logged an urgent contact with %(contact_person)s")),
    "urgent_contacts.put_on_agenda": Action(_("Urgent contacts put on the agenda"), _("%(actor)s put %(contacts_count)s urgent contacts on the agenda of the meeting of %(meeting)s"), pgettext_lazy("actor is a woman", "%(actor)s put %(contacts_count)s urgent contacts on the agenda of the meeting of %(meeting)s")),
    "legislative_proposal.created": Action(_("Legislative proposal drafted"), _("%(actor)s drafted the legislative proposal «%(title)s»"), pgettext_lazy("actor is a woman", "%(actor)s drafted the legislative proposal «%(title)s»")),
    "legislative_proposal.changed": Action(_("Legislative proposal changed"), _("%(actor)s changed the draft legislative proposal «%(object)s»"), pgettext_lazy("actor is a woman", "%(actor)s changed the draft legislative proposal «%(object)s»")),
    "legislative_proposal.approved": Action(_("Legislative proposal approved"), _("%(actor)s recorded the group's approval of the legislative proposal «%(object)s»"), pgettext_lazy("actor is a woman", "%(actor)s recorded the group's approval of the legislative proposal «%(object)s»")),
    "legislative_proposal.submitted": Action(_("Legislative proposal submitted"), _("%(actor)s recorded the submission of the legislative proposal «%(object)s» on %(submitted_on)s"), pgettext_lazy("actor is a woman", "%(actor)s recorded the submission of the legislative proposal «%(object)s» on %(submitted_on)s")),
    "legislative_proposal.outcome": Action(_("Outcome of a legislative proposal"), _("%(actor)s recorded the outcome of the legislative proposal «%(object)s»: %(status)s"), pgettext_lazy("actor is a woman", "%(actor)s recorded the outcome of the legislative proposal «%(object)s»: %(status)s")),
    "request.reminded": Action(_("Reminder of a request's answer"), _("A reminder of the answer to the request %(object)s was sent (%(kind)s, due %(due)s)")),
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
    "assignment.reminders_sent": Action(_("Deadline reminders sent"), _("Deadline reminders were sent to %(object)s in one mail: reminders, %(steps_count)s; assignments, %(assignments_count)s")),
    "assignment.reminders_unaddressed": Action(_("Deadline reminders with no addressee"), _("Deadline reminders fell due with no one to send them to: reminders, %(steps_count)s; assignments, %(assignments_count)s")),
}
# fmt: on

# Actions earlier versions recorded and this one no longer does: their events in the trail keep
# reading as their sentence (`assignment.reminded`, one a reminder step, became one event a digest).
RETIRED = frozenset({"assignment.reminded"})

# An action without an entry above (one being added right now, or one of a newer version).
GENERIC = Action(
    _("Other change"),
    _("%(actor)s made a change: %(object)s"),
    pgettext_lazy("actor is a woman", "%(actor)s made a change: %(object)s"),
)


def action_for(code: str) -> Action:
    return ACTIONS.get(code, GENERIC)
