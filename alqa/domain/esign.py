"""Qualified e-signatures (ЭЦП): verifying a detached CMS/PKCS#7 signature of a document.

What a Kazakh signer's NCALayer returns is a CMS SignedData (CAdES-BES) over the document, without
the document in it, base64-encoded. `verify_detached_cms` checks it on the server, in this order,
and refuses with `SignatureRefused` (its `code` says what failed, its message says it in the
reader's language):

- `malformed`: not a CMS SignedData (DER, PEM or base64), not exactly one signer, or the signer's
  certificate is not in it;
- `unsupported_algorithm`: not RSA with SHA-256 (GOST 34.310/34.311 and the 2015 curves are the
  next step, see docs/architecture.md "Qualified e-signatures");
- `document_mismatch`: the signed `messageDigest` is not the SHA-256 of these bytes, or the
  signature value does not verify with the certificate's key over the DER of the signed
  attributes (a forged or altered signature);
- `untrusted`: the certificate does not chain, through the certificates in the CMS, to an active
  `TrustedRoot` an administrator installed (installation-wide, or the body's own), or a
  certificate in the path that issues others is not a CA;
- `expired` / `not_yet_valid`: a certificate of the path is not valid on the signing day `on`
  (dates in Almaty's time);
- `not_for_signing`: the signer's key usage allows neither digitalSignature nor nonRepudiation;
- `wrong_person`: the subject's `serialNumber` is not "IIN" followed by the signer's ИИН;
- `revoked`: the newest revocation list (CRL) an administrator uploaded for a certificate's issuer,
  with a valid signature of that issuer, lists the certificate as revoked on or before `on`.

Revocation is checked only against uploaded CRLs: no OCSP, no fetching of CRLs (docs/operations.md).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from asn1crypto import cms as asn1_cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa.dates import human_date
from alqa.enums import SignatureRefusal
from alqa.models import Body, RevocationList, TrustedRoot

METHOD = "cms"
MAX_SIGNATURE_BYTES = 512 * 1024  # a CMS with its chain is a few kilobytes
MAX_PATH = 8  # certificates from the signer's to a trusted root, at most

MALFORMED = SignatureRefusal.MALFORMED.value
UNSUPPORTED_ALGORITHM = SignatureRefusal.UNSUPPORTED_ALGORITHM.value
DOCUMENT_MISMATCH = SignatureRefusal.DOCUMENT_MISMATCH.value
UNTRUSTED = SignatureRefusal.UNTRUSTED.value
EXPIRED = SignatureRefusal.EXPIRED.value
NOT_YET_VALID = SignatureRefusal.NOT_YET_VALID.value
NOT_FOR_SIGNING = SignatureRefusal.NOT_FOR_SIGNING.value
WRONG_PERSON = SignatureRefusal.WRONG_PERSON.value
REVOKED = SignatureRefusal.REVOKED.value
REFUSAL_CODES = tuple(SignatureRefusal.values)  # each with its reason, read in the audit

_IIN_SERIAL = re.compile(r"^IIN(\d{12})$")
# Kazakhstan's GOST 34.310/34.311 (1.2.398.3.10…) and Russia's GOST 2012 (1.2.643.7.1…) arcs.
_GOST_ARCS = ("1.2.398.3.10.", "1.2.643.")
_NAME_LABELS = {
    NameOID.SERIAL_NUMBER: "SERIALNUMBER",
    NameOID.SURNAME: "SURNAME",
    NameOID.GIVEN_NAME: "G",
    NameOID.EMAIL_ADDRESS: "E",
}


@dataclass(frozen=True)
class VerifiedSignature:
    method: str  # "cms"
    signer_iin: str
    subject: str  # the certificate's subject, readable (RFC 4514)
    serial: str  # the certificate's serial number, hex
    issuer: str
    signing_time: datetime | None  # the signer's claim (signed attribute), not a timestamp
    document_sha256: str


class SignatureRefused(ValidationError):
    """A signature that does not verify. `code` is one of REFUSAL_CODES; the message, in the active
    language, names what failed."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message, code=code)


@dataclass(frozen=True)
class _Parsed:
    signer: x509.Certificate
    others: list[x509.Certificate]
    digest_oid: str
    signature_oid: str
    signature: bytes
    signed_attrs: bytes | None  # the DER (as a SET) that the signature covers, when there are any
    message_digest: bytes | None
    signing_time: datetime | None
    content: bytes | None  # an attached content, if the CMS was not detached


def verify_detached_cms(
    *, document: bytes, signature: bytes, signer_iin: str, on: date, body: Body | None = None
) -> VerifiedSignature:
    """Verifies `signature` (a detached CMS SignedData: DER, PEM or base64 as NCALayer returns it)
    over `document` for the person whose ИИН is `signer_iin`, on the signing day `on`, against the
    active trusted roots (installation-wide, and `body`'s own when given).

    Effects: none; reads the trusted roots. Returns what was verified; raises SignatureRefused."""
    parsed = _parse(_der(signature))
    document_sha256 = hashlib.sha256(document).digest()
    _check_algorithms(parsed)
    _check_document(parsed, document, document_sha256)
    _check_signature_value(parsed, document)
    path = _trusted_path(parsed.signer, parsed.others, _anchors(body))
    _check_validity(path, on)
    _check_key_usage(parsed.signer)
    iin = _check_person(parsed.signer, signer_iin)
    _check_revocation(path, on)
    return VerifiedSignature(
        method=METHOD,
        signer_iin=iin,
        subject=readable_name(parsed.signer.subject),
        serial=format(parsed.signer.serial_number, "x"),
        issuer=readable_name(parsed.signer.issuer),
        signing_time=parsed.signing_time,
        document_sha256=document_sha256.hex(),
    )


def readable_name(name: x509.Name) -> str:
    """A certificate's subject or issuer as RFC 4514 text, with NCA's attributes named."""
    return name.rfc4514_string(_NAME_LABELS)


def common_name(cert: x509.Certificate) -> str:
    """The certificate's CN, or its whole subject when it has none."""
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else readable_name(cert.subject)


def _refuse(code: str, message: str) -> SignatureRefused:
    return SignatureRefused(message, code=code)


def cms_der(signature: bytes) -> bytes:
    """The CMS's DER from what the signer gave (DER, PEM or base64): what is kept as evidence."""
    return _der(signature)


def _der(signature: bytes) -> bytes:
    """The CMS's DER from DER, PEM or base64 (whitespace and line breaks allowed)."""
    if len(signature) > MAX_SIGNATURE_BYTES:
        raise _refuse(MALFORMED, _("The signature file is too large to be a signature."))
    if signature[:1] == b"\x30":  # DER as it is: its last bytes may well look like white space
        return signature
    data = signature.strip()  # base64 begins "M", PEM "-----": neither is DER
    if data.startswith(b"-----BEGIN"):
        lines = [line for line in data.splitlines() if line.strip() and not line.startswith(b"-----")]
        data = b"".join(lines)
    try:
        return base64.b64decode(b"".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        raise _refuse(
            MALFORMED,
            _("This is not an electronic signature: expected a CMS signature (DER, PEM or base64)."),
        ) from None


def _parse(der: bytes) -> _Parsed:
    not_cms = _refuse(
        MALFORMED, _("This is not an electronic signature: expected a CMS signature (DER, PEM or base64).")
    )
    try:
        info = asn1_cms.ContentInfo.load(der, strict=True)
        if info["content_type"].native != "signed_data":
            raise not_cms
        signed = info["content"]
        signers = list(signed["signer_infos"])
        certificates = [
            choice.chosen for choice in (signed["certificates"] or []) if choice.name == "certificate"
        ]
        content = signed["encap_content_info"]["content"].native
    except SignatureRefused:
        raise
    except Exception:  # asn1crypto parses lazily and says "malformed" with any of several errors
        raise not_cms from None
    if len(signers) != 1:
        raise _refuse(
            MALFORMED,
            _("The signature must hold exactly one signer; it holds %(count)s.") % {"count": len(signers)},
        )
    try:
        signer_info = signers[0]
        signer_asn1 = _signer_certificate(signer_info["sid"], certificates)
        if signer_asn1 is None:
            raise _refuse(MALFORMED, _("The signature does not include the signer's certificate."))
        attrs = signer_info["signed_attrs"]
        signed_attrs = message_digest = signing_time = None
        if attrs.native is not None and len(attrs):
            signed_attrs = b"\x31" + attrs.dump()[1:]  # signed as a SET, stored as [0] IMPLICIT
            values = {attr["type"].native: attr["values"] for attr in attrs}
            if "message_digest" in values:
                message_digest = values["message_digest"][0].native
            if "signing_time" in values:
                signing_time = values["signing_time"][0].native
        others = [x509.load_der_x509_certificate(c.dump()) for c in certificates if c is not signer_asn1]
        return _Parsed(
            signer=x509.load_der_x509_certificate(signer_asn1.dump()),
            others=others,
            digest_oid=signer_info["digest_algorithm"]["algorithm"].dotted,
            signature_oid=signer_info["signature_algorithm"]["algorithm"].dotted,
            signature=signer_info["signature"].native,
            signed_attrs=signed_attrs,
            message_digest=message_digest,
            signing_time=signing_time,
            content=content,
        )
    except SignatureRefused:
        raise
    except Exception:
        raise not_cms from None


def _signer_certificate(sid: Any, certificates: list[Any]) -> Any:
    """The certificate the SignerInfo names (by issuer and serial, or by key identifier)."""
    for cert in certificates:
        if not isinstance(cert, asn1_x509.Certificate):
            continue
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if cert.serial_number == wanted["serial_number"].native and cert.issuer == wanted["issuer"]:
                return cert
        elif sid.name == "subject_key_identifier" and cert.key_identifier == sid.chosen.native:
            return cert
    return None


_SHA256 = "2.16.840.1.101.3.4.2.1"
_RSA_SIGNATURES = {
    "1.2.840.113549.1.1.1",  # rsaEncryption (PKCS #1 v1.5, the hash named by the digest algorithm)
    "1.2.840.113549.1.1.11",  # sha256WithRSAEncryption
}


def _check_algorithms(parsed: _Parsed) -> None:
    oids = (parsed.digest_oid, parsed.signature_oid)
    if any(oid.startswith(_GOST_ARCS) for oid in oids):
        raise _refuse(
            UNSUPPORTED_ALGORITHM,
            _(
                "This signature was made with a GOST key. The system verifies RSA signatures only for "
                "now: sign with your RSA key (the file whose name begins with RSA)."
            ),
        )
    if parsed.digest_oid != _SHA256 or parsed.signature_oid not in _RSA_SIGNATURES:
        raise _refuse(
            UNSUPPORTED_ALGORITHM,
            _("This signature uses an algorithm the system does not verify; RSA with SHA-256 is expected."),
        )
    try:
        key = parsed.signer.public_key()
    except (ValueError, UnsupportedAlgorithm):
        key = None
    if not isinstance(key, rsa.RSAPublicKey):
        raise _refuse(UNSUPPORTED_ALGORITHM, _("The signer's certificate does not hold an RSA key."))


def _check_document(parsed: _Parsed, document: bytes, document_sha256: bytes) -> None:
    other_document = _refuse(
        DOCUMENT_MISMATCH,
        _("The signature was made over another document, not over this one."),
    )
    if parsed.content is not None and parsed.content != document:
        raise other_document
    if parsed.signed_attrs is not None and parsed.message_digest != document_sha256:
        raise other_document


def _check_signature_value(parsed: _Parsed, document: bytes) -> None:
    signed = parsed.signed_attrs if parsed.signed_attrs is not None else document
    key = parsed.signer.public_key()
    assert isinstance(key, rsa.RSAPublicKey)  # _check_algorithms
    try:
        key.verify(parsed.signature, signed, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise _refuse(
            DOCUMENT_MISMATCH,
            _(
                "The signature does not verify with the signer's certificate: it has been altered, "
                "or it was not made over this document."
            ),
        ) from None


def _anchors(body: Body | None) -> list[x509.Certificate]:
    roots = TrustedRoot.objects.filter(active=True)
    roots = roots.filter(Q(body__isnull=True) | Q(body=body)) if body is not None else roots.filter(body=None)
    return [x509.load_pem_x509_certificate(pem.encode()) for pem in roots.values_list("pem", flat=True)]


def _fingerprint(cert: x509.Certificate) -> bytes:
    return cert.fingerprint(hashes.SHA256())


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except (x509.ExtensionNotFound, ValueError):  # absent, or unreadable extensions
        return False
    return constraints.ca


def _trusted_path(
    signer: x509.Certificate, others: list[x509.Certificate], anchors: list[x509.Certificate]
) -> list[x509.Certificate]:
    """The path from the signer's certificate to a trusted root, each issued by the next."""
    trusted = {_fingerprint(anchor) for anchor in anchors}
    path = [signer]
    seen = {_fingerprint(signer)}
    current = signer
    while _fingerprint(current) not in trusted:
        issuer = next((a for a in anchors if _issued_by(current, a)), None)
        if issuer is None:
            issuer = next(
                (c for c in others if _fingerprint(c) not in seen and _issued_by(current, c)),
                None,
            )
        if issuer is None or len(path) >= MAX_PATH:
            raise _refuse(
                UNTRUSTED,
                _(
                    "The certificate “%(name)s” was not issued by a certification authority the "
                    "administrator has installed as trusted."
                )
                % {"name": common_name(current)},
            )
        if not _is_ca(issuer):
            raise _refuse(
                UNTRUSTED,
                _("The certificate “%(name)s” issues certificates but is not a certification authority's.")
                % {"name": common_name(issuer)},
            )
        path.append(issuer)
        seen.add(_fingerprint(issuer))
        current = issuer
    return path


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _check_validity(path: list[x509.Certificate], on: date) -> None:
    for index, cert in enumerate(path):
        role = _("The signer's certificate") if index == 0 else _("The certification authority's certificate")
        starts, ends = _local_day(cert.not_valid_before_utc), _local_day(cert.not_valid_after_utc)
        if on > ends:
            raise _refuse(
                EXPIRED,
                _("%(role)s “%(name)s” expired on %(end)s, before the signing day (%(day)s).")
                % {"role": role, "name": common_name(cert), "end": human_date(ends), "day": human_date(on)},
            )
        if on < starts:
            raise _refuse(
                NOT_YET_VALID,
                _("%(role)s “%(name)s” is valid only from %(start)s, after the signing day (%(day)s).")
                % {
                    "role": role,
                    "name": common_name(cert),
                    "start": human_date(starts),
                    "day": human_date(on),
                },
            )


def _check_key_usage(cert: x509.Certificate) -> None:
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return  # no restriction (RFC 5280, 4.2.1.3)
    except ValueError:  # unreadable extensions: nothing says the key may sign
        usage = None
    if usage is None or not (usage.digital_signature or usage.content_commitment):
        raise _refuse(
            NOT_FOR_SIGNING,
            _("The certificate “%(name)s” is not meant for signing documents (its key usage).")
            % {"name": common_name(cert)},
        )


def certificate_iin(cert: x509.Certificate) -> str | None:
    """The ИИН in the subject's serialNumber ("IIN" + 12 digits), as NCA writes it; else None."""
    for attribute in cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER):
        match = _IIN_SERIAL.match(str(attribute.value).strip())
        if match:
            return match.group(1)
    return None


def _check_person(cert: x509.Certificate, signer_iin: str) -> str:
    if not signer_iin:
        raise _refuse(
            WRONG_PERSON,
            _("Your profile has no IIN: enter it on your profile page to sign with an electronic signature."),
        )
    iin = certificate_iin(cert)
    if iin is None:
        raise _refuse(
            WRONG_PERSON,
            _("The certificate “%(name)s” names no IIN, so it cannot be matched to the signer.")
            % {"name": common_name(cert)},
        )
    if iin != signer_iin:
        raise _refuse(
            WRONG_PERSON,
            _("The certificate belongs to another person: its IIN is not the one on the signer's profile."),
        )
    return iin


def _check_revocation(path: list[x509.Certificate], on: date) -> None:
    """Each certificate of the path below the trusted root against the newest uploaded CRL of its
    issuer whose signature that issuer made (a list that does not verify is passed over). Lists are
    parsed, and their signatures checked, once per process (`_crl`, `_crl_signed_by`)."""
    for cert, issuer in zip(path, path[1:], strict=False):
        newest = None
        stored = RevocationList.objects.filter(issuer=readable_name(issuer.subject)[:1000]).order_by(
            "-this_update"
        )
        issuer_der = issuer.public_bytes(serialization.Encoding.DER)
        for pk, added_at in stored.values_list("pk", "added_at"):
            crl = _crl(pk, added_at)
            if crl.issuer == issuer.subject and _crl_signed_by(pk, added_at, issuer_der):
                newest = crl
                break
        if newest is None:
            continue
        entry = newest.get_revoked_certificate_by_serial_number(cert.serial_number)
        if entry is not None and _local_day(entry.revocation_date_utc) <= on:
            raise _refuse(
                REVOKED,
                _("The certificate “%(name)s” was revoked on %(day)s (revocation list of %(issued)s).")
                % {
                    "name": common_name(cert),
                    "day": human_date(_local_day(entry.revocation_date_utc)),
                    "issued": human_date(_local_day(newest.last_update_utc)),
                },
            )


@functools.lru_cache(maxsize=64)
def _crl(pk: int, stamp: datetime) -> x509.CertificateRevocationList:
    """The stored list `pk` parsed, cached by its row id and the time it was stored (a list is
    never changed in place: a newer one is a new row, so the pair names one content)."""
    der = RevocationList.objects.filter(pk=pk).values_list("der", flat=True).get()
    return x509.load_der_x509_crl(bytes(der))


@functools.lru_cache(maxsize=256)
def _crl_signed_by(pk: int, stamp: datetime, issuer_der: bytes) -> bool:
    return _signed_by(_crl(pk, stamp), x509.load_der_x509_certificate(issuer_der))


def _signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    try:
        key = issuer.public_key()
    except (ValueError, UnsupportedAlgorithm):
        return False
    if not isinstance(key, rsa.RSAPublicKey):
        return False
    try:
        return crl.is_signature_valid(key)
    except (ValueError, UnsupportedAlgorithm):
        return False
