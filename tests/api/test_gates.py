"""Who may use an operation is decided before what was sent is read (alqa.api.gates): a reader
turned away gets the refusal for who they are — 401, 404 or 403 — whatever the body says, never
the refusals of their input, and nothing is written."""

from __future__ import annotations

import pytest

from alqa.models import AuditEvent, Meeting, Proposal
from tests.api.conftest import Api, token_for, translated
from tests.conftest import meeting_on

NOT_FOUND = "Not found."
FORBIDDEN = "You do not have permission to do this."
TOKEN_REQUIRED = "A valid API token is required: send the header Authorization: Bearer <token>."

# bodies no operation takes: empty, of the wrong kind, not JSON at all
BAD_BODIES = ["{}", '{"starts_at": "tomorrow", "guest_id": "x"}', "[1, 2]", "not json"]


@pytest.fixture
def meeting(body, secretary, chair):
    return meeting_on(body, secretary, chair, days=7)[0]


def _writes(body, meeting, proposal_id: int) -> list[tuple[str, str]]:
    return [
        ("post", f"/bodies/{body.pk}/meetings"),
        ("post", f"/bodies/{body.pk}/units"),
        ("post", f"/bodies/{body.pk}/members"),
        ("patch", f"/bodies/{body.pk}/policy"),
        ("patch", f"/meetings/{meeting.pk}"),
        ("post", f"/meetings/{meeting.pk}/cancel"),
        ("put", f"/meetings/{meeting.pk}/attendance"),
        ("post", f"/meetings/{meeting.pk}/agenda-items"),
        ("post", f"/meetings/{meeting.pk}/guests"),
        ("post", f"/meetings/{meeting.pk}/decisions"),
        ("post", f"/proposals/{proposal_id}/accept"),
        ("post", f"/proposals/{proposal_id}/return"),
    ]


def _send(api: Api, method: str, path: str, raw: str, language: str = "en"):
    headers = api._headers(language, None)
    return getattr(api.client, method)(f"/api/v1{path}", data=raw, content_type="application/json", **headers)


def _proposal(body, member) -> int:
    response = Api(token_for(member.user)).post(
        f"/bodies/{body.pk}/proposals", {"title_ru": "О доступе", "memo_ru": "Обоснование"}
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.mark.parametrize("raw", BAD_BODIES)
def test_a_reader_of_another_body_gets_404_whatever_they_send(raw, body, meeting, member, outsider):
    proposal_id = _proposal(body, member)
    api = Api(token_for(outsider.user), raise_exceptions=False)
    before = (AuditEvent.objects.count(), Meeting.objects.count())
    for method, path in _writes(body, meeting, proposal_id):
        response = _send(api, method, path, raw, language="kk")
        assert response.status_code == 404, (method, path, response.content)
        assert response.json() == {"detail": translated(NOT_FOUND, "kk")}
    assert (AuditEvent.objects.count(), Meeting.objects.count()) == before


@pytest.mark.parametrize("raw", BAD_BODIES)
def test_a_plain_member_gets_403_for_a_leaders_write_whatever_they_send(raw, body, meeting, member):
    proposal_id = _proposal(body, member)
    api = Api(token_for(member.user), raise_exceptions=False)
    before = AuditEvent.objects.count()
    for method, path in _writes(body, meeting, proposal_id):
        response = _send(api, method, path, raw, language="ru")
        assert response.status_code == 403, (method, path, response.content)
        assert response.json() == {"detail": translated(FORBIDDEN, "ru")}
    assert AuditEvent.objects.count() == before


def test_an_invited_participant_reads_the_meeting_but_cannot_change_it(body, meeting, secretary, admin_user):
    from alqa.domain.bodies import add_guest
    from alqa.domain.meetings import invite_guest

    guest = add_guest(body=body, actor=admin_user, full_name="Эксперт Нурланов", email="expert@alqa.test")
    invite_guest(meeting, guest=guest, actor=secretary.user)
    guest.refresh_from_db()
    api = Api(token_for(guest.user), raise_exceptions=False)
    assert api.get(f"/meetings/{meeting.pk}").status_code == 200
    for raw in ("{}", "not json"):
        response = _send(api, "post", f"/meetings/{meeting.pk}/agenda-items", raw)
        assert response.status_code == 404, response.content


def test_without_a_token_a_malformed_body_is_still_401(body, meeting):
    api = Api(raise_exceptions=False)
    for method, path in [
        ("post", f"/bodies/{body.pk}/meetings"),
        ("put", f"/meetings/{meeting.pk}/attendance"),
    ]:
        response = _send(api, method, path, "not json")
        assert response.status_code == 401
        assert response.json() == {"detail": TOKEN_REQUIRED}


def test_only_the_presiding_person_approves_whatever_is_sent(body, secretary, chair):
    meeting = meeting_on(body, secretary, chair, days=7)[0]
    response = _send(
        Api(token_for(secretary.user)), "post", f"/meetings/{meeting.pk}/agenda/approve", "not json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the presiding person approves the agenda."}
    meeting.refresh_from_db()
    assert meeting.agenda_approved_at is None
    response = Api(token_for(chair.user)).post(f"/meetings/{meeting.pk}/agenda/approve")
    assert response.status_code == 200
    assert response.json()["agenda_approved_by_member_id"] == chair.pk


def test_an_administrator_who_is_no_member_cannot_submit_a_proposal(body, admin_user):
    api = Api(token_for(admin_user), raise_exceptions=False)
    for raw in ("[]", "not json", '{"title_ru": "Тема", "memo_ru": "Справка"}'):
        response = _send(api, "post", f"/bodies/{body.pk}/proposals", raw)
        assert response.status_code == 403, response.content
        assert response.json() == {"detail": "Only a member of this body may submit a proposal."}
    assert not Proposal.objects.exists()


def test_a_gate_refuses_an_oversized_body_without_reading_it(settings, body, outsider, member):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    raw = '{"full_name": "' + "x" * 5000 + '"}'
    response = _send(
        Api(token_for(outsider.user), raise_exceptions=False), "post", f"/bodies/{body.pk}/members", raw
    )
    assert response.status_code == 404
    response = _send(
        Api(token_for(member.user), raise_exceptions=False), "post", f"/bodies/{body.pk}/members", raw
    )
    assert response.status_code == 403


def test_the_gate_hands_the_record_to_the_operation(body, chair, secretary):
    """An allowed reader's write still reaches the record its path names, and its input is read."""
    meeting = meeting_on(body, secretary, chair, days=7)[0]
    api = Api(token_for(secretary.user), raise_exceptions=False)
    response = api.patch(f"/meetings/{meeting.pk}", {"place": "Зал 5"})
    assert response.status_code == 200 and response.json()["place"] == "Зал 5"
    response = api.post(f"/meetings/{meeting.pk}/guests", {})
    assert response.status_code == 422
    assert [(e["loc"][0], e["loc"][-1]) for e in response.json()["detail"]] == [("body", "guest_id")]
