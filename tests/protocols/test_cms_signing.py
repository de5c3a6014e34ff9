# ruff: noqa: F811 - the fixtures `held` and `draft` come from tests/protocols/conftest.py
"""Signing a protocol with a qualified e-signature: a detached CMS over the stored PDF for signing,
verified on the server (domain, page and API); each refusal said in the signer's language with
nothing stored but the audited attempt."""

import base64
import hashlib
from datetime import UTC, datetime

import pytest
from cryptography import x509
from django.utils import translation

from alqa.domain import esign
from alqa.domain import protocols as domain
from alqa.domain.trusted_roots import add_revocation_list, add_trusted_root
from alqa.domain.users import set_iin
from alqa.enums import ProtocolStatus, SignatureMethod
from alqa.models import AuditEvent, ProtocolSignature
from tests.conftest import login
from tests.esign_pki import OTHER_IIN, SIGNER_IIN, make_ca, make_crl, make_person, sign_detached

CHAIR_IIN = SIGNER_IIN
SECRETARY_IIN = OTHER_IIN


@pytest.fixture(scope="module")
def pki():
    root = make_ca("Test Root CA (RSA)", key_index=0)
    intermediate = make_ca("Test Issuing CA (RSA)", issuer=root, key_index=1)
    return {
        "root": root,
        "intermediate": intermediate,
        "chair": make_person("АХМЕТОВА ДИНАРА", issuer=intermediate, iin=CHAIR_IIN, key_index=3),
        "secretary": make_person("СЕРИКБАЕВ АРМАН", issuer=intermediate, iin=SECRETARY_IIN, key_index=4),
        "expired": make_person(
            "АХМЕТОВА ДИНАРА",
            issuer=intermediate,
            iin=CHAIR_IIN,
            key_index=3,
            not_before=datetime(2020, 1, 1, tzinfo=UTC),
            not_after=datetime(2021, 1, 1, tzinfo=UTC),
        ),
        "stranger_root": make_ca("Unknown Root", key_index=2),
    }


@pytest.fixture
def signers(pki, chair, secretary, admin_user):
    set_iin(chair.user, actor=chair.user, iin=CHAIR_IIN)
    set_iin(secretary.user, actor=secretary.user, iin=SECRETARY_IIN)
    add_trusted_root(name="Test Root CA", certificate=pki["root"].pem.encode(), body=None, actor=admin_user)
    chair.user.refresh_from_db()
    secretary.user.refresh_from_db()
    return chair, secretary


def _cms(pdf: bytes, who, pki) -> bytes:
    return base64.b64encode(sign_detached(pdf, who, chain=(pki["intermediate"],)))


def _refused(draft, actor, cms, language="en"):
    h = domain.current_revision(draft).content_hash
    with translation.override(language), pytest.raises(domain.ValidationError) as caught:
        domain.sign_protocol(draft, actor=actor, signed_hash=h, method=SignatureMethod.CMS, cms=cms)
    return caught.value.message_dict["cms"][0], caught.value.error_dict["cms"][0].code


def test_both_sign_with_cms_and_the_protocol_is_signed(draft, signers, pki):
    chair, secretary = signers
    revision, pdf = domain.signing_pdf(draft, actor=chair.user)
    assert pdf.startswith(b"%PDF") and revision.text_pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    # rendered once per text: the second signer gets the same bytes, nothing stored again
    assert domain.signing_pdf(draft, actor=secretary.user)[1] == pdf
    assert AuditEvent.objects.filter(action="protocol.signing_pdf_stored").count() == 1
    h = revision.content_hash
    domain.sign_protocol(
        draft, actor=chair.user, signed_hash=h, method=SignatureMethod.CMS, cms=_cms(pdf, pki["chair"], pki)
    )
    domain.sign_protocol(
        draft,
        actor=secretary.user,
        signed_hash=h,
        method=SignatureMethod.CMS,
        cms=_cms(pdf, pki["secretary"], pki),
    )
    draft.refresh_from_db()
    assert draft.status == ProtocolStatus.SIGNED
    signature = ProtocolSignature.objects.get(member=chair)
    assert signature.method == "cms"
    assert signature.evidence["document_sha256"] == hashlib.sha256(pdf).hexdigest()
    assert signature.evidence["certificate_serial"] == format(pki["chair"].cert.serial_number, "x")
    assert base64.b64decode(signature.evidence["cms"])[:1] == b"\x30"
    event = AuditEvent.objects.get(action="protocol.signature_added", object_id=str(signature.pk))
    assert event.data["method"] == "cms" and event.data["document_sha256"] == revision.text_pdf_sha256
    assert domain.verify_protocols() == (1, [])


def test_a_changed_draft_gets_a_new_pdf_and_the_old_signature_file_no_longer_fits(draft, held, signers, pki):
    chair, _secretary = signers
    _meeting, item = held
    _revision, old_pdf = domain.signing_pdf(draft, actor=chair.user)
    domain.update_draft(
        draft, actor=chair.user, version=draft.version, texts={item.pk: domain.QuestionText(heard_ru="Новое")}
    )
    revision = domain.current_revision(draft)
    assert revision.text_pdf is None and revision.text_pdf_hash == ""
    new_pdf = domain.signing_pdf(draft, actor=chair.user)[1]
    assert new_pdf != old_pdf
    message, code = _refused(draft, chair.user, _cms(old_pdf, pki["chair"], pki))
    assert code == "document_mismatch"
    assert message == "The signature was made over another document, not over this one."
    assert not ProtocolSignature.objects.exists()


def test_a_signature_before_the_pdf_was_given_out_is_refused(draft, signers, pki):
    chair, _secretary = signers
    message, _code = _refused(draft, chair.user, _cms(b"%PDF-1.7 something", pki["chair"], pki))
    assert message == "Download the protocol's PDF for signing first, sign it, then upload the signature."


@pytest.mark.parametrize(
    ("case", "code", "ru"),
    [
        ("forged", "document_mismatch", "не проходит проверку"),
        ("expired", "expired", "истёк"),
        ("wrong person", "wrong_person", "другому лицу"),
        ("wrong document", "document_mismatch", "под другим документом"),
        ("untrusted", "untrusted", "выпущен не тем удостоверяющим центром"),
    ],
)
def test_refusals_are_said_and_audited_and_nothing_is_signed(draft, signers, pki, case, code, ru):
    chair, _secretary = signers
    _revision, pdf = domain.signing_pdf(draft, actor=chair.user)
    if case == "forged":
        der = bytearray(sign_detached(pdf, pki["chair"], chain=(pki["intermediate"],)))
        der[-20] ^= 0xFF
        cms = base64.b64encode(bytes(der))
    elif case == "expired":
        cms = _cms(pdf, pki["expired"], pki)
    elif case == "wrong person":
        cms = _cms(pdf, pki["secretary"], pki)  # the secretary's key, the chair signing
    elif case == "wrong document":
        cms = _cms(pdf + b"\n%%changed", pki["chair"], pki)
    else:
        stranger = make_person("АХМЕТОВА ДИНАРА", issuer=pki["stranger_root"], iin=CHAIR_IIN, key_index=3)
        cms = base64.b64encode(sign_detached(pdf, stranger))
    message, got = _refused(draft, chair.user, cms, language="ru")
    assert got == code
    assert ru in message, message
    assert not ProtocolSignature.objects.exists()
    event = AuditEvent.objects.get(action="protocol.signature_refused")
    assert event.data["code"] == code and event.data["member"] == chair.pk
    with translation.override("kk"):
        kk, _ = _refused(draft, chair.user, cms, language="kk")
    assert kk != message and kk  # said in Kazakh too


def test_cms_is_verified_once_per_signature(draft, signers, pki, monkeypatch):
    chair, _secretary = signers
    _revision, pdf = domain.signing_pdf(draft, actor=chair.user)
    calls = []
    real = esign.verify_detached_cms

    def counting(**kwargs):
        calls.append(1)
        return real(**kwargs)

    monkeypatch.setattr(esign, "verify_detached_cms", counting)
    h = domain.current_revision(draft).content_hash
    domain.sign_protocol(
        draft, actor=chair.user, signed_hash=h, method=SignatureMethod.CMS, cms=_cms(pdf, pki["chair"], pki)
    )
    assert len(calls) == 1


def test_revocation_lists_are_parsed_once(pki, signers, admin_user, monkeypatch):
    crl = make_crl(pki["intermediate"], {}, issued=datetime(2026, 1, 1, tzinfo=UTC))
    add_revocation_list(crl=crl, actor=admin_user)
    parsed = []
    real = x509.load_der_x509_crl

    def counting(data):
        parsed.append(1)
        return real(data)

    monkeypatch.setattr(esign.x509, "load_der_x509_crl", counting)
    document = b"%PDF-1.7 document"
    cms = sign_detached(document, pki["chair"], chain=(pki["intermediate"],))
    for _ in range(3):
        esign.verify_detached_cms(
            document=document, signature=cms, signer_iin=CHAIR_IIN, on=datetime(2026, 6, 1).date()
        )
    assert len(parsed) == 1


def test_the_sign_page_takes_a_signature_file(client, draft, signers, pki, waive_mfa):
    from tests.views.test_protocol_pages import _reauthenticate_with_password

    chair, _secretary = signers
    login(client, chair, language="ru")
    page = client.get(f"/protocols/{draft.pk}/sign/").content.decode()
    revision = domain.current_revision(draft)
    assert revision.text_pdf_sha256 in page and f"/protocols/{draft.pk}/sign/pdf/" in page
    pdf = client.get(f"/protocols/{draft.pk}/sign/pdf/").content
    assert pdf == bytes(revision.text_pdf)
    _reauthenticate_with_password(client)
    wrong = client.post(
        f"/protocols/{draft.pk}/sign/",
        {
            "content_hash": revision.content_hash,
            "method": "cms",
            "cms_text": _cms(pdf, pki["secretary"], pki).decode(),
        },
    )
    assert wrong.status_code == 200
    assert "Сертификат принадлежит другому лицу" in wrong.content.decode()
    assert not ProtocolSignature.objects.exists()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("sig.cms", sign_detached(pdf, pki["chair"], chain=(pki["intermediate"],)))
    ok = client.post(
        f"/protocols/{draft.pk}/sign/",
        {"content_hash": revision.content_hash, "method": "cms", "cms_file": upload},
    )
    assert ok.status_code == 302
    assert ProtocolSignature.objects.get().method == "cms"


def test_the_api_signs_with_cms(draft, signers, pki):
    from tests.api.conftest import Api, token_for

    chair, _secretary = signers
    api = Api(token_for(chair.user))
    response = api.get(
        f"/protocols/{draft.pk}/document", {"format": "pdf", "lang": "both", "purpose": "signing"}
    )
    assert response.status_code == 200
    pdf = response.content
    assert pdf == bytes(domain.current_revision(draft).text_pdf)
    h = domain.current_revision(draft).content_hash
    bad = api.post(
        f"/protocols/{draft.pk}/sign",
        {"content_hash": h, "method": "cms", "cms": _cms(pdf + b"x", pki["chair"], pki).decode()},
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "cms"
    assert "another document" in bad.json()["detail"][0]["msg"]
    good = api.post(
        f"/protocols/{draft.pk}/sign",
        {"content_hash": h, "method": "cms", "cms": _cms(pdf, pki["chair"], pki).decode()},
    )
    assert good.status_code == 200, good.content
    assert good.json()["signatures"][0]["method"] == "cms"
