"""A small certification authority for the e-signature tests: a root, an intermediate and people's
certificates shaped as the National Certification Authority issues them (subject serialNumber
"IIN" + 12 digits), all RSA, and detached CMS signatures made with `cryptography`'s PKCS #7 builder
(what NCALayer returns: a CMS SignedData without the content)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

# Valid ИИНs (date of birth, century digit, check digit).
SIGNER_IIN = "850115300001"
OTHER_IIN = "900322400005"

FROM = datetime(2020, 1, 1, tzinfo=UTC)
UNTIL = datetime(2040, 1, 1, tzinfo=UTC)

_KEYS: list[rsa.RSAPrivateKey] = []


def _key(index: int) -> rsa.RSAPrivateKey:
    """RSA keys are slow to make: a few are made once per process and reused by index."""
    while len(_KEYS) <= index:
        _KEYS.append(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    return _KEYS[index]


@dataclass
class Issued:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()


def _name(cn: str, *, iin: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if iin is not None:
        parts += [
            x509.NameAttribute(NameOID.SURNAME, cn.split()[0]),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{iin}"),
        ]
    parts.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"))
    return x509.Name(parts)


def make_ca(
    cn: str,
    *,
    issuer: Issued | None = None,
    key_index: int = 0,
    not_before: datetime = FROM,
    not_after: datetime = UNTIL,
) -> Issued:
    """A CA certificate: self-signed when `issuer` is None, else issued by it."""
    key = _key(key_index)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(issuer.cert.subject if issuer else _name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    signing_key = issuer.key if issuer else key
    return Issued(builder.sign(signing_key, hashes.SHA256()), key)


def make_person(
    cn: str,
    *,
    issuer: Issued,
    iin: str | None = SIGNER_IIN,
    key_index: int = 3,
    not_before: datetime = FROM,
    not_after: datetime = UNTIL,
    signing: bool = True,
) -> Issued:
    """A person's signing certificate (key usage digitalSignature + nonRepudiation, as NCA's
    RSA_… keys carry), issued by `issuer`."""
    key = _key(key_index)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, iin=iin))
        .issuer_name(issuer.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=signing,
                content_commitment=signing,
                key_encipherment=not signing,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    return Issued(builder.sign(issuer.key, hashes.SHA256()), key)


def sign_detached(document: bytes, signer: Issued, *, chain: tuple[Issued, ...] = ()) -> bytes:
    """A detached CMS SignedData (DER) over `document`, with the signer's certificate and `chain`."""
    builder = (
        pkcs7.PKCS7SignatureBuilder().set_data(document).add_signer(signer.cert, signer.key, hashes.SHA256())
    )
    for extra in chain:
        builder = builder.add_certificate(extra.cert)
    # Binary: the bytes as they are (without it the builder turns line ends into CRLF, as S/MIME text)
    return builder.sign(
        serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary]
    )


def make_crl(
    issuer: Issued, revoked: dict[int, datetime], *, issued: datetime, signer: Issued | None = None
) -> bytes:
    """A CRL (DER) of `issuer` listing `revoked` (serial → revocation time), signed by `signer`'s key
    (by default the issuer's own)."""
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.cert.subject)
        .last_update(issued)
        .next_update(issued.replace(year=issued.year + 1))
    )
    for serial, when in revoked.items():
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    crl = builder.sign((signer or issuer).key, hashes.SHA256())
    return crl.public_bytes(serialization.Encoding.DER)
