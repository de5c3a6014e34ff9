"""Oversight between meetings: facilities and their visits with findings (clauses 2.1.5, 2.2.7),
requests for documents (clause 2.2.8) and the group's publications (clause 2.2.2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alqa.enums import (
    AddresseeKind,
    AnswerAssessment,
    CheckResult,
    FacilityKind,
    FindingStatus,
    LegislativeStatus,
    PublicationStatus,
    RequestReminderKind,
    RequestStatus,
    ViolationKind,
    VisitStatus,
)
from alqa.models.bodies import Bilingual, Body, Unit
from alqa.models.files import StoredFile
from alqa.models.meetings import AgendaItem, Decision, Proposal
from alqa.models.people import Member


def _pick(ru: str, kk: str) -> str:
    """The reader's language's text; the other one when it is missing."""
    if get_language() == "kk":
        return kk or ru
    return ru or kk


class Facility(Bilingual):
    """Police premises the group's members visit (clause 2.2.7): a temporary detention facility, a
    special reception centre, a district department, a local police service …"""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="facilities")
    kind = models.CharField(_("kind of facility"), max_length=30, choices=FacilityKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities",
        verbose_name=_("responsible unit"),
    )
    is_operational_criminal_police = models.BooleanField(
        _("operational unit of the criminal police"),
        default=False,
        help_text=_("Members may not visit operational units of the criminal police (clause 2.2.7)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name_ru"]
        constraints = [models.UniqueConstraint("body", "name_ru", name="facility_name_unique_in_body")]

    @property
    def closed_to_visits(self) -> bool:
        """Clause 2.2.7: an operational unit of the criminal police, by its own flag or its unit's."""
        return self.is_operational_criminal_police or bool(
            self.unit_id and self.unit is not None and self.unit.is_operational_criminal_police
        )


class ChecklistItem(models.Model):
    """One thing checked on a visit to a kind of facility; each body keeps its own list."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="checklist_items")
    kind = models.CharField(_("kind of facility"), max_length=30, choices=FacilityKind.choices)
    text_ru = models.CharField(_("item (Russian)"), max_length=300)
    text_kk = models.CharField(_("item (Kazakh)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=1)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["kind", "order", "id"]
        constraints = [models.UniqueConstraint("body", "kind", "text_ru", name="checklist_item_unique")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return _pick(self.text_ru, self.text_kk)


class Visit(models.Model):
    """A visit to a facility: planned, then recorded with who went, what was checked and found."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="visits")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="visits")
    status = models.CharField(max_length=20, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    planned_on = models.DateField(_("planned for"))
    purpose = models.TextField(_("purpose of the visit"), blank=True)
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    participants = models.ManyToManyField(Member, related_name="visits", blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)
    summary_kk = models.TextField(_("summary (Kazakh)"), blank=True)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-planned_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="recorded") | Q(visited_on__isnull=False), name="visit_recorded_has_date"
            ),
        ]

    def __str__(self) -> str:
        day = self.visited_on or self.planned_on
        return f"{self.facility} — {day:%d.%m.%Y}" if day else str(self.facility)

    @property
    def summary(self) -> str:
        return _pick(self.summary_ru, self.summary_kk)


class VisitCheck(models.Model):
    """The result of one checklist item on one visit."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="checks")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=20, choices=CheckResult.choices, default=CheckResult.NOT_CHECKED)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["item__order", "item_id"]
        constraints = [models.UniqueConstraint("visit", "item", name="visit_check_unique")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.result}"


class Finding(models.Model):
    """A violation found on a visit, its cause and the unit concerned; it may become a proposal
    (clause 2.1.5)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="findings")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="findings")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField(_("kind of violation"), max_length=20, choices=ViolationKind.choices)
    description = models.TextField(_("what was found"))
    cause = models.TextField(_("its cause"), blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    status = models.CharField(max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="finding"
    )
    # a finding turned into a remark on a decision (clause 2.2.3): also `proposal`, the remark's own
    remark = models.OneToOneField(
        "alqa.ComplianceRemark", on_delete=models.PROTECT, null=True, blank=True, related_name="finding"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="finding_has_description"),
            models.CheckConstraint(
                condition=~Q(status="proposed") | Q(proposal__isnull=False),
                name="finding_proposed_has_proposal",
            ),
            models.CheckConstraint(
                condition=~Q(status="remarked") | Q(remark__isnull=False, proposal__isnull=False),
                name="finding_remarked_has_remark",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class DocumentRequest(models.Model):
    """A request of the group for documents or information (clause 2.2.8): an outgoing letter
    numbered per body and year without gaps, its answer due by the policy of its kind of
    addressee, the answer received with its files and assessed."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="document_requests")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    addressee_kind = models.CharField(_("kind of addressee"), max_length=20, choices=AddresseeKind.choices)
    addressee = models.CharField(_("addressee (agency)"), max_length=300)
    addressee_unit = models.CharField(_("unit"), max_length=300, blank=True)
    addressee_official = models.CharField(_("official"), max_length=300, blank=True)
    subject = models.TextField(_("what is requested"))
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    due_on = models.DateField(_("answer due"), null=True, blank=True)
    due_days = models.PositiveSmallIntegerField(null=True, blank=True)
    due_working = models.BooleanField(default=True)
    # The last time a calendar change moved `due_on` (alqa/domain/deadlines.py); {} when never.
    due_recounted = models.JSONField(default=dict, blank=True)
    answered_on = models.DateField(_("answer received on"), null=True, blank=True)
    answer_summary = models.TextField(_("the answer in brief"), blank=True)
    assessment = models.CharField(
        _("assessment of the answer"), max_length=20, choices=AnswerAssessment.choices, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint("body", "year", "number", name="request_number_unique"),
            models.CheckConstraint(condition=~Q(addressee=""), name="request_has_addressee"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(sent_on__isnull=False, due_on__isnull=False),
                name="request_sent_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | Q(answered_on__isnull=False, answered_on__gte=F("sent_on")),
                name="request_answer_after_sending",
            ),
        ]

    def __str__(self) -> str:
        return self.outgoing_number

    @property
    def outgoing_number(self) -> str:
        return f"{self.number}/{self.year}"


class OversightFile(StoredFile):
    """A photo or document of a finding, or a file of the answer to a request: type checked by
    content, size limited (alqa/domain/attachments.py)."""

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    document_request = models.ForeignKey(
        DocumentRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    file = models.FileField(upload_to="oversight/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(StoredFile.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(finding__isnull=False) | Q(document_request__isnull=False),
                name="oversight_file_has_owner",
            ),
        ]


class Publication(models.Model):
    """What the group makes public (clause 2.2.2): a draft in Russian and Kazakh, approved for
    each side by its chair or deputy chair, then published on the body's public page."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="publications")
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    text_ru = models.TextField(_("text (Russian)"))
    text_kk = models.TextField(_("text (Kazakh)"))
    status = models.CharField(
        max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    police_approved_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    police_approved_at = models.DateTimeField(null=True, blank=True)
    bar_approved_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bar_approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            # Clause 2.2.2 in the database: nothing is public without both sides' approval.
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(
                    police_approved_by__isnull=False,
                    bar_approved_by__isnull=False,
                    published_at__isnull=False,
                ),
                name="publication_published_approved",
            ),
            models.CheckConstraint(
                condition=~Q(title_ru="") & ~Q(title_kk="") & ~Q(text_ru="") & ~Q(text_kk=""),
                name="publication_bilingual",
            ),
        ]
        indexes = [models.Index(fields=["body", "status", "published_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _pick(self.title_ru, self.title_kk)

    @property
    def text(self) -> str:
        return _pick(self.text_ru, self.text_kk)


class UrgentContact(models.Model):
    """An urgent contact of a member with the head of a police unit or the Bar's Presidium
    (clause 2.2.5): who, whom, when, why and with what outcome. Contacts not yet reported wait
    for the next meeting, where the secretary puts them on the agenda as one question."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="urgent_contacts")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="urgent_contacts", verbose_name=_("who contacted")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="urgent_contacts", verbose_name=_("unit contacted")
    )
    contact_person = models.CharField(_("whom (name and position)"), max_length=300)
    contacted_at = models.DateTimeField(_("when"))
    reason = models.TextField(_("why"))
    outcome = models.TextField(_("outcome"), blank=True)
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="urgent_contacts"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("urgent contact")
        verbose_name_plural = _("urgent contacts")
        ordering = ["-contacted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="urgent_contact_has_reason"),
            models.CheckConstraint(condition=~Q(contact_person=""), name="urgent_contact_has_person"),
        ]
        indexes = [models.Index(fields=["body", "agenda_item", "contacted_at"])]

    def __str__(self) -> str:
        return f"{self.contact_person} — {self.contacted_at:%Y-%m-%d}"


class LegislativeProposal(models.Model):
    """A proposal of the group to improve legislation (clause 2.2.11): its text in Russian and
    Kazakh, the act it concerns, its justification and addressee, the decision of the group that
    approved it, its submission and the addressee's outcome."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="legislative_proposals")
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    text_ru = models.TextField(_("text (Russian)"))
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    act = models.CharField(_("the act concerned"), max_length=500)
    justification = models.TextField(_("justification"))
    addressee = models.CharField(_("addressee"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=LegislativeStatus.choices, default=LegislativeStatus.DRAFT
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legislative_proposals",
        verbose_name=_("approved by the decision"),
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    outgoing_ref = models.CharField(_("outgoing reference"), max_length=100, blank=True)
    outcome_on = models.DateField(_("outcome received on"), null=True, blank=True)
    outcome_note = models.TextField(_("the outcome in brief"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("legislative proposal")
        verbose_name_plural = _("legislative proposals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_ru="") & ~Q(text_ru="") & ~Q(act="") & ~Q(addressee=""),
                name="legislative_proposal_has_texts",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(decision__isnull=False),
                name="legislative_proposal_approved_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved"]) | Q(submitted_on__isnull=False),
                name="legislative_proposal_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "partly", "rejected"])
                | Q(outcome_on__isnull=False, outcome_on__gte=F("submitted_on")),
                name="legislative_proposal_outcome_after_submission",
            ),
        ]
        indexes = [models.Index(fields=["body", "status", "created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _pick(self.title_ru, self.title_kk)

    @property
    def text(self) -> str:
        return _pick(self.text_ru, self.text_kk)


class RequestReminder(models.Model):
    """One reminder about the answer to a request: before its due date, on it, or once overdue.
    Claimed by inserting the row, so each goes out once whatever the number of workers."""

    document_request = models.ForeignKey(DocumentRequest, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=RequestReminderKind.choices)
    due = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("document_request", "kind", name="request_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.document_request_id}: {self.kind}"
