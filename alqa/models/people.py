from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alqa.enums import AppointmentBasis, GuestKind, Language, Role, Side
from alqa.models.bodies import Body, Unit


def in_reading_language(text: str, text_kk: str) -> str:
    """A text written for others in both languages, in the reader's: the Kazakh one on a Kazakh
    page when it is there, else the (Russian) text."""
    return text_kk if get_language() == "kk" and text_kk else text


class MemberQuerySet(models.QuerySet["Member"]):
    def on(self, day) -> "MemberQuerySet":
        """Members whose membership period covers `day`."""
        return self.filter(Q(active_to__isnull=True) | Q(active_to__gte=day), active_from__lte=day)

    def current(self) -> "MemberQuerySet":
        return self.on(timezone.localdate())


class Member(models.Model):
    """One membership period of one person in one body, with role and side.

    A change of role, side or unit is recorded in the audit trail; the end of a membership sets
    `active_to`, so the register answers who was a member on any date.
    """

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("unit")
    )
    position = models.CharField(_("position"), max_length=300, blank=True)
    position_kk = models.CharField(_("position (Kazakh)"), max_length=300, blank=True)

    basis_kind = models.CharField(
        _("appointment basis"), max_length=30, choices=AppointmentBasis.choices, blank=True
    )
    basis_number = models.CharField(_("document number"), max_length=60, blank=True)
    basis_date = models.DateField(_("document date"), null=True, blank=True)
    active_from = models.DateField(_("member from"))
    active_to = models.DateField(_("member until"), null=True, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.RU
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["side", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
                name="member_period_order",
            ),
            models.UniqueConstraint("body", "user", "active_from", name="member_user_period_unique"),
            # Two periods without an end always overlap: one open membership per e-mail and one
            # open chair and secretary per body, on every database. On PostgreSQL, exclusion
            # constraints (migration 0002) refuse every overlap of dates as well.
            models.UniqueConstraint(
                "body",
                "email",
                condition=Q(active_to__isnull=True) & ~Q(email=""),
                name="member_email_open_unique",
            ),
            models.UniqueConstraint(
                "body",
                "role",
                condition=Q(active_to__isnull=True, role__in=["chair", "secretary"]),
                name="member_role_open_unique",
            ),
        ]
        indexes = [models.Index(fields=["body", "active_from", "active_to"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def position_text(self) -> str:
        return in_reading_language(self.position, self.position_kk)

    def is_active_on(self, day) -> bool:
        return self.active_from <= day and (self.active_to is None or self.active_to >= day)


class Guest(models.Model):
    """An invited participant: expert, specialist or public representative, without membership."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="guests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="guest_of"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=GuestKind.choices, default=GuestKind.EXPERT)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    organisation_kk = models.CharField(_("organisation (Kazakh)"), max_length=300, blank=True)
    position = models.CharField(_("position"), max_length=300, blank=True)
    position_kk = models.CharField(_("position (Kazakh)"), max_length=300, blank=True)

    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.RU
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invited participant")
        verbose_name_plural = _("invited participants")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def position_text(self) -> str:
        return in_reading_language(self.position, self.position_kk)

    @property
    def organisation_text(self) -> str:
        return in_reading_language(self.organisation, self.organisation_kk)
