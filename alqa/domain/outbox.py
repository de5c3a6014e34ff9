"""E-mail through the outbox: written with the change, sent by the worker with retries."""

from __future__ import annotations

import base64
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from alqa.enums import OutboxStatus
from alqa.models import Body, OutboxMessage

MAX_ATTEMPTS = 8


def queue_mail(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    body: Body | None = None,
    attachments: list[dict] | None = None,
) -> OutboxMessage:
    """Render `alqa/mail/<template>.txt` (first line is the subject) in the recipient's language and
    store it in the outbox. Effects: one outbox row; after commit, the worker is asked to drain."""
    with translation.override(language):
        rendered = render_to_string(f"alqa/mail/{template}.txt", context | {"site_url": settings.SITE_URL})
    subject, _, text = rendered.strip().partition("\n")
    return queue_raw_mail(to=to, subject=subject, text=text, body=body, attachments=attachments)


def attachment(filename: str, content: bytes, content_type: str) -> dict:
    """An attachment as the outbox stores it (JSON)."""
    return {"filename": filename, "content_type": content_type, "content": base64.b64encode(content).decode()}


def queue_raw_mail(
    *, to: str, subject: str, text: str, body: Body | None = None, attachments: list[dict] | None = None
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


def drain_outbox(*, now=None, limit: int = 100) -> tuple[int, int]:
    """Send what is due. Returns (sent, failed). A failure is retried later with back-off, up to
    MAX_ATTEMPTS, then marked failed for an administrator to see."""
    now = now or timezone.now()
    sent = failed = 0
    due = list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now).order_by("id")[
            :limit
        ]
    )
    if not due:
        return 0, 0
    connection = get_connection()
    try:
        connection.open()
    except OSError as exc:
        for message in due:
            _failed(message, exc, now)
        return 0, len(due)
    try:
        for message in due:
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
                message.status = OutboxStatus.SENT
                message.sent_at = timezone.now()
                message.attempts += 1
                message.save(update_fields=["status", "sent_at", "attempts"])
                sent += 1
    finally:
        connection.close()
    return sent, failed


def _failed(message: OutboxMessage, exc: Exception, now) -> None:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
    message.next_attempt_at = now + timedelta(minutes=2**message.attempts)
    message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
