# ruff: noqa: F811 - the fixtures are imported from tests/execution/conftest.py
"""Execution control under parallel requests: the chair's accept and return of one report at the
same moment (one decision wins, the others are told of it), and one report sent twenty times at
once (one report stored, one audit event)."""

from datetime import timedelta

from alqa.domain.execution import submit_report
from alqa.domain.execution_reminders import send_execution_reminders
from alqa.domain.workdays_calendar import load_calendar
from alqa.models import AssignmentReminder, AssignmentReport, AuditEvent, OutboxMessage
from tests.concurrency.parallel import N, api_post, in_threads, run_parallel, statuses
from tests.execution.conftest import (  # noqa: F401 - fixtures
    OFFICIAL_EMAIL,
    decision,
    member_task,
    official_task,
    signed,
    unit_task,
)
from tests.execution.test_reminders import working_day


def test_accept_and_return_at_once_one_decision_wins(server, token, signed, unit_task, chair):
    report, _new = submit_report(unit_task, kind="final", text="Исполнено", actor=None)
    secret = token(chair.user)
    accept = api_post(secret, f"/assignment-reports/{report.pk}/decision", {"decision": "accept"})
    give_back = api_post(
        secret, f"/assignment-reports/{report.pk}/decision", {"decision": "return", "comment": "Нет графика"}
    )
    answers = run_parallel(server, [accept, give_back] * (N // 2))
    assert set(statuses(answers)) <= {200, 409}
    report.refresh_from_db()
    unit_task.refresh_from_db()
    won = report.status
    assert (won, unit_task.status) in {("accepted", "done"), ("returned", "returned")}
    # every 200 is the decision that stands (the same one repeated); every other was told 409
    for call_index, answer in enumerate(answers):
        wanted = "accepted" if call_index % 2 == 0 else "returned"
        assert answer.status == (200 if wanted == won else 409), answer.text
    decided = AuditEvent.objects.filter(
        action__in=["assignment.report_accepted", "assignment.report_returned"]
    )
    assert decided.count() == 1


def test_one_report_sent_twenty_times_at_once_is_stored_once(server, token, signed, unit_task, secretary):
    call = api_post(
        token(secretary.user), f"/assignments/{unit_task.pk}/reports", {"kind": "final", "text": "Исполнено"}
    )
    answers = run_parallel(server, [call] * N)
    assert statuses(answers) == {201: 1, 200: N - 1}
    assert AssignmentReport.objects.filter(assignment=unit_task).count() == 1
    assert len({a.json()["id"] for a in answers}) == 1
    assert AuditEvent.objects.filter(action="assignment.report_submitted").count() == 1


def test_twenty_different_reports_at_once_one_is_stored_the_others_conflict(
    server, token, signed, unit_task, secretary
):
    secret = token(secretary.user)
    calls = [
        api_post(secret, f"/assignments/{unit_task.pk}/reports", {"kind": "final", "text": f"Отчёт {i}"})
        for i in range(N)
    ]
    answers = run_parallel(server, calls)
    assert statuses(answers) == {201: 1, 409: N - 1}
    assert AssignmentReport.objects.filter(assignment=unit_task).count() == 1


def test_two_workers_sending_reminders_at_once_send_each_step_once(server, signed, official_task):
    """Two (and more) reminder runs at the same moment, each in its own thread and connection."""
    day = official_task.due_date  # the step of the day itself
    while not load_calendar().is_working(day):  # a date set by hand may fall on a day off
        day -= timedelta(days=1)
    runs = in_threads([lambda: send_execution_reminders(today=day)] * 4)
    claimed = AssignmentReminder.objects.filter(assignment=official_task)
    assert claimed.count() == 1
    assert sum(runs) == AssignmentReminder.objects.count()
    assert OutboxMessage.objects.filter(to=OFFICIAL_EMAIL).count() == 1


def test_two_workers_sending_digests_at_once_never_send_a_step_twice_nor_two_digests(
    server, signed, official_task, unit_task, member_task, chair, member
):
    """Four runs at once, each in its own thread and connection, on a day when the three
    assignments are 8, 6 and 6 working days overdue: each step (the chair's three, the
    executors') is claimed once, the chair gets one digest of the three, each executor one mail."""
    from alqa.models import Assignment
    from tests import audit_guard

    day = working_day(official_task.due_date, 10)
    with audit_guard.paused():  # arranging the deadlines and the unit's address
        for task, by in ((member_task, 8), (unit_task, 6), (official_task, 6)):
            Assignment.objects.filter(pk=task.pk).update(due_date=working_day(day, -by))
        Assignment.objects.filter(pk=unit_task.pk).update(executor_email="ivs@police.test")
    since = OutboxMessage.objects.order_by("pk").values_list("pk", flat=True).last() or 0
    runs = in_threads([lambda: send_execution_reminders(today=day)] * 4)
    rows = AssignmentReminder.objects.all()
    assert sorted(rows.values_list("assignment_id", "kind")) == sorted(
        [(t.pk, k) for t in (official_task, unit_task, member_task) for k in ("due", "chair")]
    )
    assert sum(runs) == 6
    new = OutboxMessage.objects.filter(pk__gt=since)
    assert sorted(new.values_list("to", flat=True)) == sorted(
        [chair.email, member.email, OFFICIAL_EMAIL, "ivs@police.test"]
    )
    digest = new.get(to=chair.email)
    assert all(t.executor_label in digest.text for t in (official_task, unit_task, member_task))
    assert set(rows.filter(kind="chair").values_list("outbox_id", flat=True)) == {digest.pk}
    # one audit event a mail, together covering each step once
    events = AuditEvent.objects.filter(action__startswith="assignment.remind")
    assert sorted(events.values_list("action", "object_id")) == sorted(
        ("assignment.reminders_sent", str(pk)) for pk in new.values_list("pk", flat=True)
    )
    covered = sorted((a, k) for e in events for a, k, *_rest in e.data["steps"])
    assert covered == sorted(rows.values_list("assignment_id", "kind"))
