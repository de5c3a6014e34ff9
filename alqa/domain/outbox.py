"""E-mail through the outbox: written with the change, sent by the worker with retries."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from alqa.enums import OutboxStatus
from alqa.models import Body, OutboxMessage

MAX_ATTEMPTS = 8
# A row claimed for sending longer ago than this is claimed again: its worker died mid-send. Far
# longer than one SMTP exchange may take (EMAIL_TIMEOUT).
CLAIM_TIMEOUT = timedelta(minutes=10)


def queue_mail(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    body: Body | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> OutboxMessage:
    """Render `alqa/mail/<template>.txt` (first line is the subject) in the recipient's language and
    store it in the outbox. Effects: one outbox row; after commit, the worker is asked to drain."""
    with translation.override(language):
        rendered = render_to_string(f"alqa/mail/{template}.txt", context | {"site_url": settings.SITE_URL})
    subject, _, text = rendered.strip().partition("\n")
    return queue_raw_mail(to=to, subject=subject, text=text, body=body, attachments=attachments)


def render_mail(
    *, to: str, template: str, context: dict[str, Any], language: str, body: Body | None = None
) -> OutboxMessage:
    """The outbox row `queue_mail` would store, not stored: for `queue_mails`."""
    with translation.override(language):
        rendered = render_to_string(f"alqa/mail/{template}.txt", context | {"site_url": settings.SITE_URL})
    subject, _, text = rendered.strip().partition("\n")
    return OutboxMessage(
        body=body, to=to, subject=subject.strip()[:300], text=text.strip() + "\n", attachments=[]
    )


def queue_mails(messages: list[OutboxMessage]) -> list[OutboxMessage]:
    """Store many rendered mails at once (`render_mail`), in the caller's transaction. Effects: the
    outbox rows, their keys set; after commit, one drain request."""
    if not messages:
        return []
    stored = OutboxMessage.objects.bulk_create(messages, batch_size=500)
    from alqa.jobs import drain_outbox_task  # the job layer sits above the domain

    transaction.on_commit(drain_outbox_task)
    return stored


def attachment(filename: str, content: bytes, content_type: str) -> dict[str, str]:
    """An attachment as the outbox stores it (JSON)."""
    return {"filename": filename, "content_type": content_type, "content": base64.b64encode(content).decode()}


def queue_raw_mail(
    *,
    to: str,
    subject: str,
    text: str,
    body: Body | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> OutboxMessage:
    """Store an already rendered mail. Effects: one outbox row; after commit, a drain request."""
    message = OutboxMessage.objects.create(
        body=body,
        to=to,
        subject=subject.strip()[:300],
        text=text.strip() + "\n",
        attachments=attachments or [],
    )
    from alqa.jobs import drain_outbox_task  # the job layer sits above the domain

    transaction.on_commit(drain_outbox_task)
    return message


def _due(now: datetime) -> Q:
    """Rows a worker may claim: waiting and due, or claimed so long ago that the worker that
    claimed them must have died mid-send."""
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT, attempts__lt=MAX_ATTEMPTS
    )


def _claim(pk: int, now: datetime) -> OutboxMessage | None:
    """Claims one row for this worker: a single conditional UPDATE, committed at once, that only
    one of several workers can win (on PostgreSQL the losers wait for the row lock and then find
    the condition false; SQLite runs writes one at a time). Counts the attempt."""
    claimed = (
        OutboxMessage.objects.filter(_due(now), pk=pk)
        .order_by()
        .update(status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    return OutboxMessage.objects.get(pk=pk) if claimed else None


def drain_outbox(*, now: datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Send what is due. Returns (sent, failed). Several workers may drain at once (the worker's
    threads, or a periodic run beside a requested one): each row is claimed before it is sent, so
    it is handed to SMTP once. A failure is retried later with back-off, up to MAX_ATTEMPTS, then
    marked failed for an administrator to see; a row left "sending" by a worker killed mid-send is
    sent again after CLAIM_TIMEOUT (so a mail may, rarely, arrive twice, but is never lost)."""
    now = now or timezone.now()
    sent = failed = 0
    # a mail whose sending stopped the worker every time is not tried for ever
    OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT, attempts__gte=MAX_ATTEMPTS
    ).update(status=OutboxStatus.FAILED, last_error="The worker stopped while sending it, every attempt.")
    due = list(OutboxMessage.objects.filter(_due(now)).order_by("id").values_list("id", flat=True)[:limit])
    connection = None
    unreachable: Exception | None = None
    try:
        for pk in due:
            message = _claim(pk, now)
            if message is None:  # another worker has it
                continue
            if connection is None and unreachable is None:
                connection = get_connection()
                try:
                    connection.open()
                except OSError as exc:
                    connection, unreachable = None, exc
            if unreachable is not None:
                _failed(message, unreachable, now)
                failed += 1
                continue
            email = EmailMultiAlternatives(
                subject=message.subject, body=message.text, to=[message.to], connection=connection
            )
            for item in message.attachments:
                email.attach(item["filename"], base64.b64decode(item["content"]), item["content_type"])
            try:
                email.send()
            except Exception as exc:  # SMTP raises many kinds; each is recorded on the row
                _failed(message, exc, now)
                failed += 1
            else:
                OutboxMessage.objects.filter(pk=message.pk).update(
                    status=OutboxStatus.SENT, sent_at=timezone.now()
                )
                sent += 1
    finally:
        if connection is not None:
            connection.close()
    return sent, failed


def _failed(message: OutboxMessage, exc: Exception, now: datetime) -> None:
    """The claimed attempt failed: back to waiting, later (or failed for good)."""
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    message.status = OutboxStatus.FAILED if message.attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING
    message.next_attempt_at = now + timedelta(minutes=2**message.attempts)
    message.save(update_fields=["last_error", "status", "next_attempt_at"])
