"""The generalisation note: written, approved by the chair only, sent to the police units with
receipt links; the first use of a link records receipt, a second says it was received already."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from alqa.domain.bodies import update_unit
from alqa.domain.complaint_notes import approve_note, confirm_receipt, create_note, send_note, update_note
from alqa.models import AuditEvent, NoteReceipt, OutboxMessage
from tests.conftest import login


@pytest.fixture
def note(body, secretary):
    return create_note(
        body=body,
        actor=secretary.user,
        title_ru="Обобщение практики за первое полугодие 2025 года",
        title_kk="2025 жылдың бірінші жартыжылдығындағы тәжірибені қорыту",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 6, 30),
        causes_ru="Нарушение сроков уведомления.",
        conclusions_ru="Жалобы на задержание удовлетворяются чаще.",
        recommendations_ru="Проводить обучение.",
    )


def test_only_the_chair_approves_and_only_once(client, body, note, chair, secretary, waive_mfa):
    login(client, secretary)
    assert client.post(f"/complaint-notes/{note.pk}/approve/").status_code == 403
    login(client, chair)
    client.post(f"/complaint-notes/{note.pk}/approve/")
    note.refresh_from_db()
    assert note.status == "approved" and note.approved_by == chair.user
    with pytest.raises(ValidationError):
        approve_note(note, actor=chair.user)
    with pytest.raises(ValidationError):
        update_note(note, actor=chair.user, changes={"causes_ru": "Другое"})


def test_a_case_number_in_the_text_is_refused(body, secretary):
    with pytest.raises(ValidationError) as refusal:
        create_note(
            body=body,
            actor=secretary.user,
            title_ru="Обобщение",
            period_from=date(2025, 1, 1),
            period_to=date(2025, 6, 30),
            causes_ru="по делу 251234567890123",
        )
    assert "causes_ru" in refusal.value.message_dict


def test_sent_to_the_units_with_receipts(client, body, note, chair, secretary, admin_user, district, counted):
    update_unit(district["investigation"], actor=admin_user, changes={"email": "su@police.test"})
    with pytest.raises(ValidationError):
        send_note(note, actor=secretary.user)  # not approved yet
    approve_note(note, actor=chair.user)
    before = OutboxMessage.objects.count()
    receipts = send_note(note, actor=secretary.user)
    assert sorted(r.email for r in receipts) == ["inquiry@police.test", "su@police.test"]
    mails = OutboxMessage.objects.filter(to="su@police.test")
    assert mails.count() == 1
    receipt = NoteReceipt.objects.get(email="su@police.test")
    assert f"/receipts/{receipt.token}/" in mails.get().text
    with pytest.raises(ValidationError):
        send_note(note, actor=secretary.user)  # sent already: nothing sent twice
    assert OutboxMessage.objects.count() == before + 2
    first = client.get(f"/receipts/{receipt.token}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "получение справки зафиксировано" in first
    again = client.get(f"/receipts/{receipt.token}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Справка уже получена" in again
    assert AuditEvent.objects.filter(action="complaint_note.received").count() == 1
    assert confirm_receipt(token="nope") == (None, False)


def test_the_note_as_pdf_in_both_languages(client, body, note, member, counted, waive_mfa):
    login(client, member)
    for language in ("ru", "kk"):
        response = client.get(f"/complaint-notes/{note.pk}/note.pdf?language={language}")
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
        assert f"-{language}.pdf" in response["Content-Disposition"]
