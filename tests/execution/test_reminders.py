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


def outbox_to(email, after=0):
    """The mails to `email` (after the outbox row `after`: the fixtures' invitations left out)."""
    return list(OutboxMessage.objects.filter(to=email, pk__gt=after).order_by("pk"))


def last_mail():
    return OutboxMessage.objects.order_by("pk").values_list("pk", flat=True).last() or 0


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
    # one event a mail, each naming its mail and the steps it covers: this assignment's six in six
    events = AuditEvent.objects.filter(action="assignment.reminders_sent").order_by("pk")
    mine_in_events = [
        (e.object_id, step) for e in events for step in e.data["steps"] if step[0] == official_task.pk
    ]
    assert mine_in_events == [
        (str(r.outbox_id), [official_task.pk, r.kind, "due", r.due.isoformat(), r.step])
        for r in AssignmentReminder.objects.filter(assignment=official_task).order_by("pk")
    ]
    assert events.count() == OutboxMessage.objects.filter(pk__in=[int(e.object_id) for e in events]).count()
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


@pytest.fixture
def overdue_three(official_task, unit_task, member_task):
    """A working day on which the member's, the unit's and the official's assignments are 9, 7 and
    5 working days overdue (the chair's threshold is 5; odd days: no executor's step that day)."""
    from alqa.models import Assignment
    from tests import audit_guard

    day = working_day(official_task.due_date, 10)
    with audit_guard.paused():  # arranging the deadlines
        for task, by in ((member_task, 9), (unit_task, 7), (official_task, 5)):
            Assignment.objects.filter(pk=task.pk).update(due_date=working_day(day, -by))
    return day


def test_the_chair_gets_one_digest_naming_every_overdue_assignment_most_overdue_first(
    overdue_three, chair, official_task, unit_task, member_task
):
    day = overdue_three
    mails, since = OutboxMessage.objects.count(), last_mail()
    assert reminders.send_execution_reminders(today=day) == 3
    assert OutboxMessage.objects.count() == mails + 1  # the chair's digest, and nothing else
    (digest,) = outbox_to(chair.email, since)
    assert digest.subject == "Просрочено поручений: 3 — Группа Алматы"
    text = digest.text
    order = [text.index(label) for label in ("Исаев Тимур", "Следственное управление", "Касымов Б.")]
    assert order == sorted(order)  # the most overdue first
    for days in ("9 рабочих дней", "7 рабочих дней", "5 рабочих дней"):
        assert f"Срок истёк {days} назад." in text
    for task in (member_task, unit_task, official_task):
        assert f"/assignments/{task.pk}/" in text
    assert text.count("Обеспечить доступ адвокатов в ИВС") == 3
    rows = AssignmentReminder.objects.filter(kind="chair")
    assert sorted(rows.values_list("assignment_id", "step", "to", "outbox_id")) == sorted(
        (task.pk, 5, chair.email, digest.pk) for task in (member_task, unit_task, official_task)
    )
    # one audit event for the digest, naming its mail, its reader and the three steps it covers
    (event,) = AuditEvent.objects.filter(action__startswith="assignment.remind")
    assert (event.action, event.object_type, event.object_id, event.object_label, event.body_id) == (
        "assignment.reminders_sent",
        "outboxmessage",
        str(digest.pk),
        chair.email,
        official_task.body_id,
    )
    assert event.data["assignments"] == sorted(t.pk for t in (member_task, unit_task, official_task))
    assert sorted(event.data["steps"]) == sorted(
        [r.assignment_id, "chair", "due", r.due.isoformat(), 5] for r in rows
    )
    # two runs the same day: nothing more
    assert reminders.send_execution_reminders(today=day) == 0
    assert OutboxMessage.objects.count() == mails + 1


@pytest.fixture
def second_body_chair(other_body, admin_user, member_task):
    """The member's assignment moved to a second body, with a chair of its own."""
    from alqa.enums import Role
    from alqa.models import Assignment
    from tests import audit_guard
    from tests.conftest import make_member

    with audit_guard.paused():  # arranging: the assignment belongs to the other body
        Assignment.objects.filter(pk=member_task.pk).update(body=other_body)
    return make_member(
        other_body, admin_user, email="chair2@alqa.test", role=Role.CHAIR, name="Оспанов Ерлан"
    )


def test_a_run_killed_between_bodies_is_finished_by_the_next(
    overdue_three, chair, second_body_chair, member_task, monkeypatch
):
    day = overdue_three
    real = reminders._send_batch
    calls = []

    def dies_on_the_second(steps, today):
        calls.append(sorted(s.assignment_id for s in steps))
        if len(calls) == 2:
            raise RuntimeError("the worker was killed")
        return real(steps, today)

    monkeypatch.setattr(reminders, "_send_batch", dies_on_the_second)
    since = last_mail()
    with pytest.raises(RuntimeError):
        reminders.send_execution_reminders(today=day)
    assert len(calls[0]) == 2 and calls[1] == [member_task.pk]  # body by body
    (first,) = outbox_to(chair.email, since)  # the first body's digest is kept
    assert "Касымов Б." in first.text and "Следственное управление" in first.text
    assert AssignmentReminder.objects.count() == 2
    assert not outbox_to(second_body_chair.email, since)  # the second rolled back
    monkeypatch.setattr(reminders, "_send_batch", real)
    assert reminders.send_execution_reminders(today=day) == 1  # the rest, and only the rest
    (second,) = outbox_to(second_body_chair.email, since)
    assert "Исаев Тимур" in second.text and "Касымов" not in second.text
    assert len(outbox_to(chair.email, since)) == 1
    assert reminders.send_execution_reminders(today=day) == 0


def test_an_executor_gets_one_digest_of_their_due_steps_in_kazakh(
    official_task, unit_task, member_task, smtp_sink
):
    """The unit's assignment mailed to the official's address too: on the official's deadline
    day, 2 working days after the unit's, one mail in Kazakh lists both with their own links."""
    from django.utils.translation import override

    from alqa.dates import long_date_in
    from alqa.models import Assignment, Unit
    from tests import audit_guard

    day = official_task.due_date
    while not load_calendar().is_working(day):
        day += timedelta(days=1)
    with audit_guard.paused():  # arranging: the official's deadline today, the unit's 2 days ago
        # (the member's assignment done)
        Assignment.objects.filter(pk=official_task.pk).update(due_date=day)
        Assignment.objects.filter(pk=unit_task.pk).update(
            due_date=working_day(day, -2), executor_email=OFFICIAL_EMAIL, executor_language="kk"
        )
        Assignment.objects.filter(pk=member_task.pk).update(status="done")
        # the unit has an address of its own: the assignment's address comes first
        Unit.objects.filter(pk=unit_task.executor_unit_id).update(email="sledstvie@police.test")
    drain_outbox()
    smtp_sink.messages.clear()
    since = last_mail()
    assert reminders.send_execution_reminders(today=day) == 2
    (digest,) = outbox_to(OFFICIAL_EMAIL, since)
    assert digest.subject == "2 тапсырманың мерзімдері — Алматы тобы"
    text = digest.text
    with override("kk"):
        unit_due, official_due = long_date_in(working_day(day, -2)), long_date_in(day)
    assert f"Орындау мерзімі: {unit_due}." in text and f"Орындау мерзімі: {official_due}." in text
    assert "Мерзім 2 жұмыс күн бұрын өтті." in text and "Мерзімі — бүгін." in text
    assert text.index("Мерзім 2 жұмыс күн бұрын өтті.") < text.index("Мерзімі — бүгін.")  # most overdue first
    assert text.count("Адвокаттардың ИВС-ке кіруін қамтамасыз ету") == 2
    assert "Мәртебесі:" in text
    for task in (unit_task, official_task):
        assert f"/tasks/{execution.live_link(task).token}/" in text  # each its own personal link
    rows = AssignmentReminder.objects.all()
    assert {r.outbox_id for r in rows} == {digest.pk} and rows.count() == 2
    assert not outbox_to("sledstvie@police.test", since)
    drain_outbox()
    (delivered,) = [m for m in smtp_sink.messages if m["To"] == OFFICIAL_EMAIL]
    assert "Адвокаттардың ИВС-ке кіруін" in delivered.get_payload(decode=True).decode()


def test_two_chairs_reading_the_same_lines_in_two_languages_each_get_their_own(
    overdue_three, chair, second_body_chair, member_task, official_task, unit_task
):
    """The items' lines are rendered once per line, values and language in a run: the chair of
    the first body reads Kazakh, the second body's chair Russian, about the same deadline and the
    same days overdue; each digest is whole and in its reader's language."""
    from django.utils.translation import override

    from alqa.dates import long_date_in
    from alqa.models import Assignment, Member
    from tests import audit_guard

    day = overdue_three
    official = Assignment.objects.get(pk=official_task.pk)
    with (
        audit_guard.paused()
    ):  # arranging: the first chair reads Kazakh, the member's deadline the official's
        Member.objects.filter(pk=chair.pk).update(language="kk")
        Assignment.objects.filter(pk=member_task.pk).update(due_date=official.due_date)
    since = last_mail()
    assert reminders.send_execution_reminders(today=day) == 3
    (kk,) = outbox_to(chair.email, since)
    (ru,) = outbox_to(second_body_chair.email, since)
    site = "http://127.0.0.1:8000"
    with override("kk"):
        kk_7, kk_5 = long_date_in(working_day(day, -7)), long_date_in(working_day(day, -5))
    with override("ru"):
        ru_5 = long_date_in(working_day(day, -5))
    assert kk.subject == "Мерзімі өткен тапсырмалар: 2 — Алматы тобы"
    assert kk.text == (
        "Бұл тапсырмалардың мерзімі бүгін төрағаға хабарлау шегіне жетті; ең ұзақ кешіктірілгендері бірінші.\n"
        "\n"
        "1. Адвокаттардың ИВС-ке кіруін қамтамасыз ету\n"
        "Орындаушы: Тергеу басқармасы.\n"
        f"Орындау мерзімі: {kk_7}.\n"
        "Мерзім 7 жұмыс күн бұрын өтті.\n"
        f"{site}/assignments/{unit_task.pk}/\n"
        "\n"
        "2. Адвокаттардың ИВС-ке кіруін қамтамасыз ету\n"
        "Орындаушы: Начальник ИВС Касымов Б..\n"
        f"Орындау мерзімі: {kk_5}.\n"
        "Мерзім 5 жұмыс күн бұрын өтті.\n"
        f"{site}/assignments/{official_task.pk}/\n"
    )
    assert ru.subject == "Просрочено поручений: 1 — Группа Жетісу"
    assert ru.text == (
        "Эти поручения сегодня достигли порога уведомления председателя; сначала самые просроченные.\n"
        "\n"
        "1. Обеспечить доступ адвокатов в ИВС\n"
        "Исполнитель: Исаев Тимур.\n"
        f"Срок исполнения: {ru_5}.\n"
        "Срок истёк 5 рабочих дней назад.\n"
        f"{site}/assignments/{member_task.pk}/\n"
    )


def _page(client, url: str) -> str:
    """The page's main content as a reader sees its text."""
    import html
    import re

    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    return html.unescape(
        " ".join(re.sub(r"<[^>]+>", " ", page[page.index("<main") : page.index("</main>")]).split())
    )


def test_the_reminders_are_shown_on_the_assignment_and_in_the_audit_trail_in_russian_and_kazakh(
    client, official_task, chair, waive_mfa
):
    """Three runs (2 working days before, on the day, 5 after: the chair's): the assignment's page
    lists the three reminders with their step and addressee, the executor's link only its own two,
    and the trail reads one event a mail."""
    from tests.conftest import login

    due, body_id = official_task.due_date, official_task.body_id
    for day in (working_day(due, -2), due, working_day(due, 5)):
        assert reminders.send_execution_reminders(today=day, body_ids=[body_id]) >= 1
    login(client, chair, "ru")
    page = _page(client, f"/assignments/{official_task.pk}/")
    assert f"За 2 рабочих дня до срока {OFFICIAL_EMAIL}" in page
    assert f"В день срока {OFFICIAL_EMAIL}" in page
    assert f"Председателю: просрочено на 5 рабочих дней {chair.email}" in page
    trail = _page(client, f"/bodies/{body_id}/audit/?action=assignment.reminders_sent")
    sentence = (
        f"Напоминания о сроках направлены на {OFFICIAL_EMAIL} одним письмом: напоминаний — 1, поручений — 1"
    )
    assert trail.count(sentence) == 2  # the executor's two mails
    assert f"Напоминания о сроках направлены на {chair.email} одним письмом" in trail
    login(client, chair, "kk")
    page = _page(client, f"/assignments/{official_task.pk}/")
    assert f"Мерзімге 2 жұмыс күні қалғанда {OFFICIAL_EMAIL}" in page
    assert f"Төрағаға: мерзімі 5 жұмыс күніне өтіп кетті {chair.email}" in page
    trail = _page(client, f"/bodies/{body_id}/audit/?action=assignment.reminders_sent")
    assert f"{OFFICIAL_EMAIL} мекенжайына бір хатпен жіберілді: еске салулар саны — 1" in trail
    client.logout()
    page = _page(client, f"/tasks/{execution.live_link(official_task).token}/")
    assert f"За 2 рабочих дня до срока {OFFICIAL_EMAIL}" in page
    assert f"В день срока {OFFICIAL_EMAIL}" in page
    assert chair.email not in page and "Председателю" not in page  # the chair's reminder is not theirs


def test_steps_with_no_one_to_send_them_to_are_claimed_under_one_event_of_the_body(
    overdue_three, chair, official_task, unit_task, member_task, client, waive_mfa
):
    """The chair has no address: the three chair steps are claimed (not sent again tomorrow), no
    mail goes, and one event of the body names them."""
    from alqa.models import Member
    from tests import audit_guard

    with audit_guard.paused():  # arranging: the chair without an address
        Member.objects.filter(pk=chair.pk).update(email="")
    mails = OutboxMessage.objects.count()
    assert reminders.send_execution_reminders(today=overdue_three) == 3
    assert OutboxMessage.objects.count() == mails
    assert set(AssignmentReminder.objects.values_list("kind", "to", "outbox_id")) == {("chair", "", None)}
    (event,) = AuditEvent.objects.filter(action__startswith="assignment.remind")
    assert (event.action, event.object_type, event.object_id, event.body_id) == (
        "assignment.reminders_unaddressed",
        "assignmentreminder",
        "",
        official_task.body_id,
    )
    assert event.data["assignments"] == sorted(t.pk for t in (member_task, unit_task, official_task))
    assert len(event.data["steps"]) == 3
    from tests.conftest import login

    login(client, chair, "ru")
    trail = _page(client, f"/bodies/{official_task.body_id}/audit/?action=assignment.reminders_unaddressed")
    assert "Наступил срок напоминаний, но направить их некому: напоминаний — 3, поручений — 3" in trail


def test_a_unit_with_no_address_of_its_own_is_written_to_at_the_units_and_a_plan_item_in_kazakh(
    unit_task, official_task, member_task, police_unit, member, body, secretary
):
    """The run reads its rows as columns: the unit's assignment with no address goes to the
    unit's, in the assignment's language, with a personal link; a member's plan item to the
    member's own address, its activity in the member's Kazakh."""
    from alqa.domain.plans import PlanExecutor, add_plan_item, create_plan
    from alqa.models import Assignment, ExecutorLink, Member, Unit
    from tests import audit_guard

    day = unit_task.due_date
    while not load_calendar().is_working(day):
        day += timedelta(days=1)
    plan = create_plan(body=body, actor=secretary.user, period="year", year=day.year)
    item = add_plan_item(
        plan,
        actor=secretary.user,
        activity_ru="Проверка ИВС",
        activity_kk="ИВС-ті тексеру",
        expected_ru="Справка",
        due_date=day,
        executors=[PlanExecutor(member_id=member.pk)],
    )
    plan_task = Assignment.objects.get(plan_item=item)
    with audit_guard.paused():  # arranging: the unit's own address, its deadline today; the rest done
        Unit.objects.filter(pk=police_unit.pk).update(email="sledstvie@police.test")
        Assignment.objects.filter(pk=unit_task.pk).update(
            due_date=day, executor_email="", executor_language="kk"
        )
        Assignment.objects.filter(pk__in=[official_task.pk, member_task.pk]).update(status="done")
        Assignment.objects.filter(pk=plan_task.pk).update(due_date=day)
        Member.objects.filter(pk=member.pk).update(language="kk")
    since = last_mail()
    assert reminders.send_execution_reminders(today=day) == 2
    (to_unit,) = outbox_to("sledstvie@police.test", since)
    (link,) = ExecutorLink.objects.filter(assignment=unit_task)
    assert (link.email, link.language, link.revoked_at) == ("sledstvie@police.test", "kk", None)
    assert f"/tasks/{link.token}/" in to_unit.text and "Мерзімі — бүгін." in to_unit.text
    assert "Адвокаттардың ИВС-ке кіруін қамтамасыз ету" in to_unit.text
    (to_member,) = outbox_to(member.email, since)
    assert "ИВС-ті тексеру" in to_member.text and "Проверка ИВС" not in to_member.text
    assert f"/assignments/{plan_task.pk}/" in to_member.text
    assert not ExecutorLink.objects.filter(assignment=plan_task).exists()  # a member signs in
    assert sorted(AssignmentReminder.objects.values_list("assignment_id", "to")) == sorted(
        [(unit_task.pk, "sledstvie@police.test"), (plan_task.pk, member.email)]
    )


def test_a_member_with_no_address_is_not_mailed_and_the_step_is_claimed_as_unaddressed(
    member_task, official_task, unit_task, member
):
    from alqa.models import Assignment, Member
    from tests import audit_guard

    day = member_task.due_date
    while not load_calendar().is_working(day):
        day += timedelta(days=1)
    with audit_guard.paused():  # arranging: the member without an address, their deadline today
        Member.objects.filter(pk=member.pk).update(email="")
        Assignment.objects.filter(pk=member_task.pk).update(due_date=day)
        Assignment.objects.filter(pk__in=[official_task.pk, unit_task.pk]).update(status="done")
    mails = OutboxMessage.objects.count()
    assert reminders.send_execution_reminders(today=day) == 1
    assert OutboxMessage.objects.count() == mails  # no mail to an empty address
    assert list(AssignmentReminder.objects.values_list("assignment_id", "step", "to", "outbox_id")) == [
        (member_task.pk, 0, "", None)
    ]
    (event,) = AuditEvent.objects.filter(action__startswith="assignment.remind")
    assert event.action == "assignment.reminders_unaddressed"
    assert reminders.send_execution_reminders(today=day) == 0  # claimed: not tried again today


def test_a_step_whose_deadline_stopped_running_after_the_steps_were_read_is_not_sent(
    official_task, unit_task, member_task, monkeypatch
):
    """The official reports while the run is between reading its steps and claiming them: the
    batch reads the assignment again under its lock and leaves the step alone."""
    from alqa.models import Assignment
    from tests import audit_guard

    day = working_day(official_task.due_date, 2)
    with audit_guard.paused():  # arranging: only the official's assignment still open
        Assignment.objects.filter(pk__in=[unit_task.pk, member_task.pk]).update(status="done")
    read = reminders.due_steps

    def then_the_report_comes(**kwargs):
        steps = read(**kwargs)
        assert [(s.assignment_id, s.step) for s in steps] == [(official_task.pk, 2)]
        execution.submit_report(official_task, kind="final", text="Исполнено", actor=None)
        return steps

    monkeypatch.setattr(reminders, "due_steps", then_the_report_comes)
    since = last_mail()
    assert reminders.send_execution_reminders(today=day) == 0
    assert not AssignmentReminder.objects.exists()
    assert not outbox_to(OFFICIAL_EMAIL, since)


def test_each_step_carries_its_readers_address_and_a_batch_keeps_an_address_whole(
    official_task, unit_task, member_task, member, monkeypatch
):
    """The run cuts its transactions by address (`batches`): each executor's step carries the
    address the digest goes to: the member's own, lower case; the official's; the unit's, the
    assignment having none. With one step a transaction, each address is a transaction of its
    own."""
    from alqa.models import Assignment, Member, Unit
    from tests import audit_guard

    day = official_task.due_date
    while not load_calendar().is_working(day):
        day += timedelta(days=1)
    with audit_guard.paused():  # arranging: the three deadlines today, the member's address in capitals
        Assignment.objects.filter(pk__in=[official_task.pk, unit_task.pk, member_task.pk]).update(
            due_date=day
        )
        Member.objects.filter(pk=member.pk).update(email=member.email.upper())
        Unit.objects.filter(pk=unit_task.executor_unit_id).update(email="sledstvie@police.test")
    steps = reminders.due_steps(today=day, calendar=load_calendar())
    assert {s.assignment_id: s.to for s in steps} == {
        official_task.pk: OFFICIAL_EMAIL,
        unit_task.pk: "sledstvie@police.test",
        member_task.pk: member.email.lower(),
    }
    monkeypatch.setattr(reminders, "BATCH", 1)
    assert sorted(len(batch) for batch in reminders.batches(steps)) == [1, 1, 1]


def _only_the_officials_open(official_task, unit_task, member_task, **changes):
    """Arranging: the unit's and the member's assignments done, the official's changed."""
    from alqa.models import Assignment
    from tests import audit_guard

    with audit_guard.paused():
        Assignment.objects.filter(pk__in=[unit_task.pk, member_task.pk]).update(status="done")
        Assignment.objects.filter(pk=official_task.pk).update(**changes)


def _a_working_day_ahead(days: int) -> date:
    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=days)
    while not load_calendar().is_working(day):
        day += timedelta(days=1)
    return day


def test_the_schedule_follows_the_bodys_policy_four_days_before_and_every_day_after(
    official_task, unit_task, member_task
):
    """The body's policy: 4 working days before, on the day, every working day after, the chair
    at 5. No step on another day before the deadline."""
    from alqa.models import BodyPolicy
    from tests import audit_guard

    due = _a_working_day_ahead(20)
    _only_the_officials_open(official_task, unit_task, member_task, due_date=due)
    with audit_guard.paused():  # arranging the policy
        BodyPolicy.objects.filter(body_id=official_task.body_id).update(
            reminder_before_days=4, reminder_every_days=1, chair_overdue_days=5
        )
    mine = AssignmentReminder.objects.filter(assignment=official_task)
    sent = {}
    for offset in range(-7, 7):
        claimed = mine.count()
        reminders.send_execution_reminders(today=working_day(due, offset) if offset else due)
        sent[offset] = mine.count() - claimed
    assert sent == {-7: 0, -6: 0, -5: 0, -4: 1, -3: 0, -2: 0, -1: 0, 0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 2, 6: 1}
    assert list(mine.filter(kind="chair").values_list("step", flat=True)) == [5]


def test_a_run_for_some_bodies_leaves_the_others_alone(official_task, unit_task, member_task, other_body):
    due = _a_working_day_ahead(20)
    _only_the_officials_open(official_task, unit_task, member_task, due_date=due)
    assert reminders.send_execution_reminders(today=due, body_ids=[other_body.pk]) == 0
    assert not AssignmentReminder.objects.exists()
    assert reminders.send_execution_reminders(today=due, body_ids=[official_task.body_id]) == 1


def test_an_information_and_an_execution_deadline_on_one_day_give_the_chair_one_step(
    official_task, unit_task, member_task, chair
):
    """Both deadlines of a received assignment passed 5 working days ago on the same date: the
    chair's step about that date is one, claimed and mailed once; the run does not fail."""
    day = _a_working_day_ahead(20)
    due = working_day(day, -5)
    _only_the_officials_open(
        official_task, unit_task, member_task, status="received", due_date=due, info_due=due
    )
    since = last_mail()
    assert reminders.send_execution_reminders(today=day) == 1
    assert list(AssignmentReminder.objects.values_list("kind", "due", "step")) == [("chair", due, 5)]
    (digest,) = outbox_to(chair.email, since)
    assert digest.text.count("Обеспечить доступ адвокатов в ИВС") == 1


def test_a_kazakh_digest_of_a_body_without_a_kazakh_name_names_it_in_russian(
    official_task, unit_task, member_task, body
):
    from alqa.models import Body
    from tests import audit_guard

    due = _a_working_day_ahead(20)
    _only_the_officials_open(official_task, unit_task, member_task, due_date=due)
    with audit_guard.paused():  # arranging: the body's Kazakh name not entered
        Body.objects.filter(pk=body.pk).update(name_kk="")
    since = last_mail()
    assert reminders.send_execution_reminders(today=due) == 1
    (mail,) = outbox_to(OFFICIAL_EMAIL, since)  # the official reads Kazakh
    assert mail.subject.endswith(" — Группа Алматы")
    assert "Адвокаттардың ИВС-ке кіруін қамтамасыз ету" in mail.text
