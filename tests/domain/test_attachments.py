"""Files of agenda items and proposals (alqa/domain/attachments.py): a long name keeps its
extension; attaching files to an agenda item is one audited transaction that leaves nothing
behind when the item or a file is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from alqa.domain.attachments import (
    MAX_NAME,
    add_agenda_item_with_files,
    attach_files,
    check_upload,
    file_name,
)
from alqa.domain.case_guard import CaseIdentifiersFound
from alqa.domain.meetings import add_agenda_item, cancel_meeting
from alqa.models import AgendaItem, Attachment, AuditEvent
from tests.conftest import meeting_on

PDF = b"%PDF-1.4 minutes of the working group"
ERDR = "267511031000123"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "uploaded, kept",
    [
        ("a" * 210 + ".pdf", "a" * (MAX_NAME - 4) + ".pdf"),
        ("б" * 300 + ".PDF", "б" * (MAX_NAME - 4) + ".PDF"),
        ("x" * 196 + ".pdf", "x" * 196 + ".pdf"),  # exactly the limit: as it is
        ("C:\\Users\\me\\" + "y" * 250 + ".pdf", "y" * (MAX_NAME - 4) + ".pdf"),
    ],
)
def test_a_long_name_is_shortened_and_keeps_its_extension(uploaded, kept):
    checked = check_upload(SimpleUploadedFile(uploaded, PDF))
    assert checked.name == kept and len(checked.name) <= MAX_NAME
    assert checked.content_type == "application/pdf"


def test_a_long_name_without_an_extension_is_still_refused_by_type():
    with pytest.raises(ValidationError) as refusal:
        check_upload(SimpleUploadedFile("z" * 250, PDF))
    assert refusal.value.code == "type" and file_name("z" * 250) == "z" * MAX_NAME


def test_a_long_file_is_stored_under_its_shortened_name(body, chair, secretary):
    meeting, item = meeting_on(body, secretary, chair, days=5)
    [stored] = attach_files(item, files=[SimpleUploadedFile("п" * 210 + ".pdf", PDF)], actor=secretary.user)
    stored.refresh_from_db()
    assert stored.name == "п" * (MAX_NAME - 4) + ".pdf"
    assert stored.file.name.endswith(".pdf") and stored.file.read() == PDF


def test_files_attached_to_an_item_are_audited_with_their_names(body, chair, secretary):
    meeting, item = meeting_on(body, secretary, chair, days=5)
    stored = attach_files(
        item,
        files=[SimpleUploadedFile("report.pdf", PDF), SimpleUploadedFile("annex.pdf", PDF)],
        actor=secretary.user,
    )
    assert (
        [a.name for a in item.attachments.order_by("id")]
        == ["report.pdf", "annex.pdf"]
        == [a.name for a in stored]
    )
    event = AuditEvent.objects.get(action="agenda.files_attached")
    assert (event.object_id, event.actor, event.body) == (str(item.pk), secretary.user, body)
    assert event.data == {"meeting": meeting.pk, "files": ["report.pdf", "annex.pdf"]}


def test_one_bad_file_or_a_cancelled_meeting_attaches_nothing(body, chair, secretary):
    meeting, item = meeting_on(body, secretary, chair, days=5)
    with pytest.raises(ValidationError) as refusal:
        attach_files(
            item,
            files=[SimpleUploadedFile("good.pdf", PDF), SimpleUploadedFile("bad.pdf", b"<html>")],
            actor=secretary.user,
        )
    assert refusal.value.message_dict == {"files": ["bad.pdf is not the kind of file its extension says."]}
    cancel_meeting(meeting, actor=secretary.user, reason="Нет кворума")
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="The meeting is cancelled."):
        attach_files(item, files=[SimpleUploadedFile("good.pdf", PDF)], actor=secretary.user)
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(action="agenda.files_attached").exists()


def test_an_item_with_files_is_added_in_one_transaction(body, chair, secretary):
    meeting, _ = meeting_on(body, secretary, chair, days=5, title=None)
    item = add_agenda_item_with_files(
        meeting,
        actor=secretary.user,
        title_ru="Отчёт",
        kind="other",
        files=[SimpleUploadedFile("report.pdf", PDF)],
    )
    assert [a.name for a in item.attachments.all()] == ["report.pdf"]
    actions = list(
        AuditEvent.objects.filter(object_type="agendaitem").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["agenda.item_added", "agenda.files_attached"]


@pytest.mark.parametrize(
    "fields, files, refused",
    [
        ({"title_ru": " "}, [SimpleUploadedFile("report.pdf", PDF)], "title_ru"),  # the item refused
        ({"title_ru": "Отчёт"}, [SimpleUploadedFile("bad.pdf", b"<html>")], "files"),  # a file refused
        ({"title_ru": f"Дело {ERDR}"}, [SimpleUploadedFile("report.pdf", PDF)], "title_ru"),  # case guard
    ],
)
def test_a_refused_item_or_file_leaves_nothing_behind(body, chair, secretary, fields, files, refused):
    meeting, _ = meeting_on(body, secretary, chair, days=5, title=None)
    with pytest.raises(ValidationError) as refusal:
        add_agenda_item_with_files(meeting, actor=secretary.user, files=files, **fields)
    assert refused in refusal.value.message_dict
    assert not AgendaItem.objects.exists() and not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="agenda.").exists()


def test_the_case_guard_is_confirmed_through_the_item_with_files(body, chair, secretary):
    meeting, _ = meeting_on(body, secretary, chair, days=5, title=None)
    title = f"О деле {ERDR}"
    with pytest.raises(CaseIdentifiersFound):
        add_agenda_item_with_files(
            meeting, actor=secretary.user, title_ru=title, files=[SimpleUploadedFile("a.pdf", PDF)]
        )
    item = add_agenda_item_with_files(
        meeting,
        actor=secretary.user,
        title_ru=title,
        files=[SimpleUploadedFile("a.pdf", PDF)],
        identifiers_confirmed=True,
    )
    assert item.title_ru == title and item.attachments.count() == 1
    assert AuditEvent.objects.get(action="agenda.item_added").data["case_identifiers_confirmed"] == [
        "title_ru: erdr"
    ]


def test_a_file_added_later_does_not_replace_the_items_own(body, chair, secretary):
    meeting, _ = meeting_on(body, secretary, chair, days=5, title=None)
    item = add_agenda_item(meeting, actor=secretary.user, title_ru="Отчёт")
    attach_files(item, files=[SimpleUploadedFile("first.pdf", PDF)], actor=secretary.user)
    attach_files(item, files=[SimpleUploadedFile("first.pdf", PDF)], actor=secretary.user)
    assert item.attachments.count() == 2 and attach_files(item, files=[], actor=secretary.user) == []
