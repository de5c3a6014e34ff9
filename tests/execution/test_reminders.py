# ruff: noqa: F811 - the fixture smtp_sink is imported from tests/test_outbox_smtp.py
"""Reminders of the assignments' deadlines (alqa/domain/execution_reminders.py): to the executor
in their language 2 working days before, on the day and every 2 working days after; the chair at
5 working days overdue; each step once, a run stopped midway finished by the next; delivered
through the outbox to a real SMTP server."""

from datetime import date, timedelta

import pytest

from alqa.domain import execution
from alqa.domain import execution_reminders as reminders
from alqa.domain.outbox import drain_outbox
from alqa.domain.workdays_calendar import load_calendar
from alqa.models import AssignmentReminder, AuditEvent, OutboxMessage
from tests.execution.conftest import OFFICIAL_EMAIL
from tests.test_outbox_smtp import smtp_sink  # noqa: F401 - fixture


def working_day(due: date, offset: int) -> date:
    """The working day `offset` working days from `due` (negative: before)."""
    calendar = load_calendar()
    day, counted, step = due, 0, 1 if offset > 0 else -1
    while counted != offset:
        day += timedelta(days=step)
        if calendar.is_working(day):
            counted += step
    return day


def outbox_to(email):
    return list(OutboxMessage.objects.filter(to=email).order_by("pk"))


def test_the_executor_is_reminded_before_on_and_after_the_deadline_and_the_chair_at_five(
    official_task, chair, smtp_sink
):
    due = official_task.due_date
    drain_outbox()
    smtp_sink.messages.clear()
    sent = {}
    mine = AssignmentReminder.objects.filter(assignment=official_task)
    for offset in range(-3, 7):
        day = working_day(due, offset) if offset else due
        claimed = mine.count()
        reminders.send_execution_reminders(today=day, body_ids=[official_task.decision.meeting.body_id])
        sent[offset] = mine.count() - claimed
        assert reminders.send_execution_reminders(today=day) == 0  # the same day again: nothing
    assert sent == {-3: 0, -2: 1, -1: 0, 0: 1, 1: 0, 2: 1, 3: 0, 4: 1, 5: 1, 6: 1}
    steps = list(
        AssignmentReminder.objects.filter(assignment=official_task).order_by("pk").values_list("kind", "step")
    )
    assert steps == [("due", -2), ("due", 0), ("due", 2), ("due", 4), ("chair", 5), ("due", 6)]
    assert len(outbox_to(OFFICIAL_EMAIL)) == 5
    assert len([m for m in outbox_to(chair.email) if "Касымов" in m.text]) == 1
    assert (
        AuditEvent.objects.filter(action="assignment.reminded", object_id=str(official_task.pk)).count() == 6
    )
    drain_outbox()
    to_official = [m for m in smtp_sink.messages if m["To"] == OFFICIAL_EMAIL]
    assert len(to_official) == 5
    text = to_official[0].get_payload(decode=True).decode()
    link = execution.live_link(official_task)
    assert f"/tasks/{link.token}/" in text  # the personal link, made for the reminder
    assert official_task.decision.text_kk.split()[0] in text  # in the executor's language (Kazakh)
    assert any(
        "Касымов" in m.get_payload(decode=True).decode() for m in smtp_sink.messages if m["To"] == chair.email
    )


def test_no_reminder_once_the_report_is_in_and_none_on_a_day_off(official_task, unit_task, member_task):
    due = official_task.due_date
    for task in (official_task, unit_task, member_task):
        execution.submit_report(task, kind="final", text="Исполнено", actor=None)
    assert reminders.send_execution_reminders(today=working_day(due, 2)) == 0
    assert not AssignmentReminder.objects.exists()


def test_nothing_is_sent_on_a_day_off(official_task):
    day = official_task.due_date
    while load_calendar().is_working(day):
        day += timedelta(days=1)
    assert reminders.send_execution_reminders(today=day) == 0


def test_a_run_stopped_midway_is_finished_by_the_next_without_sending_twice(
    official_task, unit_task, member_task, monkeypatch
):
    day = working_day(official_task.due_date, 2)
    unit_due = working_day(day, -2)  # the unit's deadline passed 2 working days before that day
    from alqa.models import Assignment
    from tests import audit_guard

    with audit_guard.paused():  # arranging: the unit's deadline and address; the member's done
        Assignment.objects.filter(pk=unit_task.pk).update(due_date=unit_due, executor_email="ivs@police.test")
        Assignment.objects.filter(pk=member_task.pk).update(status="done")
    real = reminders._send_batch
    calls = []

    def dies_on_the_second(steps, today):
        calls.append([s.assignment_id for s in steps])
        if len(calls) == 2:
            raise RuntimeError("the worker was killed")
        return real(steps, today)

    monkeypatch.setattr(reminders, "BATCH", 1)  # one step a transaction: the second one dies
    monkeypatch.setattr(reminders, "_send_batch", dies_on_the_second)
    mails = OutboxMessage.objects.count()
    with pytest.raises(RuntimeError):
        reminders.send_execution_reminders(today=day)
    assert AssignmentReminder.objects.count() == 1  # the first step's mail and row are kept
    assert OutboxMessage.objects.count() == mails + 1  # the second's rolled back with its row
    monkeypatch.setattr(reminders, "_send_batch", real)
    assert reminders.send_execution_reminders(today=day) == 1  # the rest, and only the rest
    assert reminders.send_execution_reminders(today=day) == 0
    assert sorted(AssignmentReminder.objects.values_list("assignment_id", flat=True)) == sorted(
        [official_task.pk, unit_task.pk]
    )
    assert len(outbox_to("ivs@police.test")) == 1 and len(outbox_to(OFFICIAL_EMAIL)) == 1
