"""The certificates administrators install as trusted anchors of qualified e-signatures, and the
revocation lists (CRLs) they upload."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa.dates import human_date
from alqa.domain.audit import record_event
from alqa.domain.errors import atomic_unique
from alqa.models import Body, RevocationList, TrustedRoot, User

if TYPE_CHECKING:
    from cryptography import x509

# cryptography's X.509 and asn1crypto (alqa.domain.esign) are imported where a certificate is read:
# every web worker imports this module with the administrators' forms (tests/documents/test_lazy_imports.py).

MAX_CERTIFICATE_BYTES = 64 * 1024
MAX_CRL_BYTES = 32 * 1024 * 1024  # NCA's full RSA list is a few megabytes


def read_ca_certificate(data: bytes) -> x509.Certificate:
    """The one CA certificate in `data` (PEM text, or DER as NCA's .cer files are), valid today;
    refuses anything else with a message on `certificate`."""
    from cryptography import x509

    data = data or b""
    if not data.strip():
        raise ValidationError({"certificate": _("Choose a certificate file or paste its text.")})
    if len(data) > MAX_CERTIFICATE_BYTES or data.count(b"-----BEGIN") > 1:
        raise ValidationError(
            {"certificate": _("Give exactly one certificate: a .cer or .pem file, or its text in PEM form.")}
        )
    try:
        if data[:1] == b"\x30":
            cert = x509.load_der_x509_certificate(data)
        else:
            cert = x509.load_pem_x509_certificate(data.strip())
    except ValueError:
        raise ValidationError(
            {"certificate": _("This is not a readable certificate (expected a .cer or .pem file).")}
        ) from None
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except (x509.ExtensionNotFound, ValueError):
        is_ca = False
    if not is_ca:
        raise ValidationError(
            {
                "certificate": _(
                    "This certificate is not a certification authority's (it is a person's or a "
                    "server's); install the authority's root certificate."
                )
            }
        )
    now = timezone.now()
    if cert.not_valid_after_utc < now:
        raise ValidationError(
            {
                "certificate": _("This certificate expired on %(day)s.")
                % {"day": human_date(timezone.localtime(cert.not_valid_after_utc).date())}
            }
        )
    if cert.not_valid_before_utc > now:
        raise ValidationError(
            {
                "certificate": _("This certificate is valid only from %(day)s.")
                % {"day": human_date(timezone.localtime(cert.not_valid_before_utc).date())}
            }
        )
    return cert


def add_trusted_root(*, name: str, certificate: bytes, body: Body | None, actor: User) -> TrustedRoot:
    """Installs a CA certificate as trusted for e-signatures, installation-wide or for `body`.

    Effects: validates the certificate (read_ca_certificate); stores it with its SHA-256
    fingerprint, or makes active again the same certificate deactivated earlier (with the new name
    and scope); records `esign.root_added` (or `esign.root_reactivated`). The same certificate
    active already is refused on `certificate`."""
    from cryptography.hazmat.primitives import hashes, serialization

    from alqa.domain.esign import readable_name

    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the certificate a name.")})
    cert = read_ca_certificate(certificate)
    fingerprint = cert.fingerprint(hashes.SHA256()).hex()
    clean_pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
    already = _("This certificate is installed already (“%(name)s”).")
    with atomic_unique("certificate", already % {"name": name}):
        existing = TrustedRoot.objects.select_for_update().filter(fingerprint_sha256=fingerprint).first()
        if existing is not None and existing.active:
            raise ValidationError({"certificate": already % {"name": existing.name}})
        data = {"fingerprint_sha256": fingerprint, "subject": readable_name(cert.subject), "name": name}
        if existing is not None:
            existing.active = True
            existing.name = name
            existing.body = body
            existing.save(update_fields=["active", "name", "body"])
            record_event(existing, "esign.root_reactivated", actor=actor, body=body, data=data)
            return existing
        root = TrustedRoot.objects.create(
            body=body,
            name=name,
            pem=clean_pem,
            fingerprint_sha256=fingerprint,
            subject=readable_name(cert.subject)[:1000],
            not_after=cert.not_valid_after_utc,
            added_by=actor,
            added_at=timezone.now(),
        )
        record_event(root, "esign.root_added", actor=actor, body=body, data=data)
    return root


def deactivate_trusted_root(root: TrustedRoot, *, actor: User) -> TrustedRoot:
    """Stops trusting `root` for signatures verified from now on; the row is kept.

    Effects: sets `active` off and records `esign.root_deactivated`; nothing when it is inactive
    already (a repeated request changes nothing and records nothing)."""
    with transaction.atomic():
        locked = TrustedRoot.objects.select_for_update().get(pk=root.pk)
        if not locked.active:
            return locked
        locked.active = False
        locked.save(update_fields=["active"])
        record_event(
            locked,
            "esign.root_deactivated",
            actor=actor,
            body=locked.body,
            data={"fingerprint_sha256": locked.fingerprint_sha256},
        )
    return locked


def add_revocation_list(*, crl: bytes, actor: User) -> RevocationList:
    """Stores a certificate revocation list (DER, or PEM) for the verification of signatures.

    Effects: keeps the list as DER with its issuer, dates, number of entries and SHA-256; records
    `esign.crl_added`. Refuses on `crl` what is not a CRL and a list uploaded already. Whether the
    issuer signed it is checked when a signature is verified (against the issuer's certificate in
    the signature's path), since the issuing authority's certificate is not installed itself."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    from alqa.domain.esign import readable_name

    data = crl or b""
    if not data.strip():
        raise ValidationError({"crl": _("Choose a revocation list file (.crl).")})
    if len(data) > MAX_CRL_BYTES:
        raise ValidationError({"crl": _("This file is too large for a revocation list.")})
    try:
        if data[:1] == b"\x30":
            parsed = x509.load_der_x509_crl(data)
        else:
            parsed = x509.load_pem_x509_crl(data.strip())
        count = len(parsed)
    except ValueError:
        raise ValidationError(
            {"crl": _("This is not a readable certificate revocation list (.crl).")}
        ) from None
    der = parsed.public_bytes(serialization.Encoding.DER)
    fingerprint = hashes.Hash(hashes.SHA256())
    fingerprint.update(der)
    digest = fingerprint.finalize().hex()
    issuer = readable_name(parsed.issuer)[:1000]
    already = _("This revocation list has been uploaded already.")
    with atomic_unique("crl", already):
        if RevocationList.objects.filter(fingerprint_sha256=digest).exists():
            raise ValidationError({"crl": already})
        stored = RevocationList.objects.create(
            issuer=issuer,
            der=der,
            fingerprint_sha256=digest,
            this_update=parsed.last_update_utc,
            next_update=parsed.next_update_utc,
            revoked_count=count,
            added_by=actor,
            added_at=timezone.now(),
        )
        record_event(
            stored,
            "esign.crl_added",
            actor=actor,
            body=None,
            data={"issuer": issuer, "fingerprint_sha256": digest, "revoked_count": count},
        )
    return stored
