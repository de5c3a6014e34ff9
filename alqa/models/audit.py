from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change, append-only. `digest` is the keyed digest (alqa/seal.py) of every other column,
    the previous row's digest included; `key_id` names the key that sealed it ("" for the rows
    written before the chain was keyed, which an `audit.sealed` row covers)."""

    body = models.ForeignKey("alqa.Body", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    actor_label = models.CharField(max_length=254, blank=True)
    at = models.DateTimeField()
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    object_label = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict)
    prev_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(max_length=16, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["body", "-id"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class AuditHead(models.Model):
    """A single row locked while appending, so that the chain has no forks under concurrency. It
    names the newest row and the number of rows, sealed by `mac` under the key `key_id`, so that a
    head moved back over deleted rows is refused."""

    last_digest = models.CharField(max_length=64)
    last_id = models.BigIntegerField(default=0)
    events = models.BigIntegerField(default=0)
    key_id = models.CharField(max_length=16, blank=True)
    mac = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return self.last_digest
