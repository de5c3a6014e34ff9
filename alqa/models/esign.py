from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TrustedRoot(models.Model):
    """A certificate an installation administrator trusts as the anchor of qualified e-signatures
    (the National Certification Authority's root, or another CA's). Installation-wide when `body`
    is empty, else for that body's signatures only. Never deleted: deactivated, so that what was
    verified against it can still be explained."""

    body = models.ForeignKey(
        "alqa.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trusted_roots",
        verbose_name=_("body"),
    )
    name = models.CharField(_("name"), max_length=200)
    pem = models.TextField(_("certificate (PEM)"))
    fingerprint_sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    subject = models.CharField(_("subject"), max_length=1000)
    not_after = models.DateTimeField(_("valid until"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("trusted root certificate")
        verbose_name_plural = _("trusted root certificates")
        ordering = ["-active", "name"]

    def __str__(self) -> str:
        return self.name


class RevocationList(models.Model):
    """A certificate revocation list (CRL) an installation administrator uploaded, for a closed
    network where the certification authority's CRL address cannot be reached. A signature whose
    certificate the newest list of its issuer names as revoked on or before the signing day is
    refused. Kept as uploaded (DER); a newer list of the same issuer is uploaded beside it."""

    issuer = models.CharField(_("issuer"), max_length=1000)
    der = models.BinaryField(_("list (DER)"))
    fingerprint_sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    this_update = models.DateTimeField(_("issued"))
    next_update = models.DateTimeField(_("next list due"), null=True, blank=True)
    revoked_count = models.PositiveIntegerField(_("revoked certificates"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate revocation list")
        verbose_name_plural = _("certificate revocation lists")
        ordering = ["issuer", "-this_update"]

    def __str__(self) -> str:
        return f"{self.issuer} ({self.this_update:%Y-%m-%d})"
