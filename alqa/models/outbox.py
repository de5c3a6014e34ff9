from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alqa.enums import OutboxStatus


class OutboxMessage(models.Model):
    """An e-mail written in the same transaction as the change that caused it."""

    body = models.ForeignKey("alqa.Body", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When a worker claimed the row for sending (status "sending"); a claim older than
    # alqa.domain.outbox.CLAIM_TIMEOUT is taken to be a worker that died mid-send.
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
