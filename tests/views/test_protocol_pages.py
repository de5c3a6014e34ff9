# ruff: noqa: F811 - the fixtures `held` and `draft` are imported from tests/protocols/conftest.py
"""The protocol pages: drafting from the meeting page, editing with a conflict shown, signing after
the second factor is given again, distribution and the recipient's acknowledgement link."""

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

from alqa.domain import protocols as domain
from alqa.models import Protocol
from tests.conftest import PASSWORD, login
from tests.protocols.conftest import draft, held  # noqa: F401 - fixtures


def test_secretary_drafts_from_the_meeting_page(client, held, secretary, waive_mfa):
    meeting, _item = held
    login(client, secretary)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f"/meetings/{meeting.pk}/protocol/" in page
    response = client.post(f"/meetings/{meeting.pk}/protocol/")
    protocol = Protocol.objects.get(meeting=meeting)
    assert response["Location"] == f"/protocols/{protocol.pk}/"
    assert client.get(f"/meetings/{meeting.pk}/protocol/")["Location"] == f"/protocols/{protocol.pk}/"


def test_the_protocol_page_has_a_constant_number_of_queries(
    client, draft, secretary, waive_mfa, django_assert_max_num_queries
):
    login(client, secretary, language="ru")
    with django_assert_max_num_queries(22):
        page = client.get(f"/protocols/{draft.pk}/")
    text = page.content.decode()
    assert "Доступ адвокатов в ИВС" in text and "Адвокаттардың ИВС-ке кіруі" in text
    assert domain.current_revision(draft).content_hash in text


def test_an_outsider_gets_404(client, draft, outsider):
    login(client, outsider)
    assert client.get(f"/protocols/{draft.pk}/").status_code == 404


def test_a_stale_edit_shows_both_versions(client, draft, held, secretary, chair, waive_mfa):
    _meeting, item = held
    domain.update_draft(
        draft,
        actor=chair.user,
        version=1,
        texts={item.pk: domain.QuestionText(heard_ru="Сохранил председатель")},
    )
    login(client, secretary)
    response = client.post(
        f"/protocols/{draft.pk}/edit/", {"version": "1", f"q{item.pk}_heard_ru": "Мой текст секретаря"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Сохранил председатель" in text and "Мой текст секретаря" in text
    assert domain.current_revision(draft).content["questions"][0]["heard_ru"] == "Сохранил председатель"


def _reauthenticate_with_password(client):
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content


def test_signing_asks_for_the_password_again_without_an_authenticator(client, draft, chair, waive_mfa):
    login(client, chair)
    h = domain.current_revision(draft).content_hash
    page = client.get(f"/protocols/{draft.pk}/sign/").content.decode()
    assert h in page
    response = client.post(f"/protocols/{draft.pk}/sign/", {"content_hash": h, "method": "hash"})
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]
    assert not draft.signatures.exists()
    _reauthenticate_with_password(client)
    client.post(f"/protocols/{draft.pk}/sign/", {"content_hash": h, "method": "hash"})
    assert draft.signatures.get().member == chair


def test_signing_asks_for_the_second_factor_again(client, draft, chair):
    secret = generate_totp_secret()
    TOTP.activate(chair.user, secret)
    login(client, chair)
    h = domain.current_revision(draft).content_hash
    response = client.post(f"/protocols/{draft.pk}/sign/", {"content_hash": h, "method": "hash"})
    assert response.status_code == 302 and "/accounts/2fa/reauthenticate/" in response["Location"]
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    assert client.post("/accounts/2fa/reauthenticate/", {"code": code}).status_code == 302
    client.post(f"/protocols/{draft.pk}/sign/", {"content_hash": h, "method": "hash"})
    assert draft.signatures.get().member == chair


def test_distribute_and_acknowledge(client, draft, chair, secretary, waive_mfa):
    h = domain.current_revision(draft).content_hash
    domain.sign_protocol(draft, actor=chair.user, signed_hash=h)
    domain.sign_protocol(draft, actor=secretary.user, signed_hash=h)
    login(client, secretary)
    client.post(f"/protocols/{draft.pk}/distribute/")
    recipient = draft.recipients.get(member=chair)
    client.logout()
    assert client.get("/receipt/forged-token/").status_code == 404
    page = client.get(f"/receipt/{recipient.token}/").content.decode()
    assert "form" in page
    recipient.refresh_from_db()
    assert recipient.acknowledged_at is None  # opening the link acknowledges nothing
    client.post(f"/receipt/{recipient.token}/")
    recipient.refresh_from_db()
    assert recipient.acknowledged_at is not None
    again = client.post(f"/receipt/{recipient.token}/").content.decode()
    assert "Получение уже подтверждено" in again  # the anonymous reader's language: Russian


@pytest.mark.unaudited_writes
def test_the_keeping_page_reports_tampering(client, draft, chair, secretary, admin_user):
    from allauth.mfa.models import Authenticator

    from alqa.models import ProtocolRevision

    h = domain.current_revision(draft).content_hash
    domain.sign_protocol(draft, actor=chair.user, signed_hash=h)
    domain.sign_protocol(draft, actor=secretary.user, signed_hash=h)
    Authenticator.objects.create(user=admin_user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    assert "No tampering found" in client.get("/protocols/keeping/").content.decode()
    ProtocolRevision.objects.filter(protocol=draft).update(content_hash="0" * 64)
    text = client.get("/protocols/keeping/").content.decode()
    assert re.search("does not match its stored hash", text)


def test_an_administrator_replaces_the_word_template_and_a_broken_one_is_refused(client, draft, admin_user):
    import io

    from allauth.mfa.models import Authenticator
    from django.core.files.uploadedfile import SimpleUploadedFile
    from docx import Document

    from alqa.documents.protocol import DEFAULT_DOCX, docx_template_path

    Authenticator.objects.create(user=admin_user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(admin_user)
    broken = Document(str(DEFAULT_DOCX))
    broken.add_paragraph("{% for x in %}")
    buffer = io.BytesIO()
    broken.save(buffer)
    for data in (b"not a document", buffer.getvalue()):
        client.post(
            "/protocols/keeping/",
            {"body": draft.body_id, "template": SimpleUploadedFile("t.docx", data)},
        )
        assert docx_template_path(draft.body_id) == DEFAULT_DOCX
    own = Document(str(DEFAULT_DOCX))
    own.add_paragraph("Бланк группы Алматы")
    buffer = io.BytesIO()
    own.save(buffer)
    client.post(
        "/protocols/keeping/",
        {"body": draft.body_id, "template": SimpleUploadedFile("t.docx", buffer.getvalue())},
    )
    assert docx_template_path(draft.body_id) != DEFAULT_DOCX
    doc = client.get(f"/protocols/{draft.pk}/document/", {"format": "docx", "lang": "ru"})
    assert "Бланк группы Алматы" in "\n".join(p.text for p in Document(io.BytesIO(doc.content)).paragraphs)
