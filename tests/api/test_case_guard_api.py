"""The case guard through the API: 422 with type "case_identifiers" on the field holding the
number, nothing saved; the same request with "confirm_identifiers": true is taken."""

from alqa.models import AgendaItem, AuditEvent, Decision, Proposal
from tests.conftest import meeting_on

ERDR = "267511031000123"
IIN = "850101300124"


def _refused(response, field: str | int) -> dict:
    assert response.status_code == 422, response.content
    (error,) = response.json()["detail"]
    assert error["type"] == "case_identifiers" and error["loc"][-1] == field
    return error


def test_a_proposal_holding_a_case_number_is_refused_until_confirmed(body, member, as_user):
    api = as_user(member.user)
    fields = {"title_ru": "О доступе в ИВС", "memo_ru": f"Дело № {ERDR}"}
    error = _refused(api.post(f"/bodies/{body.id}/proposals", fields), "memo_ru")
    assert "2675•••••••••23" in error["msg"] and ERDR not in error["msg"]
    ru = _refused(api.post(f"/bodies/{body.id}/proposals", fields, language="ru"), "memo_ru")
    assert "пункт 1.2 Положения" in ru["msg"]
    assert not Proposal.objects.exists()

    response = api.post(f"/bodies/{body.id}/proposals", fields | {"confirm_identifiers": True})
    assert response.status_code == 201, response.content
    assert Proposal.objects.get().memo_ru == f"Дело № {ERDR}"
    assert AuditEvent.objects.get(action="proposal.submitted").data["case_identifiers_confirmed"] == [
        "memo_ru: erdr"
    ]


def test_a_question_and_an_executor_are_guarded(body, chair, secretary, member, deputy, as_user):
    meeting, item = meeting_on(
        body, secretary, chair, days=-1, present=(chair, secretary, member, deputy), approved=True
    )
    api = as_user(secretary.user)
    _refused(api.post(f"/meetings/{meeting.id}/agenda-items", {"title_kk": f"ЖСН {IIN}"}), "title_kk")
    assert AgendaItem.objects.get() == item
    decision = {
        "agenda_item_id": item.id,
        "text_ru": "Обеспечить доступ",
        "executors": [{"name": "Начальник СУ"}, {"name": f"Следователь {IIN}", "due_working_days": 5}],
    }
    decision["executors"][0]["due_working_days"] = 5
    error = _refused(api.post(f"/meetings/{meeting.id}/decisions", decision), 1)
    assert error["loc"][-2:] == ["executors", 1]
    assert not Decision.objects.exists()
    response = api.post(f"/meetings/{meeting.id}/decisions", decision | {"confirm_identifiers": True})
    assert response.status_code == 201, response.content


def test_a_return_reason_is_guarded(body, secretary, member, as_user):
    from alqa.domain.proposals import submit_proposal

    proposal = submit_proposal(
        body=body, author=member, actor=member.user, title_ru="О доступе", memo_ru="Справка"
    )
    api = as_user(secretary.user)
    reason = {"reason": f"Это вопрос дела, ИИН {IIN}"}
    _refused(api.post(f"/proposals/{proposal.id}/return", reason), "reason")
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    response = api.post(f"/proposals/{proposal.id}/return", reason | {"confirm_identifiers": True})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "returned"
