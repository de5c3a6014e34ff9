# ruff: noqa: F811 - the fixtures `held` and `draft` come from tests/protocols/conftest.py
"""Documents of a protocol prepared by the worker: the page shows the progress and then the
download; the signed PDF is the stored one, never rendered on download; the protocol page answers
with the same number of queries whatever the size of the protocol."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alqa import jobs
from alqa.domain import protocols as domain
from alqa.domain.meetings import add_agenda_item
from alqa.models import AuditEvent, ProtocolRendering
from tests.conftest import login, meeting_on
from tests.protocols.test_lifecycle import sign_both


@pytest.fixture
def reader(client, secretary, waive_mfa):
    login(client, secretary, language="ru")
    return client


def test_a_draft_document_is_prepared_once_and_downloaded(reader, draft, held, secretary):
    url = f"/protocols/{draft.pk}/document/?format=docx&lang=kk"
    response = reader.get(url)  # the worker runs at once in the tests (huey immediate)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Адвокаттардың ИВС-ке кіруі" in text and "Доступ адвокатов" not in text
    (rendering,) = ProtocolRendering.objects.all()
    assert rendering.status == "done" and rendering.progress == 100
    reader.get(url)
    assert ProtocolRendering.objects.count() == 1
    assert AuditEvent.objects.filter(action="protocol.rendering_requested").count() == 1
    # a changed text gets its own document; the one of the old text is removed
    _meeting, item = held
    domain.update_draft(
        draft,
        actor=secretary.user,
        version=draft.version,
        texts={item.pk: domain.QuestionText(heard_kk="Жаңа")},
    )
    reader.get(url)
    (again,) = ProtocolRendering.objects.all()
    assert again.pk != rendering.pk and again.key != rendering.key


def test_the_page_shows_progress_until_the_worker_is_done(reader, draft, monkeypatch):
    monkeypatch.setattr(jobs, "render_protocol_task", lambda rendering_id: None)  # the worker is busy
    url = f"/protocols/{draft.pk}/document/?format=pdf&lang=ru"
    page = reader.get(url)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    text = page.content.decode()
    assert "<progress" in text and 'hx-trigger="every 1s"' in text and "В очереди" in text
    rendering = ProtocolRendering.objects.get()
    assert domain.run_rendering(rendering.pk).status == "done"
    assert domain.run_rendering(rendering.pk) is None  # claimed once
    poll = reader.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in poll and "Скачать документ" in poll
    download = reader.get(url)
    assert download["Content-Type"] == "application/pdf" and download.content.startswith(b"%PDF")


def test_a_failed_rendering_is_said_and_tried_again(reader, draft, monkeypatch):
    import alqa.documents.protocol as documents

    real = documents.document

    def broken(*args, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(documents, "document", broken)
    url = f"/protocols/{draft.pk}/document/?format=pdf&lang=kk"
    text = reader.get(url).content.decode()
    assert 'role="alert"' in text and "Не удалось подготовить документ" in text
    assert ProtocolRendering.objects.get().error == "font missing"
    monkeypatch.setattr(documents, "document", real)
    assert reader.get(url)["Content-Type"] == "application/pdf"


def test_the_signed_pdf_is_the_stored_one_never_rendered(reader, draft, chair, secretary, monkeypatch):
    sign_both(draft, chair, secretary)
    import alqa.documents.protocol as documents

    def never(*args, **kwargs):
        raise AssertionError("rendered on download")

    monkeypatch.setattr(documents, "render_pdf", never)
    response = reader.get(f"/protocols/{draft.pk}/document/?format=pdf&lang=both")
    assert response.content == bytes(domain.current_revision(draft).pdf)
    assert not ProtocolRendering.objects.exists()


def _page_queries(client, protocol_id):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/protocols/{protocol_id}/").status_code == 200
    return len(queries)


def test_the_protocol_page_has_the_same_number_of_queries_whatever_its_size(
    reader, draft, body, chair, secretary, member, deputy
):
    _page_queries(reader, draft.pk)  # the session's first request reads more (the account, its language)
    small = _page_queries(reader, draft.pk)
    meeting, _item = meeting_on(body, secretary, chair, days=-3, present=[chair, secretary, member, deputy])
    for n in range(6):
        add_agenda_item(meeting, actor=secretary.user, title_ru=f"Вопрос {n}")
    big = domain.create_protocol(meeting, actor=secretary.user)
    h = domain.current_revision(big).content_hash
    for person in (member, chair):  # signatures on the page, the text not yet signed by both
        domain.sign_protocol(big, actor=person.user, signed_hash=h)
    _page_queries(reader, big.pk)
    assert _page_queries(reader, big.pk) == small


def test_a_signed_protocols_page_does_not_grow_with_recipients_and_revisions(
    reader, draft, held, chair, secretary, member
):
    sign_both(draft, chair, secretary)
    _page_queries(reader, draft.pk)
    before = _page_queries(reader, draft.pk)
    for n in range(5):
        domain.add_recipient(draft, actor=secretary.user, name=f"Получатель {n}", email=f"r{n}@alqa.test")
    domain.distribute_protocol(draft, actor=secretary.user)
    for recipient in draft.recipients.exclude(email="")[:3]:
        domain.acknowledge(recipient.token)
    domain.amend_protocol(draft, actor=secretary.user, reason="Опечатка")
    draft.refresh_from_db()
    sign_both(draft, chair, secretary)  # acknowledged again: the earlier ones shown beside
    _page_queries(reader, draft.pk)  # the first read after a change fills the reader's caches again
    assert _page_queries(reader, draft.pk) == before


def test_the_keeping_page_has_its_template_form_once_and_a_plain_title(client, admin_user, waive_mfa):
    client.force_login(admin_user)
    page = client.get("/protocols/keeping/").content.decode()
    title = page[page.index("<title>") : page.index("</title>")]
    assert "<section" not in title and "<form" not in title
    assert page.count('id="template-heading"') == 1


def test_the_sign_page_has_the_worker_prepare_the_pdf_for_signing(
    client, draft, chair, waive_mfa, monkeypatch
):
    """The first visit renders nothing itself: it shows the progress (HTMX asks again every
    second) and no signing button; once the worker stored the PDF, the poll answers the forms with
    the SHA-256 of the stored bytes, which the download link serves."""
    import hashlib

    import alqa.documents.protocol as documents

    real = documents.render_pdf

    def never(*args, **kwargs):
        raise AssertionError("rendered while answering the request")

    monkeypatch.setattr(jobs, "render_protocol_task", lambda rendering_id: None)  # the worker is busy
    monkeypatch.setattr(documents, "render_pdf", never)
    login(client, chair, language="ru")
    url = f"/protocols/{draft.pk}/sign/"
    text = client.get(url).content.decode()
    assert "<progress" in text and 'hx-trigger="every 1s"' in text and "Готовится PDF для подписания" in text
    assert 'value="hash"' not in text and 'value="cms"' not in text
    assert client.get(f"{url}pdf/")["Location"] == url  # not ready: the sign page, nothing rendered
    poll = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" in poll and "<html" not in poll
    rendering = ProtocolRendering.objects.get()
    assert rendering.fmt == domain.TEXT_PDF and rendering.requested_by == chair.user
    monkeypatch.setattr(documents, "render_pdf", real)
    assert domain.run_rendering(rendering.pk).status == "done"
    revision = domain.current_revision(draft)
    poll = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in poll and 'value="hash"' in poll and 'value="cms"' in poll
    assert revision.text_pdf_sha256 in poll
    pdf = client.get(f"{url}pdf/").content
    assert hashlib.sha256(pdf).hexdigest() == revision.text_pdf_sha256 and pdf == bytes(revision.text_pdf)
    assert AuditEvent.objects.filter(action="protocol.signing_pdf_stored").count() == 1
    page = client.get(url).content.decode()  # stored: the forms at once, no rendering asked again
    assert 'value="cms"' in page and "<progress" not in page
    assert ProtocolRendering.objects.count() == 1
