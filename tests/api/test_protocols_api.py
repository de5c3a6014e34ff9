# ruff: noqa: F811 - the fixtures `held` and `draft` are imported from tests/protocols/conftest.py
"""The protocol operations: the contract's paths and fields, 409 on a stale text, 404 across bodies."""

import io

from pypdf import PdfReader

from alqa.models import OutboxMessage
from tests.protocols.conftest import draft, held  # noqa: F401 - fixtures


def test_the_whole_path(held, secretary_api, chair_api, member_api, outsider_api):
    meeting, item = held
    r = secretary_api.post(f"/meetings/{meeting.pk}/protocol")
    assert r.status_code == 201, r.content
    p = r.json()
    pid = p["id"]
    assert p["meeting_id"] == meeting.pk and p["number"] == 1 and p["status"] == "draft"
    assert p["distribute_due"] is None and p["sign_due"] and p["signed_at"] is None
    assert secretary_api.post(f"/meetings/{meeting.pk}/protocol").json()["id"] == pid

    assert outsider_api.get(f"/protocols/{pid}").status_code == 404
    assert member_api.patch(f"/protocols/{pid}", {"version": 1, "questions": []}).status_code == 403

    edit = {
        "version": 1,
        "questions": [{"item_id": item.pk, "heard_ru": "Ахметову Д.", "heard_kk": "Ахметова Д."}],
    }
    r = secretary_api.patch(f"/protocols/{pid}", edit)
    assert r.status_code == 200, r.content
    assert r.json()["questions"][0]["heard_kk"] == "Ахметова Д."
    assert secretary_api.patch(f"/protocols/{pid}", edit).status_code == 409  # version 1 is stale

    stale = p["content_hash"]
    current = r.json()["content_hash"]
    assert chair_api.post(f"/protocols/{pid}/sign", {"content_hash": stale}).status_code == 409
    assert secretary_api.post(f"/protocols/{pid}/distribute").status_code == 422
    assert chair_api.post(f"/protocols/{pid}/sign", {"content_hash": current}).status_code == 200
    r = secretary_api.post(f"/protocols/{pid}/sign", {"content_hash": current})
    body = r.json()
    assert body["status"] == "signed" and body["signed_at"] and body["distribute_due"]
    assert {(s["role"], s["method"], s["content_hash"]) for s in body["signatures"]} == {
        ("presiding", "hash", current),
        ("secretary", "hash", current),
    }
    assert all({"member_id", "signed_at"} <= s.keys() for s in body["signatures"])
    assert (
        secretary_api.patch(f"/protocols/{pid}", {"version": body["version"], "questions": []}).status_code
        == 409
    )

    r = secretary_api.post(f"/protocols/{pid}/distribute")
    assert r.status_code == 200 and r.json()["queued"] > 0
    assert secretary_api.post(f"/protocols/{pid}/distribute").json()["queued"] == 0
    recipients = secretary_api.get(f"/protocols/{pid}").json()["recipients"]
    assert all({"delivered_at", "acknowledged_at"} <= r.keys() for r in recipients)
    assert len([m for m in OutboxMessage.objects.all() if m.attachments]) == r.json()["queued"]

    doc = member_api.get(f"/protocols/{pid}/document", {"format": "pdf", "lang": "kk"})
    assert doc.status_code == 200 and doc["Content-Type"] == "application/pdf"
    assert "Адвокаттардың" in "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(doc.content)).pages
    )
    docx = member_api.get(f"/protocols/{pid}/document", {"format": "docx", "lang": "ru"})
    assert docx.status_code == 200 and docx.content[:2] == b"PK"

    r = secretary_api.post(f"/protocols/{pid}/amendments", {"reason": "Опечатка"})
    assert r.status_code == 201 and r.json()["revision"] == 2 and r.json()["status"] == "signed"
