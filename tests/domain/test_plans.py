"""Work plans (clauses 2.1.1, 2.1.2, 2.2.10): drafted by the secretary, approved by the chair,
amended with a reason, copied forward, reported on at a meeting."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from alqa.domain.meetings import add_agenda_item, approve_agenda, record_decision
from alqa.domain.plans import (
    PlanExecutor,
    add_plan_item,
    approve_plan,
    change_plan_item,
    copy_forward,
    create_plan,
    record_plan_result,
)
from alqa.enums import AgendaItemKind, PlanItemStatus, PlanStatus
from alqa.models import Assignment, AuditEvent, PlanAmendment, PlanItem, WorkPlan
from tests.conftest import meeting_on


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


YEAR = timezone.localdate().year


@pytest.fixture
def plan(body, secretary):
    return create_plan(body=body, actor=secretary.user, period="year", year=YEAR)


def _item(plan, secretary, member, police_unit, **extra):
    fields = {
        "activity_ru": "Посещение ИВС",
        "activity_kk": "УҰИ-ға бару",
        "expected_ru": "Справка",
        "due_date": date(YEAR, 12, 31),
        "executors": [PlanExecutor(member_id=member.pk), PlanExecutor(unit_id=police_unit.pk)],
    } | extra
    return add_plan_item(plan, actor=secretary.user, **fields)


def test_draft_approve_amend_and_copy_forward(body, plan, chair, secretary, member, police_unit):
    item = _item(plan, secretary, member, police_unit)
    assert item.number == 1
    executors = Assignment.objects.filter(plan_item=item)
    assert sorted(a.executor_label for a in executors) == sorted([str(member), str(police_unit)])
    assert all(a.decision_id is None and a.due_date == date(YEAR, 12, 31) for a in executors)

    with pytest.raises(ValidationError, match="Only the chair"):
        approve_plan(plan, actor=secretary.user, approver=secretary)
    approve_plan(plan, actor=chair.user, approver=chair)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == chair
    with pytest.raises(ValidationError, match="already approved"):
        approve_plan(plan, actor=chair.user, approver=chair)

    # after approval a change is an amendment with its reason
    with pytest.raises(ValidationError) as exc:
        change_plan_item(item, actor=secretary.user, due_date=date(YEAR, 11, 30))
    assert "reason" in exc.value.message_dict
    change_plan_item(item, actor=secretary.user, due_date=date(YEAR, 11, 30), reason="Перенос по письму ДП")
    amendment = PlanAmendment.objects.get(plan=plan)
    assert amendment.reason == "Перенос по письму ДП"
    assert amendment.changes == {"due_date": {"before": f"{YEAR}-12-31", "after": f"{YEAR}-11-30"}}
    assert set(Assignment.objects.filter(plan_item=item).values_list("due_date", flat=True)) == {
        date(YEAR, 11, 30)
    }
    second = _item(
        plan, secretary, member, police_unit, activity_ru="Семинар", reason="Поручение председателя"
    )
    assert second.number == 2 and PlanAmendment.objects.filter(plan=plan).count() == 2

    record_plan_result(
        item, actor=secretary.user, status="done", done_on=timezone.localdate(), result_ru="Проведено"
    )
    new = copy_forward(plan, actor=secretary.user)
    assert (new.year, new.period, new.status, new.copied_from) == (YEAR + 1, "year", PlanStatus.DRAFT, plan)
    copies = list(new.items.all())
    assert [(c.number, c.activity_ru, c.carried_from) for c in copies] == [(1, "Семинар", second)]
    assert copies[0].due_date == date(YEAR + 1, 12, 31)
    assert Assignment.objects.filter(plan_item=copies[0]).count() == 2
    second.refresh_from_db()
    assert second.status == PlanItemStatus.CARRIED
    with pytest.raises(ValidationError, match="already exists"):
        copy_forward(plan, actor=secretary.user)
    assert AuditEvent.objects.filter(action="plan.copied_forward").count() == 1


def test_bad_plans_and_items_are_refused(body, plan, secretary, member, police_unit, outsider):
    with pytest.raises(ValidationError, match="already exists"):
        create_plan(body=body, actor=secretary.user, period="year", year=YEAR)
    with pytest.raises(ValidationError) as exc:
        create_plan(body=body, actor=secretary.user, period="quarter", year=YEAR, quarter=5)
    assert "quarter" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _item(plan, secretary, member, police_unit, executors=[])
    assert "executors" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _item(plan, secretary, member, police_unit, due_date=date(YEAR + 1, 1, 10))
    assert "due_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _item(plan, secretary, member, police_unit, executors=[PlanExecutor(member_id=outsider.pk)])
    assert "executors.0" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _item(plan, secretary, member, police_unit, activity_ru="", activity_kk="")
    assert "activity_ru" in exc.value.message_dict
    assert not PlanItem.objects.exists()


@pytest.mark.unaudited_writes  # the database's own rules, tried directly
def test_database_holds_one_plan_per_period_and_one_owner_per_assignment(body, plan, secretary):
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkPlan.objects.create(body=body, period="year", year=YEAR, created_by=secretary.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(executor_name="Кто-то", due_date=date(YEAR, 1, 1))


def test_a_report_on_a_plan_item_heard_at_a_meeting_records_its_result(
    body, plan, chair, secretary, member, deputy, police_unit
):
    item = _item(plan, secretary, member, police_unit)
    approve_plan(plan, actor=chair.user, approver=chair)
    meeting, _ = meeting_on(
        body, secretary, chair, days=-1, title=None, present=[chair, secretary, member, deputy]
    )
    question = add_agenda_item(meeting, actor=secretary.user, plan_item=item)
    assert question.kind == AgendaItemKind.PLAN_REPORT and "Посещение ИВС" in question.title_ru
    approve_agenda(meeting, actor=chair.user)
    decision = record_decision(meeting, actor=secretary.user, agenda_item=question, text_ru="Отчёт принять")
    item.refresh_from_db()
    assert item.status == PlanItemStatus.DONE
    assert item.done_on == timezone.localdate() - timedelta(days=1)
    assert item.result_ru == "Отчёт принять" and item.result_decision == decision
