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


def _docx_text(content: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """The paragraphs and the tables (rows of cells) of a Word document."""
    import io

    from docx import Document

    document = Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    return paragraphs, tables


def test_the_note_as_word_in_russian_with_the_hand_counted_figures(
    client, body, note, member, counted, waive_mfa
):
    login(client, member)
    response = client.get(f"/complaint-notes/{note.pk}/note.docx?language=ru")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "-ru.docx" in response["Content-Disposition"]
    paragraphs, tables = _docx_text(response.content)
    assert "Обобщение практики за первое полугодие 2025 года" in paragraphs
    assert any("1 января 2025" in p and "30 июня 2025" in p for p in paragraphs), paragraphs
    assert "Жалобы: 7" in paragraphs
    assert any(p.endswith(": 7,5") for p in paragraphs), paragraphs  # the median, hand-counted
    assert any(p.endswith(": 25,0") for p in paragraphs), paragraphs  # the 90th percentile
    assert "Проводить обучение." in paragraphs
    assert "{{" not in str(paragraphs) + str(tables) and "{%" not in str(tables)
    titles = [table[0][0] for table in tables]
    assert "По статьям" in titles, titles
    by_article = tables[titles.index("По статьям")]
    assert [row[1] for row in by_article[1:]] == ["4", "3"]
    assert len(by_article[1][3]) == 30 and len(by_article[2][3]) == 22  # the bars: 30 blocks for 4, 3 → 22
    quarters = tables[-1]
    assert [row[1] for row in quarters[1:]] == ["3", "4"]


def test_the_note_as_word_in_kazakh_reads_kazakh(client, body, note, member, counted, waive_mfa):
    login(client, member)
    response = client.get(f"/complaint-notes/{note.pk}/note.docx?language=kk")
    assert response.status_code == 200 and "-kk.docx" in response["Content-Disposition"]
    paragraphs, tables = _docx_text(response.content)
    assert "2025 жылдың бірінші жартыжылдығындағы тәжірибені қорыту" in paragraphs
    assert any("2025 жылғы 1 қаңтар" in p for p in paragraphs), paragraphs
    assert "Шағымдар: 7" in paragraphs
    assert "Проводить обучение." in paragraphs  # the Kazakh left empty: the Russian stands
    assert "Баптар бойынша" in [table[0][0] for table in tables], [table[0][0] for table in tables]


def test_the_note_is_put_on_a_meetings_agenda_once(client, body, note, chair, secretary, waive_mfa):
    from alqa.models import AgendaItem
    from tests.conftest import meeting_on

    meeting, _item = meeting_on(body, secretary, chair, days=7, approved=True)
    login(client, secretary)
    page = client.get(f"/complaint-notes/{note.pk}/").content.decode()
    assert "Not yet on a meeting's agenda." in page and f'<option value="{meeting.pk}">' in page
    assert "agenda approved" in page and 'name="withdraw_approval"' in page
    # the approved agenda is not changed unless its withdrawal is confirmed
    refused = client.post(f"/complaint-notes/{note.pk}/agenda/", {"meeting": meeting.pk}, follow=True)
    assert "Confirm that the approval is withdrawn." in refused.content.decode()
    assert not AgendaItem.objects.filter(complaint_note=note).exists()
    answer = client.post(
        f"/complaint-notes/{note.pk}/agenda/", {"meeting": meeting.pk, "withdraw_approval": "on"}, follow=True
    )
    assert "The note is on the agenda of the meeting:" in answer.content.decode()
    item = AgendaItem.objects.get(complaint_note=note)
    assert (item.meeting, item.kind, item.title_ru) == (meeting, "complaint_note", note.title_ru)
    assert item.title_kk == note.title_kk
    meeting.refresh_from_db()
    assert meeting.agenda_approved_at is None  # the changed agenda is to be approved again
    event = AuditEvent.objects.get(action="agenda.item_added", data__complaint_note=note.pk)
    assert event.data["kind"] == "complaint_note"
    page = client.get(f"/complaint-notes/{note.pk}/").content.decode()
    assert f'href="/meetings/{meeting.pk}/"' in page and f'<option value="{meeting.pk}">' not in page
    again = client.post(
        f"/complaint-notes/{note.pk}/agenda/", {"meeting": meeting.pk, "withdraw_approval": "on"}, follow=True
    )
    assert "This note is already on this meeting&#x27;s agenda." in again.content.decode()
    assert AgendaItem.objects.filter(complaint_note=note).count() == 1


def test_a_note_goes_only_onto_its_own_bodys_meetings(
    client, note, secretary, other_body, admin_user, waive_mfa
):
    from alqa.domain.complaint_notes import put_note_on_agenda
    from alqa.enums import Role
    from alqa.models import AgendaItem
    from tests.conftest import make_member, meeting_on

    their_secretary = make_member(
        other_body, admin_user, email="s2@alqa.test", role=Role.SECRETARY, name="Б Б"
    )
    their_chair = make_member(other_body, admin_user, email="c2@alqa.test", role=Role.CHAIR, name="В В")
    theirs, _item = meeting_on(other_body, their_secretary, their_chair, days=7)
    login(client, secretary)
    answer = client.post(f"/complaint-notes/{note.pk}/agenda/", {"meeting": theirs.pk})
    assert answer.status_code in (403, 404)
    assert client.post(f"/complaint-notes/{note.pk}/agenda/", {"meeting": "abc"}).status_code == 404
    with pytest.raises(ValidationError) as refusal:
        put_note_on_agenda(note, meeting=theirs, actor=admin_user)
    assert refusal.value.message_dict == {"complaint_note": ["This note belongs to another body."]}
    assert not AgendaItem.objects.filter(complaint_note=note).exists()
