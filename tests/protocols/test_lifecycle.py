"""A protocol from draft to acknowledgement, through the domain: what is stored and audited."""

import io
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from alqa.domain import protocols as domain
from alqa.domain.errors import Conflict
from alqa.enums import ProtocolStatus, SignatureMethod
from alqa.models import AuditEvent, OutboxMessage, Protocol, ProtocolRevision


def assert_pdf_a_2b(pdf: bytes) -> None:
    """PDF/A-2b as far as reading it back can tell (tests/protocols/pdfa.py)."""
    from tests.protocols.pdfa import pdf_a_2b_problems

    assert pdf_a_2b_problems(pdf) == []


def sign_both(protocol, chair, secretary):
    h = domain.current_revision(protocol).content_hash
    domain.sign_protocol(protocol, actor=chair.user, signed_hash=h)
    domain.sign_protocol(protocol, actor=secretary.user, signed_hash=h)
    protocol.refresh_from_db()
    return h


def test_draft_pulls_the_meeting(draft, held, chair, secretary):
    content = domain.current_revision(draft).content
    assert draft.number == 1 and draft.status == ProtocolStatus.DRAFT
    assert content["presiding"]["name"] == chair.full_name
    assert content["secretary"]["name"] == secretary.full_name
    assert content["quorum"]["met"] is True
    q = content["questions"][0]
    assert q["title_ru"] == "Доступ адвокатов в ИВС"
    assert q["decisions"][0]["executors"][0]["name"] == "Следственное управление"
    assert AuditEvent.objects.filter(action="protocol.created", object_id=str(draft.pk)).exists()


def test_numbers_run_without_gaps_and_a_second_draft_is_the_same(held, secretary, body, chair):
    meeting, _ = held
    first = domain.create_protocol(meeting, actor=secretary.user)
    assert domain.create_protocol(meeting, actor=secretary.user).pk == first.pk
    from tests.conftest import meeting_on

    other, _ = meeting_on(body, secretary, chair, days=-2, present=[chair, secretary])
    assert domain.create_protocol(other, actor=secretary.user).number == 2


def test_a_meeting_that_did_not_take_place_has_no_protocol(body, chair, secretary):
    from tests.conftest import meeting_on

    future, _ = meeting_on(body, secretary, chair, days=5)
    with pytest.raises(ValidationError):
        domain.create_protocol(future, actor=secretary.user)
    assert not Protocol.objects.exists()


def test_a_stale_edit_is_refused_and_both_texts_survive(draft, held, secretary, chair):
    _meeting, item = held
    domain.update_draft(
        draft, actor=secretary.user, version=1, texts={item.pk: domain.QuestionText(heard_ru="Ахметову Д.")}
    )
    with pytest.raises(Conflict):
        domain.update_draft(
            draft, actor=chair.user, version=1, texts={item.pk: domain.QuestionText(heard_ru="Другое")}
        )
    draft.refresh_from_db()
    assert draft.version == 2
    assert domain.current_revision(draft).content["questions"][0]["heard_ru"] == "Ахметову Д."


def test_signing_freezes_the_text_with_its_pdf(draft, held, chair, secretary, member):
    h = sign_both(draft, chair, secretary)
    assert draft.status == ProtocolStatus.SIGNED
    revision = domain.current_revision(draft)
    assert revision.signed_at and revision.content_hash == h
    pdf = bytes(revision.pdf)
    assert_pdf_a_2b(pdf)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    for letter in "әғқңөұүһі":
        assert letter in text
    assert "Обеспечить доступ адвокатов" in text and h in text.replace("\n", "")
    assert draft.distribute_due is not None and draft.retain_until is not None
    # members present may co-sign only the text in force while it is a draft
    with pytest.raises(Conflict):
        domain.sign_protocol(draft, actor=member.user, signed_hash=h)
    with pytest.raises(Conflict):
        domain.update_draft(draft, actor=secretary.user, version=draft.version, texts={})


def test_a_changed_draft_invalidates_signatures(draft, held, chair, secretary):
    _meeting, item = held
    h = domain.current_revision(draft).content_hash
    domain.sign_protocol(draft, actor=chair.user, signed_hash=h)
    domain.update_draft(
        draft, actor=secretary.user, version=1, texts={item.pk: domain.QuestionText(discussion_ru="…")}
    )
    with pytest.raises(Conflict):
        domain.sign_protocol(draft, actor=secretary.user, signed_hash=h)
    new = domain.current_revision(draft).content_hash
    domain.sign_protocol(draft, actor=secretary.user, signed_hash=new)
    draft.refresh_from_db()
    assert draft.status == ProtocolStatus.DRAFT  # the chair's signature was on the old text
    domain.sign_protocol(draft, actor=chair.user, signed_hash=new)
    draft.refresh_from_db()
    assert draft.status == ProtocolStatus.SIGNED


def test_only_those_entitled_sign(draft, outsider, admin_user):
    h = domain.current_revision(draft).content_hash
    for user in (outsider.user, admin_user):
        with pytest.raises(PermissionDenied):
            domain.sign_protocol(draft, actor=user, signed_hash=h)


def test_paper_signature_dates(draft, held, chair, secretary):
    meeting, _ = held
    h = domain.current_revision(draft).content_hash
    day = timezone.localtime(meeting.starts_at).date()
    for wrong in (day - timedelta(days=1), timezone.localdate() + timedelta(days=1)):
        with pytest.raises(ValidationError):
            domain.sign_protocol(
                draft,
                actor=secretary.user,
                signed_hash=h,
                method=SignatureMethod.PAPER,
                member=chair,
                signed_on=wrong,
            )
    domain.sign_protocol(
        draft, actor=secretary.user, signed_hash=h, method=SignatureMethod.PAPER, member=chair, signed_on=day
    )
    domain.sign_protocol(
        draft,
        actor=secretary.user,
        signed_hash=h,
        method=SignatureMethod.PAPER,
        signed_on=day + timedelta(days=1),
    )
    draft.refresh_from_db()
    assert draft.signed_on == day + timedelta(days=1)
    event = AuditEvent.objects.filter(action="protocol.signature_added").order_by("id").first()
    assert event.data["on_behalf"] is True and event.data["method"] == "paper"


def test_distribution_once_with_the_pdf_and_acknowledgement(draft, chair, secretary, settings):
    with pytest.raises(ValidationError):
        domain.distribute_protocol(draft, actor=secretary.user)
    sign_both(draft, chair, secretary)
    queued = domain.distribute_protocol(draft, actor=secretary.user)
    copies = [m for m in OutboxMessage.objects.all() if m.attachments]
    assert queued == len(copies) == draft.recipients.exclude(email="").count() > 0
    assert domain.distribute_protocol(draft, actor=secretary.user) == 0
    assert len([m for m in OutboxMessage.objects.all() if m.attachments]) == queued
    (message,) = [m for m in copies if m.to == chair.email]
    assert message.attachments[0]["content_type"] == "application/pdf"
    recipient = draft.recipients.get(member=chair)
    assert recipient.token in message.text
    r, first = domain.acknowledge(recipient.token)
    assert first and r.acknowledged_at
    _r, again = domain.acknowledge(recipient.token)
    assert not again
    assert draft.recipients.filter(unit__name_ru="Следственное управление").exists()


@pytest.mark.unaudited_writes
def test_verify_finds_tampering(draft, chair, secretary):
    sign_both(draft, chair, secretary)
    checked, problems = domain.verify_protocols()
    assert checked == 1 and problems == []
    revision = domain.current_revision(draft)
    content = revision.content
    content["questions"][0]["decisions"][0]["text_ru"] = "Подменено"
    ProtocolRevision.objects.filter(pk=revision.pk).update(content=content)
    with translation.override("en"):
        _checked, problems = domain.verify_protocols()
    assert [p.message for p in problems] == [
        "the text does not match its stored hash: it was changed after signing"
    ]


def test_retention(draft, chair, secretary):
    sign_both(draft, chair, secretary)
    with pytest.raises(ValidationError):
        domain.delete_protocol(draft, actor=secretary.user)
    with pytest.raises(ValidationError):
        domain.destroy_protocol(draft, actor=secretary.user, act="Акт № 1")
    later = draft.retain_until + timedelta(days=1)
    assert draft in domain.due_for_archive(today=later)
    domain.destroy_protocol(draft, actor=secretary.user, act="Акт № 1 от 01.01.2030", today=later)
    draft.refresh_from_db()
    assert draft.status == ProtocolStatus.DESTROYED
    assert domain.current_revision(draft).content == {} and domain.current_revision(draft).content_hash


def test_amendment_is_a_new_revision_signed_again(draft, chair, secretary):
    sign_both(draft, chair, secretary)
    with pytest.raises(ValidationError):
        domain.amend_protocol(draft, actor=secretary.user, reason="")
    new = domain.amend_protocol(draft, actor=secretary.user, reason="Опечатка в фамилии")
    assert new.number == 2
    draft.refresh_from_db()
    sign_both(draft, chair, secretary)
    assert draft.status == ProtocolStatus.AMENDED
    assert draft.revisions.filter(signed_at__isnull=False).count() == 2


def test_docx_reads_back(draft):
    from docx import Document

    from alqa.documents.protocol import render_docx

    data = render_docx(domain.current_revision(draft).content, language="both", body_id=draft.body_id)
    doc = Document(io.BytesIO(data))
    text = "\n".join(cell.text for table in doc.tables for row in table.rows for cell in row.cells)
    assert "Доступ адвокатов в ИВС" in text and "Адвокаттардың ИВС-ке кіруі" in text
    single = Document(
        io.BytesIO(render_docx(domain.current_revision(draft).content, language="kk", body_id=draft.body_id))
    )
    assert "ә ғ қ ң ө ұ ү һ і" in "\n".join(p.text for p in single.paragraphs)
