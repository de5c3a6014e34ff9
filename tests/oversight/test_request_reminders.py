"""Reminders of the answers due to requests for documents (clause 2.2.8): the working day before
the due date, on it, and once overdue — through the outbox, to the secretary and the chair, each
sent once however often the daily task runs."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from alqa.domain.requests import create_request, mark_sent, record_answer, send_request_reminders
from alqa.models import AuditEvent, OutboxMessage, RequestReminder

ALMATY = ZoneInfo("Asia/Almaty")


def at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 8, 10, tzinfo=ALMATY), tick=False)


@pytest.fixture
def sent(body, secretary, chair, member):
    """A request to a police unit sent on Monday 2 November 2026: ten working days, due Monday
    16 November."""
    with at(date(2026, 11, 2)):
        request = create_request(
            body=body,
            actor=secretary.user,
            addressee_kind="police_unit",
            addressee="ДП г. Алматы",
            subject="Журнал задержанных",
            legal_basis="пункт 2.2.8 Положения",
        )
        mark_sent(request, actor=secretary.user, sent_on=date(2026, 11, 2))
    request.refresh_from_db()
    assert request.due_on == date(2026, 11, 16)
    return request


def test_before_on_and_after_the_due_date_each_once(sent, secretary, chair, member):
    runs = {}
    for day in (
        date(2026, 11, 12),
        date(2026, 11, 13),
        date(2026, 11, 16),
        date(2026, 11, 17),
        date(2026, 11, 18),
    ):
        with at(day):
            runs[day] = (send_request_reminders(), send_request_reminders())  # the task twice a day
    assert runs == {
        date(2026, 11, 12): (0, 0),
        date(2026, 11, 13): (1, 0),  # Friday: the next working day is the due Monday
        date(2026, 11, 16): (1, 0),
        date(2026, 11, 17): (1, 0),
        date(2026, 11, 18): (0, 0),  # overdue is said once
    }
    kinds = list(RequestReminder.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["before", "due", "overdue"]
    mails = OutboxMessage.objects.filter(text__contains=f"/requests/{sent.pk}/").order_by("id")
    assert sorted({m.to for m in mails}) == [chair.email, secretary.email]  # not the plain member
    assert mails.count() == 6
    overdue = [m for m in mails if "просрочен" in m.subject]
    assert len(overdue) == 2 and f"/requests/{sent.pk}/" in overdue[0].text
    assert AuditEvent.objects.filter(action="request.reminded").count() == 3


def test_nothing_on_a_day_off_and_nothing_once_answered(sent, secretary):
    with at(date(2026, 11, 15)):  # Sunday
        assert send_request_reminders() == 0
    with at(date(2026, 11, 16)):
        record_answer(sent, actor=secretary.user, answered_on=date(2026, 11, 16))
        assert send_request_reminders() == 0
    assert not RequestReminder.objects.exists()
    assert not OutboxMessage.objects.filter(text__contains=f"/requests/{sent.pk}/").exists()
