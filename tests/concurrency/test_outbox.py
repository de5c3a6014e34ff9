"""The outbox drained by several workers at once (the huey worker's threads, a periodic run beside
a requested one) hands every mail to SMTP once (issue: the demo's 31 outbox rows became 48 mails)."""

import asyncio
from collections import Counter
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from alqa.domain.outbox import CLAIM_TIMEOUT, MAX_ATTEMPTS, drain_outbox
from alqa.enums import OutboxStatus
from alqa.models import OutboxMessage
from tests.concurrency.parallel import in_threads
from tests.test_outbox_smtp import Sink, serve_smtp

ROWS = 30


class SlowSink(Sink):
    """A real SMTP server (aiosmtpd) that takes a moment over each mail, as a real one does: long
    enough for the workers' turns to interleave."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp_sink(settings):
    yield from serve_smtp(settings, SlowSink())


def subjects(sink) -> list[str]:
    """The subjects of the mails the SMTP server received, in order, decoded."""
    return [str(make_header(decode_header(m["Subject"]))) for m in sink.messages]


def _rows(count: int, **fields) -> list[OutboxMessage]:
    # written directly: queue_mail would ask the (immediate, in tests) worker to send at once
    return OutboxMessage.objects.bulk_create(
        OutboxMessage(to=f"person{i:02d}@alqa.test", subject=f"Письмо {i:02d}", text="Текст\n", **fields)
        for i in range(count)
    )


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
@pytest.mark.parametrize("workers", [2, 4])
def test_workers_draining_at_once_send_every_mail_once(transactional_db, smtp_sink, workers):
    _rows(ROWS)
    results = in_threads([drain_outbox] * workers)
    received = Counter(subjects(smtp_sink))
    assert received == {f"Письмо {i:02d}": 1 for i in range(ROWS)}
    assert sum(sent for sent, _failed in results) == ROWS
    assert sum(failed for _sent, failed in results) == 0
    assert Counter(OutboxMessage.objects.values_list("status", "attempts")) == {(OutboxStatus.SENT, 1): ROWS}


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_a_mail_left_sending_by_a_dead_worker_is_sent_after_the_timeout(transactional_db, smtp_sink):
    now = timezone.now()
    [stuck] = _rows(1, status=OutboxStatus.SENDING, claimed_at=now - CLAIM_TIMEOUT - timedelta(minutes=1))
    busy = OutboxMessage.objects.create(
        to="busy@alqa.test", subject="В работе", text="Текст\n", status=OutboxStatus.SENDING, claimed_at=now
    )
    assert in_threads([drain_outbox] * 2) in ([(1, 0), (0, 0)], [(0, 0), (1, 0)])
    assert subjects(smtp_sink) == ["Письмо 00"]
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert (stuck.status, stuck.attempts) == (OutboxStatus.SENT, 1)
    # a claim younger than the timeout belongs to a worker still sending it: left alone
    assert (busy.status, busy.attempts) == (OutboxStatus.SENDING, 0)
    later = now + CLAIM_TIMEOUT + timedelta(minutes=1)
    assert drain_outbox(now=later) == (1, 0)
    assert subjects(smtp_sink) == ["Письмо 00", "В работе"]


@pytest.mark.unaudited_writes  # the body arranges data directly, past the domain
def test_a_mail_that_stopped_the_worker_every_time_is_marked_failed(transactional_db, smtp_sink):
    long_ago = timezone.now() - CLAIM_TIMEOUT - timedelta(minutes=1)
    [poison] = _rows(1, status=OutboxStatus.SENDING, claimed_at=long_ago, attempts=MAX_ATTEMPTS)
    assert drain_outbox() == (0, 0)
    assert smtp_sink.messages == []
    poison.refresh_from_db()
    assert poison.status == OutboxStatus.FAILED and poison.last_error
