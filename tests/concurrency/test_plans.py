"""Remarks and plans under parallel requests: a remark filed twenty times at once with one token
is filed once; twenty parallel approvals of a plan approve it once; twenty parallel drafts of the
same period's plan create one."""

from datetime import date

from django.utils import timezone

from alqa.domain.meetings import record_decision
from alqa.domain.plans import PlanExecutor, add_plan_item, create_plan
from alqa.models import AuditEvent, ComplianceRemark, OutboxMessage, Proposal, WorkPlan
from tests.concurrency.parallel import N, api_post, run_parallel, statuses
from tests.conftest import meeting_on

YEAR = timezone.localdate().year


def test_twenty_parallel_remarks_with_one_token_file_one(
    server, token, body, chair, secretary, member, deputy
):
    meeting, item = meeting_on(
        body, secretary, chair, days=-5, present=[chair, secretary, member, deputy], approved=True
    )
    decision = record_decision(meeting, actor=secretary.user, agenda_item=item, text_ru="Обеспечить доступ")
    mails = OutboxMessage.objects.count()
    sent = {"decision_id": decision.pk, "facts_ru": "Не исполнено", "client_token": "one-click"}
    answers = run_parallel(server, [api_post(token(member.user), f"/bodies/{body.pk}/remarks", sent)] * N)
    assert statuses(answers) == {201: N}
    assert len({a.json()["id"] for a in answers}) == 1
    assert ComplianceRemark.objects.count() == 1 and Proposal.objects.count() == 1
    assert AuditEvent.objects.filter(action="remark.filed").count() == 1
    assert OutboxMessage.objects.count() == mails + 2  # the chair and the secretary, once each


def test_twenty_parallel_approvals_of_a_plan_approve_it_once(server, token, body, chair, secretary, member):
    plan = create_plan(body=body, actor=secretary.user, period="year", year=YEAR)
    add_plan_item(
        plan,
        actor=secretary.user,
        activity_ru="Посещение ИВС",
        due_date=date(YEAR, 12, 31),
        executors=[PlanExecutor(member_id=member.pk)],
    )
    answers = run_parallel(server, [api_post(token(chair.user), f"/plans/{plan.pk}/approve", {})] * N)
    assert statuses(answers) == {200: 1, 422: N - 1}
    assert AuditEvent.objects.filter(action="plan.approved").count() == 1


def test_twenty_parallel_drafts_of_one_period_create_one_plan(server, token, body, secretary):
    sent = {"period": "quarter", "year": YEAR, "quarter": 2}
    answers = run_parallel(server, [api_post(token(secretary.user), f"/bodies/{body.pk}/plans", sent)] * N)
    assert statuses(answers) == {201: 1, 422: N - 1}
    assert WorkPlan.objects.count() == 1
    assert AuditEvent.objects.filter(action="plan.created").count() == 1
