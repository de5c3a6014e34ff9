"""The case guard made blocking by a body's policy (clause 1.2), and files that stay attached to a
re-shown form: kept on the server under a token of the writer's own, never lost, never another's."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alqa.domain.bodies import update_policy
from alqa.domain.case_guard import CaseIdentifiersFound
from alqa.domain.held_files import held, hold
from alqa.domain.requests import create_request, mark_sent
from alqa.domain.visits import create_facility, plan_visit, record_visit
from alqa.models import AuditEvent, Finding, OversightFile
from tests.conftest import login

pytestmark = pytest.mark.usefixtures("waive_mfa")

ERDR = "267511031000123"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _upload(name: str, data: bytes):
    kind = (
        "application/pdf"
        if name.endswith(".pdf")
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    return SimpleUploadedFile(name, data, content_type=kind)


@pytest.fixture
def blocking(body, admin_user):
    update_policy(body.policy, actor=admin_user, changes={"case_guard_blocking": True})
    return body


@pytest.fixture
def visit(body, admin_user, chair, member, police_unit):
    facility = create_facility(
        body=body, actor=admin_user, name_ru="ИВС", kind="temporary_detention", unit=police_unit
    )
    visit = plan_visit(body=body, facility=facility, actor=chair.user, planned_on=timezone.localdate())
    record_visit(visit, actor=chair.user, visited_on=timezone.localdate(), participants=[chair, member])
    return visit


def test_a_blocking_policy_refuses_even_a_confirmed_number(blocking, secretary):
    with pytest.raises(CaseIdentifiersFound) as exc:
        create_request(
            body=blocking,
            actor=secretary.user,
            addressee_kind="police_unit",
            addressee="ДП",
            subject=f"Материалы по делу {ERDR}",
            legal_basis="2.2.8",
            identifiers_confirmed=True,
        )
    assert exc.value.blocking
    assert "политика группы" in exc.value.message_dict["subject"][0]
    assert AuditEvent.objects.filter(action="policy.changed").get().data["case_guard_blocking"] == [
        False,
        True,
    ]


def test_without_the_policy_a_confirmed_number_stays(body, secretary):
    request = create_request(
        body=body,
        actor=secretary.user,
        addressee_kind="police_unit",
        addressee="ДП",
        subject=f"Материалы по делу {ERDR}",
        legal_basis="2.2.8",
        identifiers_confirmed=True,
    )
    assert ERDR in request.subject


def test_the_page_offers_no_confirmation_under_a_blocking_policy(client, blocking, secretary):
    login(client, secretary)
    data = {
        "addressee_kind": "police_unit",
        "addressee": "ДП",
        "subject": f"По делу {ERDR}",
        "legal_basis": "2.2.8",
        "confirm_identifiers": "on",
    }
    response = client.post(f"/bodies/{blocking.pk}/requests/new/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "its policy refuses such numbers" in html
    assert 'type="checkbox" name="confirm_identifiers"' not in html


def test_a_file_refused_for_its_number_stays_attached_and_is_taken_when_confirmed(client, visit, chair):
    login(client, chair)
    url = f"/visits/{visit.pk}/findings/new/"
    first = client.post(
        url,
        {
            "kind": "other",
            "description": "Журнал ведётся с нарушениями",
            "files": [_upload("akt.docx", _docx(f"Дело № {ERDR}")), _upload("photo.pdf", PDF)],
        },
    )
    html = first.content.decode()
    assert first.status_code == 400 and "akt.docx" in html and "photo.pdf" in html
    assert not Finding.objects.exists()
    token = first.context["form"].data["held_files"]
    assert token and 'name="held_files"' in html
    # sent again with the box ticked and no file chosen: the kept files are stored
    second = client.post(
        url,
        {
            "kind": "other",
            "description": "Журнал ведётся с нарушениями",
            "held_files": token,
            "confirm_identifiers": "on",
        },
    )
    assert second.status_code == 302
    assert sorted(OversightFile.objects.values_list("name", flat=True)) == ["akt.docx", "photo.pdf"]
    assert held(token, user=chair.user) == []  # removed once saved


def test_the_writer_may_drop_the_kept_files(client, visit, chair):
    login(client, chair)
    url = f"/visits/{visit.pk}/findings/new/"
    first = client.post(url, {"kind": "other", "description": "", "files": [_upload("photo.pdf", PDF)]})
    assert first.status_code == 400 and "photo.pdf" in first.content.decode()
    token = first.context["form"].data["held_files"]
    second = client.post(
        url, {"kind": "other", "description": "Нарушение", "held_files": token, "drop_held_files": "on"}
    )
    assert second.status_code == 302 and not OversightFile.objects.exists()


def test_a_token_is_nobody_elses(chair, member, tmp_path):
    token = hold([_upload("photo.pdf", PDF)], user=chair.user)
    assert [f.name for f in held(token, user=chair.user)] == ["photo.pdf"]
    assert held(token, user=member.user) == []
    assert held("../../etc", user=chair.user) == []


def test_the_answer_form_keeps_its_files_too(client, body, secretary):
    request = create_request(
        body=body,
        actor=secretary.user,
        addressee_kind="police_unit",
        addressee="ДП",
        subject="Журнал",
        legal_basis="2.2.8",
    )
    mark_sent(request, actor=secretary.user, sent_on=timezone.localdate())
    login(client, secretary)
    response = client.post(
        f"/requests/{request.pk}/answer/",
        {"answered_on": "", "files": [_upload("answer.pdf", PDF)]},
    )
    assert response.status_code == 400 and "answer.pdf" in response.content.decode()
    assert not OversightFile.objects.exists()


def test_kept_files_older_than_a_day_are_purged(chair):
    import time

    from alqa.domain.held_files import purge

    token = hold([_upload("photo.pdf", PDF)], user=chair.user)
    assert purge() == 0 and held(token, user=chair.user)
    assert purge(now=time.time() + 25 * 3600) == 1
    assert held(token, user=chair.user) == []


def test_the_proposal_form_keeps_its_files_through_the_case_guard(client, body, member):
    """A proposal's file whose text holds a case number is kept with the re-shown form; confirmed,
    the kept files are stored with the proposal (and a missing memo keeps them too)."""
    from alqa.models import Attachment, Proposal

    login(client, member)
    url = f"/bodies/{body.pk}/proposals/new/"
    first = client.post(
        url,
        {"title_ru": "О журнале", "memo_ru": "", "files": [_upload("spravka.pdf", PDF)]},
    )
    assert first.status_code == 400 and "spravka.pdf" in first.content.decode()
    token = first.context["form"].data["held_files"]
    second = client.post(
        url,
        {
            "title_ru": "О журнале",
            "memo_ru": "Журнал ведётся с нарушениями",
            "held_files": token,
            "files": [_upload("akt.docx", _docx(f"Дело № {ERDR}"))],
        },
    )
    html = second.content.decode()
    assert second.status_code == 400 and "akt.docx" in html and "spravka.pdf" in html
    assert 'type="checkbox" name="confirm_identifiers"' in html
    assert not Proposal.objects.exists()
    token = second.context["form"].data["held_files"]
    third = client.post(
        url,
        {
            "title_ru": "О журнале",
            "memo_ru": "Журнал ведётся с нарушениями",
            "held_files": token,
            "confirm_identifiers": "on",
        },
    )
    assert third.status_code == 302
    proposal = Proposal.objects.get()
    assert sorted(Attachment.objects.filter(proposal=proposal).values_list("name", flat=True)) == [
        "akt.docx",
        "spravka.pdf",
    ]
    assert held(token, user=member.user) == []
    event = AuditEvent.objects.get(action="proposal.submitted")
    assert event.data["files"] == ["spravka.pdf", "akt.docx"]
    assert any("files" in c or "akt.docx" in c for c in event.data["case_identifiers_confirmed"])
