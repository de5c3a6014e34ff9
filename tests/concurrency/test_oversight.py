"""Oversight between meetings under parallel requests: the urgent contacts waiting put on a
meeting's agenda once, a legislative proposal's step recorded once, each request for
documents' reminder claimed once."""

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from alqa.domain.bodies import create_unit
from alqa.domain.legislation import create_proposal
from alqa.domain.meetings import record_decision
from alqa.domain.requests import create_request, mark_sent, send_request_reminders
from alqa.domain.urgent_contacts import log_contact
from alqa.enums import Side, UnitKind
from alqa.models import AgendaItem, AuditEvent, RequestReminder, UrgentContact
from tests.concurrency.parallel import N, api_post, in_threads, page_post, run_parallel, statuses
from tests.conftest import meeting_on


def test_twenty_parallel_clicks_put_the_urgent_contacts_on_the_agenda_once(
    server, session, body, admin_user, chair, secretary, member
):
    meeting, _item = meeting_on(body, secretary, chair, days=7)
    unit = create_unit(
        body=body,
        actor=admin_user,
        name_ru="ОП района",
        side=Side.POLICE,
        kind=UnitKind.SUBORDINATE,
        head_name="Начальник",
    )
    for hours in (2, 5):
        log_contact(
            body=body,
            actor=member.user,
            member=member,
            unit=unit,
            contacted_at=timezone.now() - timedelta(hours=hours),
            reason="Адвоката не допускают",
        )
    call = page_post(session(secretary.user), f"/meetings/{meeting.pk}/urgent-contacts/", {})
    answers = run_parallel(server, [call] * N)
    assert statuses(answers) == {302: N}
    items = AgendaItem.objects.filter(meeting=meeting, urgent_contacts__isnull=False).distinct()
    assert items.count() == 1
    assert set(UrgentContact.objects.values_list("agenda_item", flat=True)) == {items.get().pk}
    assert AuditEvent.objects.filter(action="urgent_contacts.put_on_agenda").count() == 1
    assert meeting.items.count() == 2


def test_twenty_parallel_submissions_of_a_legislative_proposal_record_one_step(
    server, token, body, chair, secretary, member, deputy
):
    held, item = meeting_on(
        body, secretary, chair, days=-2, present=(chair, secretary, member, deputy), approved=True
    )
    decision = record_decision(held, actor=secretary.user, agenda_item=item, text_ru="Одобрить")
    proposal = create_proposal(
        body=body,
        actor=secretary.user,
        title_ru="О допуске защитника",
        text_ru="Редакция",
        act="УПК РК",
        justification="Обоснование",
        addressee="Мажилис",
    )
    secret = token(secretary.user)
    approve = api_post(
        secret, f"/legislative-proposals/{proposal.pk}/steps", {"to": "approved", "decision_id": decision.pk}
    )
    answers = run_parallel(server, [approve] * N)
    assert statuses(answers) == {200: N}  # the same step again changes nothing
    today = timezone.localdate().isoformat()
    calls = [
        api_post(
            secret,
            f"/legislative-proposals/{proposal.pk}/steps",
            {"to": "submitted", "submitted_on": today, "outgoing_ref": f"{n}/26"},
        )
        for n in range(N)
    ]
    answers = run_parallel(server, calls)
    assert statuses(answers) == {200: 1, 422: N - 1}
    assert AuditEvent.objects.filter(action="legislative_proposal.approved").count() == 1
    assert AuditEvent.objects.filter(action="legislative_proposal.submitted").count() == 1
    refusals = Counter(a.json()["detail"][0]["loc"][-1] for a in answers if a.status == 422)
    assert refusals == {"to": N - 1}


def test_parallel_reminder_runs_claim_each_reminder_once(
    body, admin_user, secretary, chair, transactional_db
):
    almaty = ZoneInfo("Asia/Almaty")
    with time_machine.travel(datetime(2026, 11, 2, 9, tzinfo=almaty), tick=False):
        request = create_request(
            body=body,
            actor=admin_user,
            addressee_kind="police_unit",
            addressee="ДП",
            subject="Журнал",
            legal_basis="2.2.8",
        )
        mark_sent(request, actor=admin_user, sent_on=date(2026, 11, 2))  # due Monday 16 November
    with time_machine.travel(datetime(2026, 11, 17, 8, 10, tzinfo=almaty), tick=False):
        results = in_threads([send_request_reminders] * 8)
    assert sum(results) == 1
    assert list(RequestReminder.objects.values_list("kind", flat=True)) == ["overdue"]
    assert AuditEvent.objects.filter(action="request.reminded").count() == 1


def test_twenty_parallel_clicks_file_a_finding_as_one_remark(
    server, token, body, chair, secretary, member, deputy
):
    from alqa.domain.visits import add_finding, create_facility, plan_visit, record_visit
    from alqa.models import ComplianceRemark, Finding, Proposal

    held, item = meeting_on(
        body, secretary, chair, days=-2, present=(chair, secretary, member, deputy), approved=True
    )
    decision = record_decision(held, actor=secretary.user, agenda_item=item, text_ru="Обеспечить допуск")
    facility = create_facility(body=body, actor=secretary.user, name_ru="ИВС", kind="temporary_detention")
    visit = plan_visit(body=body, facility=facility, actor=chair.user, planned_on=timezone.localdate())
    record_visit(visit, actor=chair.user, visited_on=timezone.localdate(), participants=[chair, member])
    finding = add_finding(visit, actor=chair.user, kind="lawyer_access", description="Адвоката не допустили")
    call = api_post(token(member.user), f"/findings/{finding.pk}/remark", {"decision_id": decision.pk})
    answers = run_parallel(server, [call] * N)
    assert statuses(answers) == {200: N}  # the same remark again changes nothing
    remark = ComplianceRemark.objects.get()
    assert Finding.objects.get().remark_id == remark.pk and Proposal.objects.count() == 1
    assert AuditEvent.objects.filter(action="finding.remarked").count() == 1
    assert AuditEvent.objects.filter(action="remark.filed").count() == 1
