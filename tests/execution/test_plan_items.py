# ruff: noqa: F811 - the fixture smtp_sink is imported from tests/test_outbox_smtp.py
"""A plan item's assignments are under control like a decision's (issue #11): each carries its
plan's body, is on the control page (overdue, grouped by the plan), opens its own page and gets
its reminders, delivered to a real SMTP server."""

import html
from datetime import date, timedelta

import pytest
from django.utils import timezone

from alqa.domain import execution_reminders as reminders
from alqa.domain.outbox import drain_outbox
from alqa.domain.plans import PlanExecutor, add_plan_item, create_plan
from alqa.domain.workdays_calendar import load_calendar
from alqa.models import Assignment, AssignmentReminder
from tests import audit_guard
from tests.conftest import login
from tests.execution.test_reminders import working_day
from tests.test_outbox_smtp import smtp_sink  # noqa: F401 - fixture

ACTIVITY = "Посещение ИВС Медеуского района"


@pytest.fixture(autouse=True)
def _no_second_factor(waive_mfa):
    """The leaders' pages without setting up TOTP: these tests are not about sign-in."""


@pytest.fixture
def plan_task(body, secretary, member):
    year = timezone.localdate().year
    plan = create_plan(body=body, actor=secretary.user, period="year", year=year)
    item = add_plan_item(
        plan,
        actor=secretary.user,
        activity_ru=ACTIVITY,
        expected_ru="Справка",
        due_date=date(year, 12, 31),
        executors=[PlanExecutor(member_id=member.pk)],
    )
    return Assignment.objects.get(plan_item=item)


def run_day() -> date:
    day, calendar = timezone.localdate(), load_calendar()
    while not calendar.is_working(day):
        day += timedelta(days=1)
    return day


def test_a_plan_items_assignment_carries_the_plans_body(plan_task, body):
    assert plan_task.body_id == body.pk == plan_task.plan_item.plan.body_id


def test_a_plan_items_overdue_assignment_is_on_the_control_page_and_gets_its_reminders(
    client, plan_task, body, chair, member, smtp_sink
):
    day = run_day()
    due = working_day(day, -6)  # six working days overdue on the day of the run
    with audit_guard.paused():  # arranging: a deadline already passed
        Assignment.objects.filter(pk=plan_task.pk).update(due_date=due)
    login(client, chair, "en")
    page = html.unescape(client.get(f"/bodies/{body.pk}/control/").content.decode())
    assert "Overdue: 1" in page and ACTIVITY in page and f"/assignments/{plan_task.pk}/" in page
    page = html.unescape(client.get(f"/bodies/{body.pk}/control/", {"group": "meeting"}).content.decode())
    assert f"Annual plan for {timezone.localdate().year}" in page
    assert client.get(f"/assignments/{plan_task.pk}/").status_code == 200

    drain_outbox()
    smtp_sink.messages.clear()
    assert reminders.send_execution_reminders(today=day) == 2  # the executor's 6th day, the chair's
    assert reminders.send_execution_reminders(today=day) == 0
    steps = sorted(AssignmentReminder.objects.filter(assignment=plan_task).values_list("kind", "step"))
    assert steps == [("chair", 5), ("due", 6)]
    drain_outbox()
    to = {m["To"]: m.get_payload(decode=True).decode() for m in smtp_sink.messages}
    assert ACTIVITY in to[member.email] and f"/assignments/{plan_task.pk}/" in to[member.email]
    assert ACTIVITY in to[chair.email]


def test_a_decisions_assignment_carries_the_meetings_body(unit_task, body):
    assert unit_task.body_id == body.pk == unit_task.decision.meeting.body_id
