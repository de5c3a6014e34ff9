from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alqa.enums import QuorumRule, Side, UnitKind

# The limits of a body's numbers, declared once: the fields' validators (forms, admin, the API's
# schema through alqa.api.schemas.limits) and the database constraints read them here.
POLICY_LIMITS = {
    "meeting_interval_months": (1, 12),
    "protocol_signing_days": (1, 60),
    "distribution_days": (1, 60),
    "executor_information_days": (1, 60),
    "protocol_retention_years": (1, 75),
    "extension_limit": (0, 10),
    "reminder_before_days": (1, 20),
    "reminder_every_days": (1, 20),
    "chair_overdue_days": (1, 60),
}


def _within(field: str) -> list:
    low, high = POLICY_LIMITS[field]
    return [MinValueValidator(low), MaxValueValidator(high)]


def _least(field: str) -> int:
    return POLICY_LIMITS[field][0]


class Bilingual(models.Model):
    """Content entered in both official languages; `name` picks the reader's one."""

    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_of(self.name_ru, self.name_kk)

    @staticmethod
    def name_of(name_ru: str, name_kk: str) -> str:
        """`name` from the two columns (for lists read without their rows)."""
        if get_language() == "kk" and name_kk:
            return name_kk
        return name_ru


class Body(Bilingual):
    """A monitoring group: the owner of every other record."""

    city = models.CharField(_("city or region"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name_ru"]
        constraints = [models.UniqueConstraint("name_ru", "city", name="body_name_city_unique")]


class BodyPolicy(models.Model):
    """The regulation's numbers for one body; defaults are the Almaty regulation's."""

    body = models.OneToOneField(Body, on_delete=models.CASCADE, related_name="policy")
    meeting_interval_months = models.PositiveSmallIntegerField(
        _("longest interval between meetings, months"),
        default=2,
        validators=_within("meeting_interval_months"),
    )
    quorum_rule = models.CharField(
        _("quorum rule"), max_length=40, choices=QuorumRule.choices, default=QuorumRule.EACH_SIDE_MAJORITY
    )
    protocol_signing_days = models.PositiveSmallIntegerField(
        _("protocol signing, working days"),
        default=5,
        validators=_within("protocol_signing_days"),
    )
    distribution_days = models.PositiveSmallIntegerField(
        _("distribution of copies, working days"),
        default=2,
        validators=_within("distribution_days"),
    )
    executor_information_days = models.PositiveSmallIntegerField(
        _("executors' information, working days"),
        default=5,
        validators=_within("executor_information_days"),
    )
    protocol_retention_years = models.PositiveSmallIntegerField(
        _("protocol retention, years"), default=3, validators=_within("protocol_retention_years")
    )
    extension_limit = models.PositiveSmallIntegerField(
        _("extensions of an assignment's deadline, at most"),
        default=2,
        validators=_within("extension_limit"),
    )
    reminder_before_days = models.PositiveSmallIntegerField(
        _("executors reminded before a deadline, working days"),
        default=2,
        validators=_within("reminder_before_days"),
    )
    reminder_every_days = models.PositiveSmallIntegerField(
        _("executors reminded after a missed deadline every, working days"),
        default=2,
        validators=_within("reminder_every_days"),
    )
    chair_overdue_days = models.PositiveSmallIntegerField(
        _("the chair told of an overdue assignment after, working days"),
        default=5,
        validators=_within("chair_overdue_days"),
    )
    leaders_sides_enforced = models.BooleanField(
        _("the chair of the police side, the deputy chair of the bar side (clause 3.1)"),
        default=True,
        help_text=_(
            "Clause 3.1: the chair is the deputy head of the Police Department, the deputy chair the "
            "deputy chair of the Bar. Clear this only if the body's own regulation provides otherwise."
        ),
    )
    allow_http_links = models.BooleanField(
        _("accept conference links without encryption (http://)"),
        default=False,
        help_text=_("Otherwise only https:// links are accepted."),
    )
    case_guard_blocking = models.BooleanField(
        _("refuse case and personal numbers outright"),
        default=False,
        help_text=_(
            "A text or file with an ERDR number or an IIN is refused, without the option to confirm "
            "that it may stay."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    meeting_interval_months__gte=POLICY_LIMITS["meeting_interval_months"][0],
                    meeting_interval_months__lte=POLICY_LIMITS["meeting_interval_months"][1],
                ),
                name="policy_interval_range",
            ),
            models.CheckConstraint(
                condition=models.Q(protocol_signing_days__gte=_least("protocol_signing_days")),
                name="policy_signing_pos",
            ),
            models.CheckConstraint(
                condition=models.Q(distribution_days__gte=_least("distribution_days")),
                name="policy_distribution_pos",
            ),
            models.CheckConstraint(
                condition=models.Q(executor_information_days__gte=_least("executor_information_days")),
                name="policy_executor_pos",
            ),
            models.CheckConstraint(
                condition=models.Q(protocol_retention_years__gte=_least("protocol_retention_years")),
                name="policy_retention_pos",
            ),
            models.CheckConstraint(
                condition=models.Q(extension_limit__lte=POLICY_LIMITS["extension_limit"][1]),
                name="policy_extension_limit_range",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    reminder_before_days__gte=1, reminder_every_days__gte=1, chair_overdue_days__gte=1
                ),
                name="policy_reminders_pos",
            ),
        ]

    def __str__(self) -> str:
        return str(self.body)


class Unit(Bilingual):
    """An organisation of one side or one of its structural / subordinate units, or the Presidium."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.STRUCTURAL)
    is_operational_criminal_police = models.BooleanField(
        _("operational unit of the criminal police"),
        default=False,
        help_text=_("Members may not visit operational units of the criminal police (clause 2.2.7)."),
    )
    head_name = models.CharField(_("head of unit"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["side", "name_ru"]
        constraints = [
            models.UniqueConstraint("body", "name_ru", name="unit_name_unique_in_body"),
            models.CheckConstraint(
                condition=~models.Q(is_operational_criminal_police=True, side="bar"),
                name="unit_operational_is_police",
            ),
        ]
