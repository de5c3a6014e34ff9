"""Compliance remarks (clause 2.2.3): any member files one on a decision or a plan item; it goes
to the next agenda as a proposal, tells the chair and the secretary, and is closed with the
outcome heard."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from alqa.domain.meetings import AttendanceRow, approve_agenda, record_attendance, record_decision
from alqa.domain.plans import PlanExecutor, add_plan_item, create_plan
from alqa.domain.proposals import accept_proposal
from alqa.domain.remarks import close_remark, file_remark
from alqa.enums import AgendaItemKind, RemarkStatus
from alqa.models import AuditEvent, ComplianceRemark, OutboxMessage, Proposal
from tests.conftest import meeting_on

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def decision(body, chair, secretary, member, deputy):
    meeting, item = meeting_on(
        body, secretary, chair, days=-20, present=[chair, secretary, member, deputy], approved=True
    )
    return record_decision(meeting, actor=secretary.user, agenda_item=item, text_ru="Обеспечить доступ")


def test_a_plain_member_files_a_remark_that_reaches_the_next_agenda_and_closes_there(
    body, chair, secretary, member, deputy, decision
):
    member.user.language = "kk"
    remark = file_remark(
        body=body,
        author=member,
        actor=member.user,
        decision=decision,
        facts_ru="Доступ в ИВС по-прежнему не обеспечен",
        files=[SimpleUploadedFile("akt.pdf", PDF, content_type="application/pdf")],
        client_token="tok-1",
    )
    assert remark.status == RemarkStatus.OPEN
    proposal = remark.proposal
    assert proposal.author == member and proposal.memo_ru == "Доступ в ИВС по-прежнему не обеспечен"
    assert "Замечание" in proposal.title_ru and proposal.title_kk
    assert [a.name for a in proposal.attachments.all()] == ["akt.pdf"]
    mails = OutboxMessage.objects.filter(subject__icontains=member.full_name)
    assert sorted(m.to for m in mails) == ["chair@alqa.test", "secretary@alqa.test"]
    assert all("замечание" in m.subject.lower() for m in mails)  # the leaders read Russian
    assert AuditEvent.objects.filter(action="remark.filed", object_id=str(remark.pk)).exists()

    # a double click with the same token files nothing more
    again = file_remark(
        body=body,
        author=member,
        actor=member.user,
        decision=decision,
        facts_ru="Другой текст",
        client_token="tok-1",
    )
    assert again.pk == remark.pk and ComplianceRemark.objects.count() == 1 and Proposal.objects.count() == 1

    # the chair puts it on the next meeting: a remark on that decision
    nxt, _ = meeting_on(body, secretary, chair, days=-1, title=None)
    item = accept_proposal(proposal, meeting=nxt, actor=secretary.user, decider=secretary)
    assert item.kind == AgendaItemKind.REMARK and item.remark_on == decision
    remark.refresh_from_db()
    assert remark.status == RemarkStatus.ON_AGENDA

    approve_agenda(nxt, actor=chair.user)
    record_attendance(
        nxt,
        actor=secretary.user,
        members=[AttendanceRow(m.pk, True) for m in (chair, secretary, member, deputy)],
    )
    heard = record_decision(nxt, actor=secretary.user, agenda_item=item, text_ru="Указать на недопустимость")
    remark.refresh_from_db()
    assert remark.status == RemarkStatus.CLOSED
    assert remark.outcome_ru == "Указать на недопустимость" and remark.outcome_decision == heard
    assert AuditEvent.objects.filter(action="remark.closed", object_id=str(remark.pk)).exists()
    with pytest.raises(ValidationError, match="already closed"):
        close_remark(remark, actor=secretary.user, outcome_ru="Ещё раз")


def test_the_leaders_are_told_in_their_own_language(body, admin_user, chair, secretary, member, decision):
    from alqa.domain.members import update_member

    update_member(chair, actor=admin_user, changes={"language": "kk"})
    file_remark(body=body, author=member, actor=member.user, decision=decision, facts_ru="Не исполнено")
    to_chair = OutboxMessage.objects.get(to="chair@alqa.test", subject__contains=member.full_name)
    to_secretary = OutboxMessage.objects.get(to="secretary@alqa.test", subject__contains=member.full_name)
    assert "орындалмау туралы ескерту" in to_chair.subject and "жылғы" in to_chair.text
    assert "Замечание о неисполнении" in to_secretary.subject and "Не исполнено" in to_secretary.text


def test_bad_remarks_are_refused_and_nothing_is_saved(
    body, other_body, chair, secretary, member, outsider, decision
):
    mails = OutboxMessage.objects.count()
    with pytest.raises(ValidationError) as exc:
        file_remark(body=body, author=member, actor=member.user, facts_ru="Факты")
    assert "decision" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        file_remark(body=body, author=member, actor=member.user, decision=decision)
    assert "facts_ru" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        file_remark(
            body=other_body, author=outsider, actor=outsider.user, decision=decision, facts_ru="Факты"
        )
    assert "decision" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        file_remark(
            body=body,
            author=member,
            actor=member.user,
            decision=decision,
            facts_ru="Факты",
            files=[SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/pdf")],
        )
    assert "files" in exc.value.message_dict
    assert not ComplianceRemark.objects.exists() and not Proposal.objects.exists()
    assert OutboxMessage.objects.count() == mails


def test_the_secretary_closes_a_remark_on_a_plan_item_with_the_outcome(body, chair, secretary, member):
    today = timezone.localdate()
    plan = create_plan(body=body, actor=secretary.user, period="year", year=today.year)
    plan_item = add_plan_item(
        plan,
        actor=secretary.user,
        activity_ru="Посетить ИВС",
        due_date=today.replace(month=12, day=31),
        executors=[PlanExecutor(member_id=member.pk)],
    )
    remark = file_remark(
        body=body, author=member, actor=member.user, plan_item=plan_item, facts_kk="Орындалмады"
    )
    assert (
        remark.plan_item == plan_item
        and "plan item 1" in remark.proposal.title_ru.lower()
        or remark.proposal.title_ru
    )
    with pytest.raises(ValidationError) as exc:
        close_remark(remark, actor=secretary.user)
    assert "outcome_ru" in exc.value.message_dict
    close_remark(remark, actor=secretary.user, outcome_ru="Рассмотрено, срок продлён")
    remark.refresh_from_db()
    # its proposal leaves the queue of the agenda
    assert (remark.proposal.status, remark.proposal.return_reason) == (
        "returned",
        "Рассмотрено, срок продлён",
    )
    assert remark.status == RemarkStatus.CLOSED and remark.closed_at is not None
    assert remark.closed_at <= timezone.now() + timedelta(seconds=1)
