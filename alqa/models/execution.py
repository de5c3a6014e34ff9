"""Execution control of assignments (clauses 3.2, 3.8): the executor's reports with their files,
extension requests, reminders sent and the executor's personal links. Rules live in
`alqa/domain/execution.py`."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alqa.enums import ExecutionDeadline, ExtensionStatus, ReportKind, ReportStatus
from alqa.models.files import StoredFile
from alqa.models.meetings import Assignment
from alqa.models.outbox import OutboxMessage

REPORT_TEXT_LIMIT = 20000
REASON_LIMIT = 4000


class AssignmentReport(models.Model):
    """The executor's information (within the information deadline) or report on execution, and
    the chair's decision on it. One report of a kind awaits a decision at a time."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    text = models.TextField(_("text"))
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    # None when given through the executor's personal link (no account).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                "assignment",
                "kind",
                condition=Q(status="submitted"),
                name="assignment_report_one_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(comment=""), name="assignment_report_returned_comment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.kind}"


class AssignmentFile(StoredFile):
    """A file of a report: type checked by content, size limited (alqa/domain/attachments.py).
    Sent by an executor who may have no account, so no uploader is kept beside the report's."""

    report = models.ForeignKey(AssignmentReport, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="execution/%Y/%m/")


class ExtensionRequest(models.Model):
    """The executor's request for more time, with a reason; granted with a new deadline counted
    again, or refused. One request awaits a decision at a time."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="extension_requests")
    reason = models.TextField(_("reason"))
    working_days = models.PositiveSmallIntegerField(_("working days asked for"))
    status = models.CharField(max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    previous_due = models.DateField(null=True, blank=True)
    new_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                "assignment", condition=Q(status="pending"), name="assignment_extension_one_pending"
            ),
            models.CheckConstraint(condition=Q(working_days__gte=1), name="assignment_extension_days_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: +{self.working_days}"


class AssignmentReminder(models.Model):
    """One reminder claimed about one deadline of one assignment: `step` is the working days from
    the deadline (-2 before, 0 on the day, 2, 4, … after; the chair's at the policy's threshold).
    Claimed by inserting the row, so two workers never send the same step; a deadline moved by an
    extension has another `due`, and its steps start again."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ExecutionDeadline.choices)
    step = models.SmallIntegerField()
    due = models.DateField()
    to = models.EmailField(blank=True)
    outbox = models.ForeignKey(
        OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("assignment", "kind", "due", "step", name="assignment_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.kind} {self.step}"

    @property
    def working_days(self) -> int:
        """How many working days before (step < 0) or after the deadline the reminder was."""
        return abs(self.step)


class ExecutorLink(models.Model):
    """An executor's personal link to an assignment (no account): the token is the credential.
    Revocable; it answers only while the assignment is open."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="links")
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    email = models.EmailField()
    language = models.CharField(max_length=2, default="ru")
    outbox = models.ForeignKey(
        OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                "assignment", condition=Q(revoked_at__isnull=True), name="executor_link_one_live"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.email}"
