"""Complaints under Art. 105 and 106 of the Criminal Procedure Code (clause 2.1.4): the register
kept without personal data, its imports, and the group's generalisation notes."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alqa.enums import ComplaintArticle, ComplaintOutcome, ImportStatus, NoteStatus, OfficialKind
from alqa.models.bodies import Bilingual, Body, Unit
from alqa.models.users import User

MEASURES_MAX = 500
SOURCE_MAX = 200

# The classifier every body starts with (issue #13); the migration seeds existing bodies with it: code, Russian, Kazakh.
DEFAULT_SUBJECTS = (
    (
        "refusal_to_register",
        "Отказ в регистрации заявления (сообщения)",
        "Арызды (хабарламаны) тіркеуден бас тарту",
    ),
    ("termination", "Прекращение уголовного дела", "Қылмыстық істі тоқтату"),
    (
        "suspension",
        "Приостановление досудебного расследования",
        "Сотқа дейінгі тергеп-тексеруді тоқтата тұру",
    ),
    ("search_seizure", "Обыск, выемка", "Тінту, алу"),
    ("detention", "Задержание", "Ұстау"),
    ("lawyer_access", "Доступ к защитнику", "Қорғаушыға қол жеткізу"),
    ("time_limits", "Нарушение сроков", "Мерзімдерді бұзу"),
    ("other", "Иное", "Өзгесі"),
)


class ComplaintSubject(Bilingual):
    """One entry of a body's classifier of what complaints are about, in Russian and Kazakh."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="complaint_subjects")
    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("subject of complaints")
        verbose_name_plural = _("subjects of complaints")
        ordering = ["position", "name_ru"]
        constraints = [
            models.UniqueConstraint("body", "code", name="complaint_subject_code_unique"),
            models.UniqueConstraint("body", "name_ru", name="complaint_subject_name_unique"),
        ]


class ComplaintImport(models.Model):
    """One file handed to the import: its digest (a file imported once is not imported again),
    the worker's progress and, when refused, the errors by row and column (as codes, shown in the
    reader's language)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="complaint_imports")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="complaint-imports/%Y/%m/", max_length=300)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    source = models.CharField(_("source"), max_length=SOURCE_MAX)
    columns = models.JSONField(default=dict)  # field → the file's column header
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the worker's last sign of life
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import of complaints")
        verbose_name_plural = _("imports of complaints")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One file is imported once per body: a second upload of it meets this while the
            # first is waiting, running or done (a refused one may be sent again).
            models.UniqueConstraint(
                "body",
                "sha256",
                condition=Q(status__in=["uploaded", "queued", "running", "done"]),
                name="complaint_import_file_once",
            ),
        ]

    def __str__(self) -> str:
        return self.file_name


class ImportMapping(models.Model):
    """Which column of a source's files holds which field, saved per body and source."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="complaint_mappings")
    source = models.CharField(_("source"), max_length=SOURCE_MAX)
    columns = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["source"]
        constraints = [models.UniqueConstraint("body", "source", name="import_mapping_source_unique")]

    def __str__(self) -> str:
        return self.source


class Complaint(models.Model):
    """One complaint, without the complainant, the official's name or the case number."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="complaints", db_index=False)
    article = models.CharField(_("article"), max_length=3, choices=ComplaintArticle.choices)
    filed_on = models.DateField(_("filed on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("unit"), db_index=False
    )
    official = models.CharField(_("kind of official"), max_length=20, choices=OfficialKind.choices)
    subject = models.ForeignKey(
        ComplaintSubject,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("subject"),
        db_index=False,
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=ComplaintOutcome.choices)
    violation_found = models.BooleanField(_("violation found"), default=False)
    measures = models.CharField(_("measures taken"), max_length=MEASURES_MAX, blank=True)
    source = models.CharField(_("source"), max_length=SOURCE_MAX, blank=True)
    imported = models.ForeignKey(
        ComplaintImport, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("filed_on")),
                name="complaint_decided_after_filed",
            ),
            models.CheckConstraint(
                condition=Q(outcome="pending", decided_on__isnull=True)
                | (~Q(outcome="pending") & Q(decided_on__isnull=False)),
                name="complaint_outcome_has_date",
            ),
        ]
        indexes = [
            # The register's order within a body (and its date filters, the drill-down links):
            # the analytics read the summaries below, not these rows, so no wider index is kept
            # (each index is upkeep on every imported row). The unit's and the subject's index
            # lead with the key, as their foreign keys' checks on delete need; a unit and a
            # subject belong to one body, so they also serve the register filtered by them.
            models.Index(fields=["body", "filed_on"], name="complaint_body_filed"),
            models.Index(fields=["unit", "filed_on"], name="complaint_unit_filed"),
            models.Index(fields=["subject", "filed_on"], name="complaint_subject_filed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_article_display()} · {self.filed_on:%d.%m.%Y}"


class ComplaintSummary(models.Model):
    """How many complaints a body has per month of filing and per value of everything the
    analytics filter and group by (alqa.domain.complaint_summary keeps it in step with the
    register in the transaction of every write): the analytics of a year read some tens of
    thousands of these rows instead of the half million complaints."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField()  # the first day of the month of filing
    article = models.CharField(max_length=3)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    subject = models.ForeignKey(ComplaintSubject, on_delete=models.CASCADE, related_name="+", db_index=False)
    outcome = models.CharField(max_length=20)
    official = models.CharField(max_length=20)
    violation_found = models.BooleanField()
    number = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "body",
                "month",
                "article",
                "unit",
                "subject",
                "outcome",
                "official",
                "violation_found",
                name="complaint_summary_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m.%Y} · {self.number}"


class ComplaintDays(models.Model):
    """The decided complaints counted per month of filing and per number of days from filing to
    decision (a histogram), with the dimensions of few values: the median and the 90th percentile
    of the analytics computed exactly from it (percentile_cont's interpolation between ranks)
    when the filters name no unit and no subject."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField()
    article = models.CharField(max_length=3)
    outcome = models.CharField(max_length=20)
    official = models.CharField(max_length=20)
    violation_found = models.BooleanField()
    days = models.IntegerField()
    number = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "body",
                "month",
                "article",
                "outcome",
                "official",
                "violation_found",
                "days",
                name="complaint_days_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m.%Y} · {self.days} · {self.number}"


class ComplaintNote(models.Model):
    """The group's generalisation of complaints practice over a period (обобщение): the group's
    text in both languages beside the figures of the period; approved by the chair, then sent to
    the investigation and inquiry units."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="complaint_notes")
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    causes_ru = models.TextField(_("main causes (Russian)"), blank=True)
    causes_kk = models.TextField(_("main causes (Kazakh)"), blank=True)
    conclusions_ru = models.TextField(_("conclusions (Russian)"), blank=True)
    conclusions_kk = models.TextField(_("conclusions (Kazakh)"), blank=True)
    recommendations_ru = models.TextField(_("recommendations (Russian)"), blank=True)
    recommendations_kk = models.TextField(_("recommendations (Kazakh)"), blank=True)
    status = models.CharField(max_length=10, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("generalisation note")
        verbose_name_plural = _("generalisation notes")
        ordering = ["-period_to", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_to__gte=F("period_from")), name="note_period_order"),
        ]

    def __str__(self) -> str:
        return self.title_ru

    def text(self, part: str, language: str) -> str:
        """A part of the text in the language asked for, the Russian when the Kazakh is empty."""
        if language == "kk" and getattr(self, f"{part}_kk"):
            return getattr(self, f"{part}_kk")
        return getattr(self, f"{part}_ru")


class NoteReceipt(models.Model):
    """One unit's copy of a sent note: the address it went to and when the unit confirmed
    receipt through its link (the token is the key)."""

    note = models.ForeignKey(ComplaintNote, on_delete=models.PROTECT, related_name="receipts")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint("note", "unit", name="note_receipt_once_per_unit")]

    def __str__(self) -> str:
        return self.email
