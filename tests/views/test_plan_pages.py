"""Compliance remarks and work plans as their people use them: a member files a remark from the
decision on the meeting page, the leaders see it in the register; the secretary drafts a plan,
the chair approves it, a result is recorded, the period report is a PDF in ru and kk."""

from datetime import date

import pytest
from django.utils import timezone

from alqa.domain.meetings import record_decision
from alqa.domain.plans import PlanExecutor, add_plan_item, create_plan
from alqa.enums import PlanItemStatus, PlanStatus, RemarkStatus
from alqa.models import AuditEvent, ComplianceRemark, PlanItem, WorkPlan
from tests.conftest import login, meeting_on

pytestmark = pytest.mark.usefixtures("waive_mfa")
YEAR = timezone.localdate().year


@pytest.fixture
def decision(body, chair, secretary, member, deputy):
    meeting, item = meeting_on(
        body, secretary, chair, days=-20, present=[chair, secretary, member, deputy], approved=True
    )
    return record_decision(meeting, actor=secretary.user, agenda_item=item, text_ru="Обеспечить доступ в ИВС")


def test_member_files_a_remark_from_the_meeting_page_and_it_shows_in_the_register(
    client, body, chair, secretary, member, decision
):
    login(client, member)
    page = client.get(f"/meetings/{decision.meeting_id}/").content.decode()
    assert f"/decisions/{decision.pk}/remark/" in page
    form = client.get(f"/decisions/{decision.pk}/remark/").content.decode()
    assert "Обеспечить доступ в ИВС" in form and 'name="client_token"' in form
    empty = client.post(f"/decisions/{decision.pk}/remark/", {"client_token": "t1"})
    assert empty.status_code == 200 and "Describe the facts in Russian or Kazakh." in empty.content.decode()
    posted = {"facts_ru": "Доступ не обеспечен 3 декабря", "client_token": "t1"}
    response = client.post(f"/decisions/{decision.pk}/remark/", posted)
    remark = ComplianceRemark.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/remarks/{remark.pk}/"
    client.post(f"/decisions/{decision.pk}/remark/", posted)  # the double click
    assert ComplianceRemark.objects.count() == 1
    page = client.get(f"/meetings/{decision.meeting_id}/").content.decode()
    assert f"/remarks/{remark.pk}/" in page and "Filed, awaiting the agenda" in page
    register = client.get(f"/bodies/{body.pk}/remarks/?status=open").content.decode()
    assert "Доступ не обеспечен 3 декабря" in register and "Исаев Тимур" in register
    assert (
        "Доступ не обеспечен" not in client.get(f"/bodies/{body.pk}/remarks/?status=closed").content.decode()
    )
    # a plain member does not close it; the secretary does, with the outcome
    assert client.post(f"/remarks/{remark.pk}/close/", {"outcome_ru": "x"}).status_code == 403
    login(client, secretary)
    assert "Close with the outcome" in client.get(f"/remarks/{remark.pk}/").content.decode()
    client.post(f"/remarks/{remark.pk}/close/", {"outcome_ru": "Заслушано, принято к сведению"})
    remark.refresh_from_db()
    assert remark.status == RemarkStatus.CLOSED and remark.outcome_ru == "Заслушано, принято к сведению"


def test_remark_pages_of_another_body_are_not_found(client, body, outsider, member, decision):
    login(client, outsider)
    assert client.get(f"/decisions/{decision.pk}/remark/").status_code == 404
    assert client.get(f"/bodies/{body.pk}/remarks/").status_code == 404


def test_secretary_drafts_a_plan_and_the_chair_approves_it(
    client, body, chair, secretary, member, police_unit
):
    login(client, secretary)
    response = client.post(
        f"/bodies/{body.pk}/plans/new/", {"period": "year", "year": str(YEAR), "quarter": "0"}
    )
    plan = WorkPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"
    again = client.post(
        f"/bodies/{body.pk}/plans/new/", {"period": "year", "year": str(YEAR), "quarter": "0"}
    )
    assert again.status_code == 400 and "A plan for this period already exists." in again.content.decode()
    no_executor = client.post(
        f"/plans/{plan.pk}/items/", {"activity_ru": "Посещение ИВС", "due_date": f"{YEAR}-12-01"}
    )
    assert (
        no_executor.status_code == 400
        and "Name at least one responsible executor." in no_executor.content.decode()
    )
    client.post(
        f"/plans/{plan.pk}/items/",
        {
            "activity_ru": "Посещение ИВС",
            "activity_kk": "УҰИ-ға бару",
            "due_date": f"{YEAR}-12-01",
            "executor_members": [str(member.pk)],
            "executor_units": [str(police_unit.pk)],
            "executor_names": "Начальник ИВС Ахметов К.",
        },
    )
    item = PlanItem.objects.get()
    assert sorted(a.executor_label for a in item.assignments.all()) == sorted(
        ["Начальник ИВС Ахметов К.", str(member), str(police_unit)]
    )
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Посещение ИВС" in page and "Approve the plan" not in page  # only the chair approves
    assert client.post(f"/plans/{plan.pk}/approve/").status_code == 403
    login(client, chair)
    client.post(f"/plans/{plan.pk}/approve/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == chair
    login(client, secretary)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Reason for the amendment" in page
    change = {"activity_ru": "Посещение ИВС", "due_date": f"{YEAR}-11-30"}
    refused = client.post(f"/plan-items/{item.pk}/change/", change)
    assert refused.status_code == 400 and "give the reason for the amendment" in refused.content.decode()
    client.post(f"/plan-items/{item.pk}/change/", change | {"reason": "Письмо ДП от 1 ноября"})
    item.refresh_from_db()
    assert item.due_date == date(YEAR, 11, 30)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Amendments after approval" in page and "Письмо ДП от 1 ноября" in page
    client.post(
        f"/plan-items/{item.pk}/result/",
        {"status": "done", "done_on": timezone.localdate().isoformat(), "result_ru": "Проведено"},
    )
    item.refresh_from_db()
    assert item.status == PlanItemStatus.DONE
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Statistics of the period" in page
    for language in ("ru", "kk"):
        pdf = client.get(f"/plans/{plan.pk}/report.pdf?language={language}")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="plan.approved").count() == 1


def test_members_read_plans_but_do_not_draft_them(client, body, secretary, member):
    plan = create_plan(body=body, actor=secretary.user, period="quarter", year=YEAR, quarter=1)
    add_plan_item(
        plan,
        actor=secretary.user,
        activity_ru="Семинар",
        due_date=date(YEAR, 3, 31),
        executors=[PlanExecutor(name="Начальник ДП")],
    )
    login(client, member)
    assert "Семинар" in client.get(f"/plans/{plan.pk}/").content.decode()
    assert (
        client.post(f"/bodies/{body.pk}/plans/new/", {"period": "year", "year": str(YEAR)}).status_code == 403
    )
    assert client.post(f"/plans/{plan.pk}/items/", {"activity_ru": "x"}).status_code == 403
    assert client.post(f"/plans/{plan.pk}/copy-forward/").status_code == 403


def test_the_period_report_reads_in_each_language(client, body, chair, secretary, member):
    import subprocess

    from alqa.domain.plans import approve_plan

    plan = create_plan(body=body, actor=secretary.user, period="year", year=YEAR)
    add_plan_item(
        plan,
        actor=secretary.user,
        activity_ru="Посещение ИВС",
        activity_kk="УҰИ-ға бару",
        due_date=date(YEAR, 12, 31),
        executors=[PlanExecutor(member_id=member.pk)],
    )
    approve_plan(plan, actor=chair.user, approver=chair)
    login(client, member)
    texts = {}
    for language in ("ru", "kk"):
        pdf = client.get(f"/plans/{plan.pk}/report.pdf?language={language}").content
        texts[language] = " ".join(
            subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
            .stdout.decode()
            .split()
        )
    assert f"Годовой план работы на {YEAR} год" in texts["ru"] and "Итоги периода" in texts["ru"]
    assert "Посещение ИВС" in texts["ru"] and "Серикбаев Арман" in texts["ru"]
    assert (
        f"{YEAR} жылға арналған жылдық жұмыс жоспары" in texts["kk"] and "Кезең қорытындылары" in texts["kk"]
    )
    assert "УҰИ-ға бару" in texts["kk"]


def test_the_plan_page_costs_the_same_with_more_items(client, body, secretary, member, police_unit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = create_plan(body=body, actor=secretary.user, period="year", year=YEAR)
    login(client, secretary)

    def add(n):
        for _i in range(n):
            add_plan_item(
                plan,
                actor=secretary.user,
                activity_ru=f"Мероприятие {plan.items.count() + 1}",
                due_date=date(YEAR, 12, 31),
                executors=[PlanExecutor(member_id=member.pk), PlanExecutor(unit_id=police_unit.pk)],
            )

    def count():
        client.get(f"/plans/{plan.pk}/")
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(f"/plans/{plan.pk}/").content.decode()
        assert f"Мероприятие {plan.items.count()}" in page
        return len(ctx.captured_queries)

    add(2)
    small = count()
    add(18)
    assert count() == small
