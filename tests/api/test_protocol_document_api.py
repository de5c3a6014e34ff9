# ruff: noqa: F811 - the fixtures `held` and `draft` are imported from tests/protocols/conftest.py
"""`GET /protocols/{id}/document`: a signed revision's stored PDF is served as stored; any other
document is prepared by the worker, the answer 202 with its progress and Retry-After until it is
ready, then the file at the same URL; the schema declares the 202."""

import hashlib

import pytest

from alqa import jobs
from alqa.domain import protocols as domain
from alqa.models import AuditEvent, ProtocolRendering
from tests.api.conftest import API, Api
from tests.protocols.conftest import draft, held  # noqa: F401 - fixtures
from tests.protocols.test_lifecycle import sign_both


@pytest.fixture
def busy_worker(monkeypatch):
    """The worker has not got to the rendering yet: the tests run it when they choose."""
    monkeypatch.setattr(jobs, "render_protocol_task", lambda rendering_id: None)


def _forbid_rendering(monkeypatch) -> None:
    import alqa.documents.protocol as documents

    def never(*args, **kwargs):
        raise AssertionError("rendered while answering the request")

    monkeypatch.setattr(documents, "render_pdf", never)
    monkeypatch.setattr(documents, "render_docx", never)


def test_a_document_not_ready_answers_202_and_then_the_file(draft, member_api, busy_worker, monkeypatch):
    import alqa.documents.protocol as documents

    real = documents.render_pdf
    _forbid_rendering(monkeypatch)
    url = f"/protocols/{draft.pk}/document"
    params = {"format": "pdf", "lang": "kk"}
    first = member_api.get(url, params, language="ru")
    assert first.status_code == 202 and first["Retry-After"] == "2"
    assert first.json() == {
        "status": "queued",
        "progress": 0,
        "detail": "Документ готовится. Запросите его снова по тому же адресу.",
    }
    again = member_api.get(url, params)
    assert again.status_code == 202 and ProtocolRendering.objects.count() == 1  # the same rendering
    assert AuditEvent.objects.filter(action="protocol.rendering_requested").count() == 1
    monkeypatch.setattr(documents, "render_pdf", real)
    assert domain.run_rendering(ProtocolRendering.objects.get().pk).status == "done"
    ready = member_api.get(url, params)
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert ready.content.startswith(b"%PDF") and ready["Content-Disposition"].endswith('-kk.pdf"')


def test_a_failed_rendering_says_so_and_the_next_request_tries_again(draft, member_api, monkeypatch):
    import alqa.documents.protocol as documents

    real = documents.document

    def broken(*args, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(documents, "document", broken)
    url = f"/protocols/{draft.pk}/document"
    failed = member_api.get(url, {"format": "docx", "lang": "ru"}, language="kk")
    assert failed.status_code == 202 and failed.json()["status"] == "failed"
    assert "font missing" not in failed.content.decode()  # the worker's error is not the caller's
    assert failed.json()["detail"] == "Құжат дайындалмады. Қайталау үшін оны қайта сұраңыз."
    monkeypatch.setattr(documents, "document", real)
    ok = member_api.get(url, {"format": "docx", "lang": "ru"})  # the worker runs at once in the tests
    assert ok.status_code == 200 and ok.content[:2] == b"PK"


def test_the_signed_pdf_is_served_as_stored(draft, chair, secretary, member_api, monkeypatch):
    sign_both(draft, chair, secretary)
    _forbid_rendering(monkeypatch)
    stored = bytes(domain.current_revision(draft).pdf)
    response = member_api.get(f"/protocols/{draft.pk}/document", {"format": "pdf", "lang": "both"})
    assert response.status_code == 200 and response.content == stored
    assert not ProtocolRendering.objects.exists()


def test_the_pdf_for_signing_is_prepared_by_the_worker(draft, chair, busy_worker):
    from tests.api.conftest import token_for

    api = Api(token_for(chair.user))
    url = f"/protocols/{draft.pk}/document"
    pending = api.get(url, {"purpose": "signing"})
    assert pending.status_code == 202 and pending.json()["status"] == "queued"
    rendering = ProtocolRendering.objects.get()
    assert rendering.fmt == domain.TEXT_PDF and rendering.data is None
    assert not domain.current_revision(draft).text_pdf
    assert domain.run_rendering(rendering.pk).status == "done"
    revision = domain.current_revision(draft)
    pdf = api.get(url, {"purpose": "signing"})
    assert pdf.status_code == 200 and pdf.content == bytes(revision.text_pdf)
    assert hashlib.sha256(pdf.content).hexdigest() == revision.text_pdf_sha256
    assert AuditEvent.objects.filter(action="protocol.signing_pdf_stored", actor=chair.user).count() == 1


def test_the_schema_declares_the_202_with_retry_after(db):
    schema = Api().client.get(f"{API}/openapi.json").json()
    operation = schema["paths"][f"{API}/protocols/{{protocol_id}}/document"]["get"]
    accepted = operation["responses"]["202"]
    assert accepted["headers"]["Retry-After"]["schema"] == {"type": "integer"}
    ref = accepted["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert {"status", "progress", "detail"} <= body["properties"].keys()
    assert {"application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"} <= (
        operation["responses"]["200"]["content"].keys()
    )
    assert [p["name"] for p in operation["parameters"]] == ["protocol_id", "format", "lang", "purpose"]
