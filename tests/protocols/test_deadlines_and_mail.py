"""The protocol's deadlines across Kazakh holidays and calendar changes, the reminders (once), and
the distribution surviving an SMTP server that goes down mid-way."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller

from alqa.domain import protocols as domain
from alqa.domain.meetings import AttendanceRow, add_agenda_item, record_attendance, schedule_meeting
from alqa.domain.outbox import drain_outbox
from alqa.domain.workdays import add_working_days
from alqa.domain.workdays_calendar import add_calendar_exception, load_calendar
from alqa.enums import CalendarExceptionKind, OutboxStatus
from alqa.models import AuditEvent, OutboxMessage
from tests.test_outbox_smtp import Sink, _free_port

ALMATY = ZoneInfo("Asia/Almaty")


def _held_on(day: date, body, chair, secretary, member, deputy):
    meeting = schedule_meeting(
        body=body,
        actor=secretary.user,
        kind="regular",
        format="in_person",
        starts_at=datetime(day.year, day.month, day.day, 10, tzinfo=ALMATY),
        place="Зал 3",
        presiding=chair,
        retrospective=True,
    )
    add_agenda_item(meeting, actor=secretary.user, title_ru="Вопрос")
    record_attendance(
        meeting,
        actor=secretary.user,
        members=[AttendanceRow(m.pk, True) for m in (chair, secretary, member, deputy)],
    )
    return meeting


def test_signing_deadline_passes_over_nauryz_and_follows_a_calendar_change(
    body, chair, secretary, member, deputy, admin_user
):
    # Thursday 19 March 2026: Nauryz (21–23 March, with the days moved) falls inside the five days
    meeting = _held_on(date(2026, 3, 19), body, chair, secretary, member, deputy)
    protocol = domain.create_protocol(meeting, actor=secretary.user)
    expected = add_working_days(load_calendar(), start=date(2026, 3, 19), days=5)
    assert protocol.sign_due == expected.due
    assert any(s.day == date(2026, 3, 23) for s in expected.skipped)  # Nauryz
    assert protocol.sign_due > date(2026, 3, 26)  # five plain weekdays would end on the 26th
    assert "5" in domain.explain_protocol_due("sign", protocol)

    # a working day inside the count made a day off moves the deadline one working day on
    with time_machine.travel(datetime(2026, 3, 20, 9, tzinfo=ALMATY)):
        add_calendar_exception(
            day=date(2026, 3, 20),
            kind=CalendarExceptionKind.DAY_OFF,
            name_ru="Выходной",
            name_kk="Демалыс",
            legal_act="Постановление № 1",
            actor=admin_user,
        )
    protocol.refresh_from_db()
    assert protocol.sign_due == add_working_days(load_calendar(), start=date(2026, 3, 19), days=5).due
    assert protocol.sign_due > expected.due
    assert protocol.sign_due_recounted["previous"] == expected.due.isoformat()
    assert AuditEvent.objects.filter(action="deadline.recounted", object_type="protocol").exists()


def test_reminders_the_working_day_before_and_on_the_day_once(body, chair, secretary, member, deputy):
    meeting = _held_on(date(2026, 11, 24), body, chair, secretary, member, deputy)
    protocol = domain.create_protocol(meeting, actor=secretary.user)
    due = protocol.sign_due
    calendar = load_calendar()
    before = due - timedelta(days=1)
    while not calendar.is_working(before):
        before -= timedelta(days=1)
    assert domain.send_reminders(today=before - timedelta(days=1)) == 0 or calendar.is_working(before)
    assert domain.send_reminders(today=before) == 1
    assert domain.send_reminders(today=before) == 0
    assert domain.send_reminders(today=due) == 1
    assert domain.send_reminders(today=due) == 0
    mails = OutboxMessage.objects.filter(
        to__in=[chair.email, secretary.email], subject__contains=str(protocol.number)
    )
    assert mails.count() == 4  # two addressees, two reminders


@pytest.mark.unaudited_writes
def test_distribution_survives_the_smtp_server_going_down(draft, chair, secretary, settings):
    h = domain.current_revision(draft).content_hash
    domain.sign_protocol(draft, actor=chair.user, signed_hash=h)
    domain.sign_protocol(draft, actor=secretary.user, signed_hash=h)
    queued = domain.distribute_protocol(draft, actor=secretary.user)
    assert queued >= 4
    # only the copies go out in this test
    copies = [pk for pk in draft.recipients.values_list("outbox", flat=True) if pk is not None]
    assert len(copies) == queued
    OutboxMessage.objects.exclude(pk__in=copies).update(status=OutboxStatus.SENT)
    sink = Sink()
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    server = Controller(sink, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert drain_outbox(limit=2) == (2, 0)
    finally:
        server.stop()
    sent, failed = drain_outbox()  # the server is down: kept for a retry
    assert sent == 0 and failed == queued - 2
    server = Controller(sink, hostname="127.0.0.1", port=port)
    server.start()
    try:
        later = datetime.now(tz=ALMATY) + timedelta(hours=1)
        assert drain_outbox(now=later) == (queued - 2, 0)
        assert drain_outbox(now=later + timedelta(hours=1)) == (0, 0)
    finally:
        server.stop()
    addresses = sorted(m["To"] for m in sink.messages)
    expected = sorted(draft.recipients.exclude(email="").values_list("email", flat=True))
    assert addresses == expected  # every copy exactly once
    assert all(any(p.get_content_type() == "application/pdf" for p in m.walk()) for m in sink.messages)
