from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic.base import RedirectView

from alqa.api import api
from alqa.views import (
    account,
    agenda,
    attachments,
    attendance,
    audit,
    bodies,
    complaints,
    decisions,
    documents,
    errors,
    esign,
    execution,
    invitations,
    legislation,
    meetings,
    notes,
    oversight,
    plans,
    proposals,
    protocols,
    publications,
    remarks,
    requests,
    urgent_contacts,
    workdays,
)

urlpatterns = [
    path("", bodies.home, name="home"),
    # pages link their icon (base.html); this is for what asks the conventional address anyway
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("alqa/favicon.svg"), permanent=True),
        name="favicon",
    ),
    path("bodies/new/", bodies.body_new, name="body_new"),
    path("bodies/switch/", bodies.switch_body, name="switch_body"),
    path("bodies/<int:body_id>/", bodies.body_detail, name="body"),
    path("bodies/<int:body_id>/members/", bodies.member_list, name="members"),
    path("bodies/<int:body_id>/members/new/", bodies.member_new, name="member_new"),
    path("bodies/<int:body_id>/units/", bodies.unit_list, name="units"),
    path("bodies/<int:body_id>/units/new/", bodies.unit_form, name="unit_new"),
    path("bodies/<int:body_id>/units/<int:unit_id>/", bodies.unit_form, name="unit_edit"),
    path("bodies/<int:body_id>/participants/", bodies.guest_list, name="guests"),
    path("bodies/<int:body_id>/policy/", bodies.policy, name="policy"),
    path("bodies/<int:body_id>/audit/", audit.audit, name="body_audit"),
    path("members/<int:member_id>/", bodies.member_detail, name="member"),
    path("members/<int:member_id>/edit/", bodies.member_edit, name="member_edit"),
    path("audit/", audit.audit, name="audit"),
    # meetings (pages): alqa/views/meetings.py, agenda.py, invitations.py, attendance.py, decisions.py
    path("bodies/<int:body_id>/meetings/", meetings.meeting_list, name="meetings"),
    path("bodies/<int:body_id>/meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:meeting_id>/items/new/", agenda.agenda_item_new, name="agenda_item_new"),
    path(
        "meetings/<int:meeting_id>/items/<int:item_id>/edit/",
        agenda.agenda_item_edit,
        name="agenda_item_edit",
    ),
    path(
        "meetings/<int:meeting_id>/items/<int:item_id>/move/",
        agenda.agenda_item_move,
        name="agenda_item_move",
    ),
    path(
        "meetings/<int:meeting_id>/items/<int:item_id>/remove/",
        agenda.agenda_item_remove,
        name="agenda_item_remove",
    ),
    path("meetings/<int:meeting_id>/approve/", agenda.agenda_approve, name="agenda_approve"),
    path("meetings/<int:meeting_id>/invite/", invitations.meeting_invite_guest, name="meeting_invite_guest"),
    path("meetings/<int:meeting_id>/attendance/", attendance.meeting_attendance, name="meeting_attendance"),
    path(
        "meetings/<int:meeting_id>/items/<int:item_id>/decision/", decisions.decision_new, name="decision_new"
    ),
    path(
        "meetings/<int:meeting_id>/files/<int:attachment_id>/",
        attachments.meeting_attachment,
        name="meeting_attachment",
    ),
    path("invitations/<str:token>/", invitations.invitation_reply, name="invitation_reply"),
    path("meetings/<int:meeting_id>/reply/", invitations.meeting_reply, name="meeting_reply"),
    path("meetings/<int:meeting_id>/materials/", invitations.meeting_materials, name="meeting_materials"),
    # proposals (pages): alqa/views/proposals.py; files of both: alqa/views/attachments.py
    path("bodies/<int:body_id>/proposals/", proposals.proposal_list, name="proposals"),
    path("bodies/<int:body_id>/proposals/new/", proposals.proposal_new, name="proposal_new"),
    path("proposals/<int:proposal_id>/", proposals.proposal_detail, name="proposal"),
    path("proposals/<int:proposal_id>/accept/", proposals.proposal_accept, name="proposal_accept"),
    path("proposals/<int:proposal_id>/return/", proposals.proposal_return, name="proposal_return"),
    path(
        "proposals/<int:proposal_id>/files/<int:attachment_id>/",
        attachments.proposal_attachment,
        name="proposal_attachment",
    ),
    # documents (print pack, .ics, calendar feed): alqa/views/documents.py
    path("meetings/<int:meeting_id>/print-pack.pdf", documents.meeting_print_pack, name="meeting_print_pack"),
    path("meetings/<int:meeting_id>/meeting.ics", documents.meeting_calendar_file, name="meeting_ics"),
    path("calendar/reset/", documents.calendar_token_reset, name="calendar_token_reset"),
    path("calendar/<str:token>.ics", documents.calendar_feed, name="calendar_feed"),
    # protocols (pages): alqa/views/protocols.py
    path("meetings/<int:meeting_id>/protocol/", protocols.protocol_create, name="protocol_create"),
    path("protocols/<int:protocol_id>/", protocols.protocol_detail, name="protocol"),
    path("protocols/<int:protocol_id>/edit/", protocols.protocol_edit, name="protocol_edit"),
    path("protocols/<int:protocol_id>/sign/", protocols.protocol_sign, name="protocol_sign"),
    path(
        "protocols/<int:protocol_id>/sign/pdf/", protocols.protocol_signing_pdf, name="protocol_signing_pdf"
    ),
    path("protocols/<int:protocol_id>/amend/", protocols.protocol_amend, name="protocol_amend"),
    path(
        "protocols/<int:protocol_id>/distribute/", protocols.protocol_distribute, name="protocol_distribute"
    ),
    path(
        "protocols/<int:protocol_id>/recipients/",
        protocols.protocol_recipient_add,
        name="protocol_recipient_add",
    ),
    path(
        "protocols/<int:protocol_id>/recipients/<int:recipient_id>/",
        protocols.protocol_recipient,
        name="protocol_recipient",
    ),
    path("protocols/<int:protocol_id>/document/", protocols.protocol_document, name="protocol_document"),
    path("bodies/<int:body_id>/protocols/search/", protocols.protocol_search, name="protocol_search"),
    path("protocols/keeping/", protocols.protocol_keeping, name="protocol_keeping"),
    path("receipt/<str:token>/", protocols.protocol_ack, name="protocol_ack"),
    # compliance remarks (clause 2.2.3): alqa/views/remarks.py
    path("bodies/<int:body_id>/remarks/", remarks.remark_list, name="remarks"),
    path("decisions/<int:decision_id>/remark/", remarks.remark_new, name="remark_new"),
    path("plan-items/<int:plan_item_id>/remark/", remarks.plan_item_remark_new, name="plan_item_remark_new"),
    path("remarks/<int:remark_id>/", remarks.remark_detail, name="remark"),
    path("remarks/<int:remark_id>/close/", remarks.remark_close, name="remark_close"),
    # work plans (clauses 2.1.1, 2.1.2, 2.2.10): alqa/views/plans.py
    path("bodies/<int:body_id>/plans/", plans.plan_index, name="plans"),
    path("bodies/<int:body_id>/plans/new/", plans.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/", plans.plan_detail, name="plan"),
    path("plans/<int:plan_id>/items/", plans.plan_item_new, name="plan_item_new"),
    path("plans/<int:plan_id>/approve/", plans.plan_approve, name="plan_approve"),
    path("plans/<int:plan_id>/copy-forward/", plans.plan_copy_forward, name="plan_copy_forward"),
    path("plans/<int:plan_id>/report.pdf", plans.plan_report, name="plan_report"),
    path("plan-items/<int:plan_item_id>/result/", plans.plan_item_result, name="plan_item_result"),
    path("plan-items/<int:plan_item_id>/change/", plans.plan_item_change, name="plan_item_change"),
    # complaints under Art. 105 and 106 (clause 2.1.4): alqa/views/complaints.py, notes.py
    path("bodies/<int:body_id>/complaints/", complaints.complaint_list, name="complaints"),
    path("bodies/<int:body_id>/complaints/new/", complaints.complaint_new, name="complaint_new"),
    path("bodies/<int:body_id>/complaints/export.xlsx", complaints.complaint_export, name="complaint_export"),
    path(
        "bodies/<int:body_id>/complaints/analytics/",
        complaints.complaint_analytics_page,
        name="complaint_analytics",
    ),
    path(
        "bodies/<int:body_id>/complaints/import/",
        complaints.complaint_import_new,
        name="complaint_import_new",
    ),
    path("complaints/<int:complaint_id>/", complaints.complaint_edit, name="complaint_edit"),
    path("complaints/<int:complaint_id>/delete/", complaints.complaint_delete, name="complaint_delete"),
    path("complaint-imports/<int:import_id>/", complaints.complaint_import, name="complaint_import"),
    path("bodies/<int:body_id>/complaints/notes/", notes.note_list, name="complaint_notes"),
    path(
        "bodies/<int:body_id>/complaints/subjects/", complaints.complaint_subjects, name="complaint_subjects"
    ),
    path(
        "complaint-subjects/<int:subject_id>/edit/",
        complaints.complaint_subject_edit,
        name="complaint_subject_edit",
    ),
    path(
        "complaint-subjects/<int:subject_id>/switch/",
        complaints.complaint_subject_switch,
        name="complaint_subject_switch",
    ),
    path("bodies/<int:body_id>/complaints/notes/new/", notes.note_new, name="complaint_note_new"),
    path("complaint-notes/<int:note_id>/", notes.note_detail, name="complaint_note"),
    path("complaint-notes/<int:note_id>/edit/", notes.note_edit, name="complaint_note_edit"),
    path("complaint-notes/<int:note_id>/approve/", notes.note_approve, name="complaint_note_approve"),
    path("complaint-notes/<int:note_id>/send/", notes.note_send, name="complaint_note_send"),
    path("complaint-notes/<int:note_id>/note.pdf", notes.note_pdf, name="complaint_note_pdf"),
    path("complaint-notes/<int:note_id>/note.docx", notes.note_docx, name="complaint_note_docx"),
    path("complaint-notes/<int:note_id>/agenda/", notes.note_agenda, name="complaint_note_agenda"),
    path("receipts/<str:token>/", notes.note_receipt, name="note_receipt"),
    path("receipts/<str:token>/note.pdf", notes.note_receipt_pdf, name="note_receipt_pdf"),
    # execution control of assignments (clauses 3.2, 3.8): alqa/views/execution.py
    path("bodies/<int:body_id>/control/", execution.control, name="execution_control"),
    path(
        "bodies/<int:body_id>/control/export.xlsx", execution.control_export, name="execution_control_export"
    ),
    path(
        "bodies/<int:body_id>/control/report.pdf", execution.control_report, name="execution_control_report"
    ),
    path("assignments/<int:assignment_id>/", execution.assignment_detail, name="assignment"),
    path("assignment-files/<int:file_id>/", execution.assignment_file, name="assignment_file"),
    path("tasks/<str:token>/", execution.executor_link, name="executor_link"),
    path("tasks/<str:token>/files/<int:file_id>/", execution.executor_link_file, name="executor_link_file"),
    path("workdays/", workdays.calculator, name="workdays"),
    path("workdays/calendar/", workdays.calendar_year, name="calendar"),
    path("workdays/calendar/new/", workdays.calendar_exception_new, name="calendar_exception_new"),
    # qualified e-signatures: the trusted roots administrators install (alqa/views/esign.py)
    path("admin-tools/esign-roots/", esign.trusted_roots, name="trusted_roots"),
    path(
        "admin-tools/esign-roots/<int:root_id>/deactivate/",
        esign.trusted_root_deactivate,
        name="trusted_root_deactivate",
    ),
    # oversight between meetings (issue 12): alqa/views/oversight.py, publications.py
    path("bodies/<int:body_id>/oversight/", oversight.oversight, name="oversight"),
    path("bodies/<int:body_id>/facilities/new/", oversight.facility_form, name="facility_new"),
    path(
        "bodies/<int:body_id>/facilities/<int:facility_id>/edit/",
        oversight.facility_form,
        name="facility_edit",
    ),
    path("facilities/<int:facility_id>/", oversight.facility_detail, name="facility"),
    path("bodies/<int:body_id>/checklist/", oversight.checklist, name="checklist"),
    path(
        "bodies/<int:body_id>/checklist/<int:checklist_item_id>/toggle/",
        oversight.checklist_item_toggle,
        name="checklist_item_toggle",
    ),
    path("bodies/<int:body_id>/visits/new/", oversight.visit_new, name="visit_new"),
    path("visits/<int:visit_id>/", oversight.visit_detail, name="visit"),
    path("visits/<int:visit_id>/record/", oversight.visit_record, name="visit_record"),
    path("visits/<int:visit_id>/cancel/", oversight.visit_cancel, name="visit_cancel"),
    path("visits/<int:visit_id>/findings/new/", oversight.finding_new, name="finding_new"),
    path("visits/<int:visit_id>/report.<str:extension>", oversight.visit_report, name="visit_report"),
    path("findings/<int:finding_id>/propose/", oversight.finding_propose, name="finding_propose"),
    path("findings/<int:finding_id>/remark/", oversight.finding_remark, name="finding_remark"),
    path("findings/<int:finding_id>/files/<int:file_id>/", oversight.finding_file, name="finding_file"),
    path("bodies/<int:body_id>/publications/", publications.publication_list, name="publications"),
    path("bodies/<int:body_id>/publications/new/", publications.publication_form, name="publication_new"),
    path(
        "bodies/<int:body_id>/publications/<int:publication_id>/edit/",
        publications.publication_form,
        name="publication_edit",
    ),
    path("publications/<int:publication_id>/", publications.publication_detail, name="publication"),
    path(
        "publications/<int:publication_id>/approve/",
        publications.publication_approve,
        name="publication_approve",
    ),
    path(
        "publications/<int:publication_id>/publish/",
        publications.publication_publish,
        name="publication_publish",
    ),
    path(
        "publications/<int:publication_id>/withdraw/",
        publications.publication_withdraw,
        name="publication_withdraw",
    ),
    path("bodies/<int:body_id>/requests/", requests.request_list, name="requests"),
    path("bodies/<int:body_id>/requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:request_id>/", requests.request_detail, name="request"),
    path("requests/<int:request_id>/send/", requests.request_send, name="request_send"),
    path("requests/<int:request_id>/answer/", requests.request_answer, name="request_answer"),
    path(
        "requests/<int:request_id>/letter-<str:language>.docx", requests.request_letter, name="request_letter"
    ),
    path("requests/<int:request_id>/files/<int:file_id>/", requests.request_file, name="request_file"),
    path(
        "bodies/<int:body_id>/urgent-contacts/", urgent_contacts.urgent_contact_list, name="urgent_contacts"
    ),
    path(
        "bodies/<int:body_id>/urgent-contacts/new/",
        urgent_contacts.urgent_contact_new,
        name="urgent_contact_new",
    ),
    path("bodies/<int:body_id>/legislation/", legislation.legislation_list, name="legislation"),
    path("bodies/<int:body_id>/legislation/new/", legislation.legislation_new, name="legislation_new"),
    path(
        "legislation/<int:legislative_proposal_id>/",
        legislation.legislation_detail,
        name="legislative_proposal",
    ),
    path(
        "legislation/<int:legislative_proposal_id>/edit/",
        legislation.legislation_edit,
        name="legislation_edit",
    ),
    path(
        "legislation/<int:legislative_proposal_id>/step/",
        legislation.legislation_step,
        name="legislation_step",
    ),
    path(
        "meetings/<int:meeting_id>/urgent-contacts/",
        urgent_contacts.meeting_urgent_contacts,
        name="meeting_urgent_contacts",
    ),
    path("public/<int:body_id>/", publications.public_body, name="public_body"),
    path("public/<int:body_id>/feed.atom", publications.public_feed, name="public_feed"),
    path(
        "public/<int:body_id>/<int:publication_id>/",
        publications.public_publication,
        name="public_publication",
    ),
    path("profile/", account.profile, name="profile"),
    path("lang/", account.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

# Error pages in the reader's language (alqa/views/errors.py); JSON under /api/.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
