"""Protocols of meetings (clauses 2.2.6, 3.5–3.7): the numbered record, its revisions, signatures,
recipients and reminders. Rules live in `alqa/domain/protocols.py`."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alqa.enums import (
    Language,
    ProtocolStatus,
    ProtocolStep,
    ReminderKind,
    RenderingStatus,
    SignatureMethod,
    SignatureRole,
)
from alqa.models.bodies import Body, Unit
from alqa.models.meetings import Meeting
from alqa.models.outbox import OutboxMessage
from alqa.models.people import Member


class ProtocolCounter(models.Model):
    """The last protocol number given in one body and year: locked while a number is taken, so
    numbers run without gaps under parallel requests."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint("body", "year", name="protocol_counter_unique")]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.year}: {self.last}"


class Protocol(models.Model):
    """The protocol of one meeting that took place."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="protocols")
    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="protocol")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    status = models.CharField(
        _("status"), max_length=20, choices=ProtocolStatus.choices, default=ProtocolStatus.DRAFT
    )
    # The draft's edit counter: an edit names the version it was made on, so that two people
    # editing at once never overwrite each other.
    version = models.PositiveIntegerField(default=1)
    sign_due = models.DateField(_("to be signed by"))
    sign_days = models.PositiveSmallIntegerField()
    sign_due_recounted = models.JSONField(default=dict, blank=True)
    # The day the last required signature was made (paper: the day written on it).
    signed_on = models.DateField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    distribute_due = models.DateField(_("to be distributed by"), null=True, blank=True)
    distribute_days = models.PositiveSmallIntegerField(null=True, blank=True)
    distribute_due_recounted = models.JSONField(default=dict, blank=True)
    distributed_at = models.DateTimeField(null=True, blank=True)
    retain_until = models.DateField(_("kept until"), null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)
    destruction_act = models.TextField(_("act of destruction"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint("body", "year", "number", name="protocol_number_unique"),
            models.CheckConstraint(
                condition=~Q(status="destroyed") | ~Q(destruction_act=""), name="protocol_destroyed_has_act"
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number}/{self.year}"

    @property
    def label(self) -> str:
        return str(self)


class ProtocolRevision(models.Model):
    """One text of the protocol. The draft revision is edited; once signed it is frozen: content,
    its SHA-256 over a canonical form, and the PDF rendered once. An amendment is a new revision
    with its reason; the older ones are kept."""

    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveSmallIntegerField(default=1)
    content = models.JSONField(default=dict)
    content_hash = models.CharField(max_length=64)
    reason = models.TextField(_("reason for the amendment"), blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    # The text as a PDF (both languages, the hash printed, no signatures): what a qualified
    # e-signature (CMS) signs. Rendered once per text and stored: `text_pdf_hash` is the content
    # hash it was rendered from, so a changed draft has none until signing opens again.
    text_pdf = models.BinaryField(null=True, blank=True, editable=False)
    text_pdf_sha256 = models.CharField(max_length=64, blank=True)
    text_pdf_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["protocol", "number"]
        constraints = [
            models.UniqueConstraint("protocol", "number", name="protocol_revision_unique"),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(reason=""), name="protocol_amendment_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.protocol_id}.{self.number}"

    @property
    def signed(self) -> bool:
        return self.signed_at is not None


class ProtocolSignature(models.Model):
    """One signature of one revision: by the presiding person, the secretary or a member present.
    A change of the draft invalidates the signatures made on the earlier text (`invalidated_at`)."""

    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="signatures")
    revision = models.ForeignKey(ProtocolRevision, on_delete=models.PROTECT, related_name="signatures")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=SignatureRole.choices)
    # An open list (alqa.enums.SignatureMethod): no choices here, so a new method needs no migration.
    method = models.CharField(max_length=20, default=SignatureMethod.HASH)
    content_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField(default=timezone.now)
    signed_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scan = models.FileField(upload_to="protocol-scans/%Y/", blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    invalidated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                "revision",
                "member",
                condition=Q(invalidated_at__isnull=True),
                name="protocol_signature_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.get_role_display()})"


class ProtocolRecipient(models.Model):
    """Who receives a copy: a member, a police unit named as executor, the Bar's Presidium, or
    another address; with delivery by mail (through the outbox) or by hand, and acknowledgement."""

    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="recipients")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("name"), max_length=300)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.RU)
    included = models.BooleanField(default=True)
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    outbox = models.ForeignKey(
        OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    queued_at = models.DateTimeField(null=True, blank=True)
    # The signed revision last sent to this recipient: an amendment, once signed, goes out again.
    sent_revision = models.ForeignKey(
        "ProtocolRevision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handed_on = models.DateField(_("handed over on paper on"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint("protocol", "member", name="protocol_recipient_member_unique"),
            models.UniqueConstraint("protocol", "unit", name="protocol_recipient_unit_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def delivered_at(self):
        """When the mail left for the recipient's server (the outbox's sent time)."""
        return self.outbox.sent_at if self.outbox_id and self.outbox else None


class ProtocolAcknowledgement(models.Model):
    """A recipient's acknowledgement of one signed revision. The recipient's `acknowledged_at` is
    the acknowledgement of the revision last sent; when an amendment is signed it is cleared (the
    recipient acknowledges the new text again) and these rows keep the earlier ones."""

    recipient = models.ForeignKey(
        ProtocolRecipient, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    revision = models.ForeignKey(ProtocolRevision, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField()

    class Meta:
        ordering = ["recipient", "acknowledged_at"]
        constraints = [
            models.UniqueConstraint("recipient", "revision", name="protocol_acknowledgement_once"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.revision_id}"


class ProtocolSearchEntry(models.Model):
    """One question or decision of a protocol's current revision as full-text search reads it:
    its texts and their stems (`alqa.domain.search`). Rewritten with every write of the protocol's
    text, in the same transaction; searched by FTS5 (SQLite) or a GIN index (PostgreSQL), both
    made by migration 0012."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="+")
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)  # "question" | "decision"
    order = models.PositiveIntegerField(default=0)
    text_ru = models.TextField(blank=True)
    text_kk = models.TextField(blank=True)
    stems = models.TextField(blank=True)

    class Meta:
        ordering = ["protocol", "kind", "order", "pk"]
        indexes = [models.Index(fields=["body", "protocol"], name="protocol_search_body")]

    def __str__(self) -> str:
        return f"{self.protocol_id}: {self.kind} {self.order}"


class ProtocolRendering(models.Model):
    """A document of a revision (PDF or DOCX, one language or both) prepared by the worker: the
    page shows its progress and then the download. `key` is what the document depends on (the
    text's hash and the signatures printed), so a text that changed gets its own; the signed
    revision's PDF in both languages is never rendered here (it is stored with the revision)."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(ProtocolRevision, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    fmt = models.CharField(max_length=4)  # "pdf" | "docx"
    language = models.CharField(max_length=4)  # "ru" | "kk" | "both"
    status = models.CharField(max_length=10, choices=RenderingStatus.choices, default=RenderingStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    data = models.BinaryField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("revision", "key", "fmt", "language", name="protocol_rendering_once"),
        ]

    def __str__(self) -> str:
        return f"{self.revision_id}: {self.fmt} {self.language} {self.status}"


class ProtocolReminder(models.Model):
    """One reminder mail sent about one step's deadline: claimed by inserting the row, so a
    reminder goes out once whatever the number of workers."""

    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="+")
    step = models.CharField(max_length=20, choices=ProtocolStep.choices)
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("protocol", "step", "kind", name="protocol_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.protocol_id}: {self.step} {self.kind}"
