"""Verifying qualified e-signatures: a detached CMS over a document, against installed roots."""

import base64
from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from alqa.domain.esign import SignatureRefused, verify_detached_cms
from alqa.domain.trusted_roots import add_revocation_list, add_trusted_root, deactivate_trusted_root
from tests.esign_pki import OTHER_IIN, SIGNER_IIN, make_ca, make_crl, make_person, sign_detached

DOCUMENT = b"%PDF-1.7\n% protocol No. 3 of the monitoring group, revision 1\n" + bytes(range(256)) * 8
ON = date(2026, 12, 1)


@pytest.fixture(scope="module")
def pki():
    root = make_ca("Test Root CA (RSA)", key_index=0)
    intermediate = make_ca("Test Issuing CA (RSA)", issuer=root, key_index=1)
    signer = make_person("АХМЕТОВА ДИНАРА", issuer=intermediate)
    return {"root": root, "intermediate": intermediate, "signer": signer}


@pytest.fixture
def trusted(pki, admin_user):
    return add_trusted_root(
        name="Test Root CA", certificate=pki["root"].pem.encode(), body=None, actor=admin_user
    )


def verify(signature, *, document=DOCUMENT, iin=SIGNER_IIN, on=ON, body=None):
    return verify_detached_cms(document=document, signature=signature, signer_iin=iin, on=on, body=body)


def refusal(signature, **kwargs) -> SignatureRefused:
    """The refusal, in English (the tests of the other languages say theirs)."""
    with translation.override("en"), pytest.raises(SignatureRefused) as caught:
        verify(signature, **kwargs)
    return caught.value


def test_a_good_signature_is_accepted_with_what_it_proves(pki, trusted):
    cms = sign_detached(DOCUMENT, pki["signer"], chain=(pki["intermediate"],))
    verified = verify(cms)
    assert verified.method == "cms"
    assert verified.signer_iin == SIGNER_IIN
    assert "SERIALNUMBER=IIN850115300001" in verified.subject
    assert "CN=АХМЕТОВА ДИНАРА" in verified.subject
    assert verified.issuer == "C=KZ,CN=Test Issuing CA (RSA)"
    assert verified.serial == format(pki["signer"].cert.serial_number, "x")
    assert verified.document_sha256 == __import__("hashlib").sha256(DOCUMENT).hexdigest()
    assert verified.signing_time is not None


@pytest.mark.parametrize("form", ["base64", "base64 with line breaks", "pem"])
def test_ncalayer_base64_and_pem_are_read_as_der(pki, trusted, form):
    der = sign_detached(DOCUMENT, pki["signer"], chain=(pki["intermediate"],))
    text = base64.b64encode(der)
    if form == "base64 with line breaks":
        text = b"\r\n".join(text[i : i + 64] for i in range(0, len(text), 64)) + b"\r\n"
    elif form == "pem":
        text = b"-----BEGIN CMS-----\n" + base64.encodebytes(der) + b"-----END CMS-----\n"
    assert verify(text).signer_iin == SIGNER_IIN


def test_a_root_installed_for_the_body_only_counts_for_that_body(pki, admin_user, body, other_body):
    add_trusted_root(name="Body's root", certificate=pki["root"].pem.encode(), body=body, actor=admin_user)
    cms = sign_detached(DOCUMENT, pki["signer"], chain=(pki["intermediate"],))
    assert verify(cms, body=body).signer_iin == SIGNER_IIN
    assert refusal(cms, body=other_body).code == "untrusted"
    assert refusal(cms).code == "untrusted"


def test_a_forged_signature_is_refused(pki, trusted):
    cms = bytearray(sign_detached(DOCUMENT, pki["signer"], chain=(pki["intermediate"],)))
    # The signature value is the last OCTET STRING of the SignerInfo: flip a byte inside it.
    cms[-20] ^= 0xFF
    refused = refusal(bytes(cms))
    assert refused.code == "document_mismatch"
    assert "does not verify with the signer's certificate" in refused.messages[0]


def test_a_signature_of_another_document_is_refused(pki, trusted):
    cms = sign_detached(b"another protocol", pki["signer"], chain=(pki["intermediate"],))
    refused = refusal(cms)
    assert refused.code == "document_mismatch"
    assert refused.messages == ["The signature was made over another document, not over this one."]
    # the same signature still verifies over its own document
    assert verify(cms, document=b"another protocol").signer_iin == SIGNER_IIN


def test_a_signature_chaining_to_a_root_nobody_installed_is_refused(pki, trusted):
    stranger_root = make_ca("Stranger Root", key_index=2)
    stranger = make_person("АХМЕТОВА ДИНАРА", issuer=stranger_root, key_index=4)
    refused = refusal(sign_detached(DOCUMENT, stranger, chain=(stranger_root,)))
    assert refused.code == "untrusted"
    assert "“Stranger Root” was not issued by a certification authority" in refused.messages[0]


def test_the_intermediate_missing_from_the_cms_leaves_the_chain_unproved(pki, trusted):
    refused = refusal(sign_detached(DOCUMENT, pki["signer"]))
    assert refused.code == "untrusted"
    assert "“АХМЕТОВА ДИНАРА” was not issued" in refused.messages[0]


def test_a_deactivated_root_is_no_longer_trusted(pki, trusted, admin_user):
    cms = sign_detached(DOCUMENT, pki["signer"], chain=(pki["intermediate"],))
    assert verify(cms).signer_iin == SIGNER_IIN
    deactivate_trusted_root(trusted, actor=admin_user)
    assert refusal(cms).code == "untrusted"


def test_an_expired_certificate_is_refused(pki, trusted):
    expired = make_person(
        "АХМЕТОВА ДИНАРА",
        issuer=pki["intermediate"],
        not_before=datetime(2021, 1, 1, tzinfo=UTC),
        not_after=datetime(2024, 6, 30, 12, tzinfo=UTC),
    )
    cms = sign_detached(DOCUMENT, expired, chain=(pki["intermediate"],))
    refused = refusal(cms)
    assert refused.code == "expired"
    assert refused.messages == [
        "The signer's certificate “АХМЕТОВА ДИНАРА” expired on June 30, 2024, before the signing day (Dec. 1, 2026)."
    ]
    # on a day it was valid, it verifies
    assert verify(cms, on=date(2024, 6, 30)).signer_iin == SIGNER_IIN


def test_a_certificate_not_yet_valid_on_the_signing_day_is_refused(pki, trusted):
    refused = refusal(
        sign_detached(DOCUMENT, pki["signer"], chain=(pki["intermediate"],)), on=date(2019, 12, 31)
    )
    assert refused.code == "not_yet_valid"
    # the signer's certificate and its authority's both begin on 1 January 2020; the signer's is named
    assert "The signer's certificate “АХМЕТОВА ДИНАРА” is valid only from Jan. 1, 2020" in refused.messages[0]


def test_an_expired_intermediate_refuses_a_signer_certificate_still_in_date(pki, trusted):
    old_intermediate = make_ca(
        "Old Issuing CA",
        issuer=pki["root"],
        key_index=1,
        not_after=datetime(2025, 1, 1, tzinfo=UTC),
    )
    signer = make_person("АХМЕТОВА ДИНАРА", issuer=old_intermediate)
    refused = refusal(sign_detached(DOCUMENT, signer, chain=(old_intermediate,)))
    assert refused.code == "expired"
    assert refused.messages[0].startswith(
        "The certification authority's certificate “Old Issuing CA” expired"
    )


def test_another_persons_certificate_is_refused(pki, trusted):
    other = make_person("ИСАЕВ ТИМУР", issuer=pki["intermediate"], iin=OTHER_IIN, key_index=4)
    refused = refusal(sign_detached(DOCUMENT, other, chain=(pki["intermediate"],)))
    assert refused.code == "wrong_person"
    assert "belongs to another person" in refused.messages[0]


def test_a_certificate_without_an_iin_and_a_profile_without_one_are_refused(pki, trusted):
    organisation = make_person("ТОО РОГА", issuer=pki["intermediate"], iin=None)
    assert refusal(sign_detached(DOCUMENT, organisation, chain=(pki["intermediate"],))).code == "wrong_person"
    cms = sign_detached(DOCUMENT, pki["signer"], chain=(pki["intermediate"],))
    refused = refusal(cms, iin="")
    assert refused.code == "wrong_person"
    assert "Your profile has no IIN" in refused.messages[0]


def test_an_authentication_only_key_is_refused(pki, trusted):
    auth_only = make_person("АХМЕТОВА ДИНАРА", issuer=pki["intermediate"], signing=False)
    refused = refusal(sign_detached(DOCUMENT, auth_only, chain=(pki["intermediate"],)))
    assert refused.code == "not_for_signing"


@pytest.mark.parametrize(
    "junk",
    [
        b"",
        b"not a signature at all",
        b"\x30\x03\x02\x01\x01",  # DER, but an INTEGER in a SEQUENCE, not a ContentInfo
        base64.b64encode(b"\x30\x82\xff\xff truncated"),
        b"-----BEGIN CMS-----\n!!!\n-----END CMS-----",
        b"A" * (600 * 1024),
    ],
)
def test_malformed_input_is_refused_with_a_message(trusted, junk):
    refused = refusal(junk)
    assert refused.code == "malformed"
    assert refused.messages[0]


def test_a_cms_without_the_signers_certificate_is_malformed(pki, trusted):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    cms = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(DOCUMENT)
        .add_signer(pki["signer"].cert, pki["signer"].key, hashes.SHA256())
        .sign(
            serialization.Encoding.DER,
            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary, pkcs7.PKCS7Options.NoCerts],
        )
    )
    refused = refusal(cms)
    assert refused.code == "malformed"
    assert refused.messages == ["The signature does not include the signer's certificate."]


def test_a_sha512_signature_is_refused_as_unsupported(pki, trusted):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    cms = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(DOCUMENT)
        .add_signer(pki["signer"].cert, pki["signer"].key, hashes.SHA512())
        .add_certificate(pki["intermediate"].cert)
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary])
    )
    assert refusal(cms).code == "unsupported_algorithm"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "Подпись сделана под другим документом, а не под этим."),
        ("kk", "Қолтаңба осы құжатқа емес, басқа құжатқа қойылған."),
    ],
)
def test_refusals_speak_the_readers_language(pki, trusted, language, expected):
    cms = sign_detached(b"another protocol", pki["signer"], chain=(pki["intermediate"],))
    with translation.override(language), pytest.raises(SignatureRefused) as caught:
        verify(cms)
    assert caught.value.messages == [expected]


def test_der_whose_last_byte_looks_like_white_space_is_read_whole(pki, trusted):
    """The signature value is random bytes: about one DER in forty ends in a byte that is ASCII white
    space, which must not be stripped as if the input were base64 text."""
    for n in range(2000):
        document = DOCUMENT + str(n).encode()
        cms = sign_detached(document, pki["signer"], chain=(pki["intermediate"],))
        if cms[-1:] in (b" ", b"\n", b"\r", b"\t", b"\x0b", b"\x0c"):
            break
    else:  # pragma: no cover - (1 - 6/256) ** 2000 is about 1e-21
        pytest.fail("no signature ended in a white-space byte")
    assert verify(cms, document=document).signer_iin == SIGNER_IIN


# --- Revocation lists uploaded by the administrator ---------------------------------------------

REVOKED_AT = datetime(2026, 6, 1, 9, tzinfo=UTC)


def test_a_certificate_revoked_by_its_issuers_uploaded_list_is_refused(pki, trusted, admin_user):
    signer = pki["signer"]
    cms = sign_detached(DOCUMENT, signer, chain=(pki["intermediate"],))
    crl = make_crl(
        pki["intermediate"], {signer.cert.serial_number: REVOKED_AT}, issued=datetime(2026, 6, 2, tzinfo=UTC)
    )
    add_revocation_list(crl=crl, actor=admin_user)
    refused = refusal(cms)
    assert refused.code == "revoked"
    assert refused.messages == [
        "The certificate “АХМЕТОВА ДИНАРА” was revoked on June 1, 2026 (revocation list of June 2, 2026)."
    ]
    # a signature of a day before the revocation stands
    assert verify(cms, on=date(2026, 5, 31)).signer_iin == SIGNER_IIN


def test_a_list_the_issuer_did_not_sign_is_passed_over_and_the_newest_list_counts(pki, trusted, admin_user):
    signer = pki["signer"]
    cms = sign_detached(DOCUMENT, signer, chain=(pki["intermediate"],))
    forged = make_crl(
        pki["intermediate"],
        {signer.cert.serial_number: REVOKED_AT},
        issued=datetime(2026, 7, 1, tzinfo=UTC),
        signer=make_ca("Stranger Root", key_index=2),
    )
    add_revocation_list(crl=forged, actor=admin_user)
    assert verify(cms).signer_iin == SIGNER_IIN

    older = make_crl(
        pki["intermediate"], {signer.cert.serial_number: REVOKED_AT}, issued=datetime(2026, 6, 2, tzinfo=UTC)
    )
    newer_without = make_crl(
        pki["intermediate"], {12345: REVOKED_AT}, issued=datetime(2026, 6, 20, tzinfo=UTC)
    )
    add_revocation_list(crl=older, actor=admin_user)
    assert refusal(cms).code == "revoked"
    add_revocation_list(crl=newer_without, actor=admin_user)
    assert verify(cms).signer_iin == SIGNER_IIN


def test_a_gost_signature_is_refused_as_not_verified_yet_not_as_forged(pki, trusted):
    """What NCALayer makes with a GOST key names GOST 34.311 as its digest: the refusal says so and
    asks for the RSA key (GOST verification is the documented next step)."""
    from asn1crypto import cms as asn1_cms

    info = asn1_cms.ContentInfo.load(sign_detached(DOCUMENT, pki["signer"], chain=(pki["intermediate"],)))
    signer_info = info["content"]["signer_infos"][0]
    signer_info["digest_algorithm"] = {"algorithm": "1.2.398.3.10.1.3.1"}  # GOST 34.311-95 (Kazakhstan)
    refused = refusal(info.dump(force=True))
    assert refused.code == "unsupported_algorithm"
    assert "made with a GOST key" in refused.messages[0]
